//go:build amd64 && !purego

package goertzel

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

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

// kernelName names the kernel in use, for benchmarks and diagnostics.
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "generic"
}
