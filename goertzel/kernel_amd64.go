//go:build amd64 && !purego

package goertzel

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

// accumulate uses the AVX2 kernel when the CPU has it, else the pure-Go one;
// both give bit-identical results.
func accumulate(acc *[accWidth]float32, rows []float32, x []int16) {
	if !useAVX2 || len(x) < 2 {
		accumulateGeneric(acc, rows, x)
		return
	}
	pairs := len(x) / 2
	_ = rows[2*pairs*rowWidth-1] // the kernel reads 2·pairs rows
	accumulateAVX2(acc, &rows[0], &x[0], pairs)
	accumulateTail(acc, rows, x, 2*pairs)
}

// accumulateAVX2 processes x[0:2*pairs] against rows[0:2*pairs].
//
//go:noescape
func accumulateAVX2(acc *[accWidth]float32, rows *float32, x *int16, pairs int)

// kernelName names the kernel in use, for benchmarks and diagnostics.
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "generic"
}
