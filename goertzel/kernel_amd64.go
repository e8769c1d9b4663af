//go:build amd64 && !purego

package goertzel

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

// accumulate uses the AVX2 kernel when the CPU has it, else the pure-Go one;
// both give bit-identical results.
func accumulate(acc *[accWidth]float32, rows []float32, x []float32) {
	if useAVX2 && len(x) >= 2 {
		accumulateAVX2(acc, &rows[0], &x[0], len(x)/2)
		return
	}
	accumulateGeneric(acc, rows, x)
}

// accumulateAVX2 processes pairs sample pairs: x[0:2*pairs] against
// 2*pairs table rows.
//
//go:noescape
func accumulateAVX2(acc *[accWidth]float32, rows *float32, x *float32, pairs int)

// kernelName names the kernel in use, for benchmarks and diagnostics.
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "generic"
}
