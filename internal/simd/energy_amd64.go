//go:build amd64 && !purego

package simd

import "golang.org/x/sys/cpu"

// useAVX2 and useAVX512 select the kernels; tests clear them to compare
// every kernel this CPU has with the pure-Go ones.
var (
	useAVX2   = cpu.X86.HasAVX2
	useAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512BW
)

// energyVector returns how many leading samples of x the vector kernel takes:
// whole groups of 8, when there is AVX2.
func energyVector(x []int16) int {
	if !useAVX2 {
		return 0
	}
	return len(x) &^ 7
}

func energyBlocks(x []int16) (sum, sq int64) { return energyAVX2(&x[0], len(x)) }

// energyAVX2 sums x[0:n] and its squares, n a positive multiple of 8 and
// at most maxVectorRun (its int32 lanes of sums would wrap past 2^19).
//
//go:noescape
func energyAVX2(x *int16, n int) (sum, sq int64)

// Kernel names the implementation in use.
func Kernel() string {
	if useAVX512 && useAVX2 {
		return "avx2 energy, avx512 pack and floors"
	}
	if useAVX512 {
		return "avx512 pack and floors"
	}
	if useAVX2 {
		return "avx2"
	}
	return "generic"
}
