//go:build !amd64 || purego

package simd

const useAVX2 = false

func setKernels(bool, bool) {}
