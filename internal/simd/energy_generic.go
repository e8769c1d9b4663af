//go:build !amd64 || purego

package simd

// energyVector returns how many leading samples of x the vector kernel takes.
func energyVector([]int16) int { return 0 }

func energyBlocks(x []int16) (sum, sq int64) { return energyGeneric(x) }

// Kernel names the implementation in use.
func Kernel() string { return "generic" }
