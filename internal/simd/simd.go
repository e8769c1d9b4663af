// Package simd holds the detector's small vector kernels: block energy of
// 16-bit samples (amd64 AVX2), block floating point packing of 8 complex
// values and the onset floors' update (amd64 AVX-512). Each has a pure-Go
// version (used on other platforms, on CPUs without the extension, detected
// at run time, and with the purego build tag) that gives identical results.
package simd

// Energy returns Σx and Σx² of x, with samples of -32768 counted as -32767
// (so that a pair of squares fits an int32 lane). Integer sums are exact, so
// every implementation gives the same result, for any length of x.
func Energy(x []int16) (sum, sq int64) {
	n := energyVector(x)
	if n == len(x) && n > 0 && n <= maxVectorRun {
		return energyBlocks(x) // one call for a block
	}
	for done := 0; done < n; {
		// The vector kernel's int32 lanes each gather the sum of two samples
		// per 16: they would wrap past 524,288 samples.
		m := min(n-done, maxVectorRun)
		s, q := energyBlocks(x[done : done+m])
		sum, sq = sum+s, sq+q
		done += m
	}
	s, q := energyGeneric(x[n:])
	return sum + s, sq + q
}

// maxVectorRun is the most samples handed to the vector kernel at once, a
// multiple of 16: its int32 lanes reach at most 2·32767 per 16 samples,
// 2^31·16/65534 ≈ 524,000 samples in all, so half of that is safe.
const maxVectorRun = 1 << 18

func energyGeneric(x []int16) (sum, sq int64) {
	var s0, s1, q0, q1 int64
	n := len(x) &^ 1
	for i := 0; i < n; i += 2 {
		a, b := int32(max(x[i], -32767)), int32(max(x[i+1], -32767))
		s0 += int64(a)
		s1 += int64(b)
		q0 += int64(a * a)
		q1 += int64(b * b)
	}
	if n < len(x) {
		a := int32(max(x[n], -32767))
		s0 += int64(a)
		q0 += int64(a * a)
	}
	return s0 + s1, q0 + q1
}
