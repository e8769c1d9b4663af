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

// kernelName names the kernel in use, for benchmarks and diagnostics.
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "generic"
}
