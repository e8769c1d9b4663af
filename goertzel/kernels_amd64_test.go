//go:build amd64 && !purego

package goertzel

import "testing"

// withKernels runs f once per kernel this CPU can run, named "generic",
// "avx2" and "avx512", by clearing the package's switches, and restores them.
func withKernels(t testing.TB, f func(name string)) {
	t.Helper()
	avx2, avx512 := useAVX2, useAVX512
	defer func() { useAVX2, useAVX512 = avx2, avx512 }()
	useAVX2, useAVX512 = false, false
	f("generic")
	if avx2 {
		useAVX2 = true
		f("avx2")
	}
	if avx512 {
		useAVX512 = true
		f("avx512")
	} else {
		t.Log("no AVX-512 on this CPU: its kernel is not tested")
	}
}
