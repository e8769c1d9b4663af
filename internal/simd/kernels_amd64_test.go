//go:build amd64 && !purego

package simd

func setKernels(avx2, avx512 bool) { useAVX2, useAVX512 = avx2, avx512 }
