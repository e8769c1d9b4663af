//go:build amd64 && !purego

package goertzel

import "golang.org/x/sys/cpu"

// useAVX2 and useAVX512 select the kernels; tests clear them to compare
// the AVX2 and pure-Go kernels with the AVX-512 one on this CPU.
var (
	useAVX2   = cpu.X86.HasAVX2
	useAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ
)

// accumulate uses the AVX2 kernel when the CPU has it, else the pure-Go one;
// both give bit-identical results.
func accumulate(acc *[accWidth]float32, rows []float32, x []int16) {
	groups := len(x) / 8
	if !useAVX2 || groups == 0 {
		accumulateGeneric(acc, rows, x)
		return
	}
	n := 8 * groups
	_ = rows[n*rowWidth-1] // the kernel reads n rows
	accumulateAVX2(acc, &rows[0], &x[0], groups)
	accumulateFrom(acc, rows, x[n:], n)
}

// accumulateAVX2 processes x[0:8*groups] against rows[0:8*groups].
//
//go:noescape
func accumulateAVX2(acc *[accWidth]float32, rows *float32, x *int16, groups int)

// transform computes one group's reduced sums (real parts, then imaginary
// parts) of x into r, as accumulate from zero followed by the reduction of
// the four sets.
func transform(r *[rowWidth]float32, rows []float32, x []int16) {
	if groups := len(x) / 8; useAVX2 && groups > 0 && len(x)%8 == 0 {
		_ = rows[len(x)*rowWidth-1] // the kernel reads len(x) rows
		transformAVX2(r, &rows[0], &x[0], groups)
		return
	}
	transformGeneric(r, rows, x)
}

// transformAVX2 is transform for x[0:8*groups].
//
//go:noescape
func transformAVX2(r *[rowWidth]float32, rows *float32, x *int16, groups int)

// transform8 is transform8Generic: with AVX-512, one kernel call.
func transform8(dst *[lanes]complex64, pow *[lanes]float32, rows []float32, x []int16, gate float32) (energy float32, ok bool) {
	if groups := len(x) / 8; useAVX512 && groups > 0 && len(x)%8 == 0 {
		_ = rows[len(x)*rowWidth-1] // the kernel reads len(x) rows
		return transform8AVX512(dst, pow, &rows[0], &x[0], groups, gate)
	}
	return transform8Generic(dst, pow, rows, x, gate)
}

// transform8AVX512 is transform8 for x[0:8*groups].
//
//go:noescape
func transform8AVX512(dst *[lanes]complex64, pow *[lanes]float32, rows *float32, x *int16, groups int, gate float32) (energy float32, ok bool)

// kernelName names the kernel in use, for benchmarks and diagnostics.
func kernelName() string {
	if useAVX512 {
		return "avx512"
	}
	if useAVX2 {
		return "avx2"
	}
	return "generic"
}
