package simd

import (
	"math"
	"testing"
)

// mantissa rounds to nearest (halves to even), exactly as math.RoundToEven,
// over the whole range it is used on, and saturates nothing it need not.
func TestMantissaRounds(t *testing.T) {
	for _, v := range []float32{0, 0.49, 0.5, 0.51, 1.5, 2.5, -0.5, -1.5, -2.49, 32766.5, 32767, -32767, 32767.004, -32767.004, 1234.56, -9876.5} {
		want := int16(math.RoundToEven(float64(v)))
		if got := mantissa(v); got != want {
			t.Errorf("mantissa(%v) = %d, want %d", v, got, want)
		}
	}
	for i := -32767 * 4; i <= 32767*4; i++ {
		v := float32(i) / 4
		if got, want := mantissa(v), int16(math.RoundToEven(float64(v))); got != want {
			t.Fatalf("mantissa(%v) = %d, want %d", v, got, want)
		}
	}
}
