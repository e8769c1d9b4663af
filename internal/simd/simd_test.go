package simd

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Energy must equal the pure-Go sums for every length and for the extreme
// values, whichever kernel this platform uses.
func TestEnergyMatchesGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for n := range 300 {
		x := make([]int16, n)
		for i := range x {
			switch r.IntN(4) {
			case 0:
				x[i] = -32768
			case 1:
				x[i] = 32767
			default:
				x[i] = int16(r.IntN(65536) - 32768)
			}
		}
		s, q := Energy(x)
		gs, gq := energyGeneric(x)
		assert.Equal(t, gs, s, "sum, n=%d", n)
		assert.Equal(t, gq, q, "squares, n=%d", n)
	}
}

func TestEnergyKnown(t *testing.T) {
	x := make([]int16, 48)
	for i := range x {
		x[i] = -32768
	}
	s, q := Energy(x)
	assert.Equal(t, int64(-32767*48), s)
	assert.Equal(t, int64(32767*32767*48), q)
	s, q = Energy([]int16{3, -4})
	assert.Equal(t, int64(-1), s)
	assert.Equal(t, int64(25), q)
}

// Long and extreme inputs: the vector kernel's int32 lanes would wrap past
// 524,288 samples of full scale; Energy must stay exact for any length.
func TestEnergyLong(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, n := range []int{maxVectorRun - 8, maxVectorRun, maxVectorRun + 8, 524288, 600000, 3<<20 + 5} {
		for _, fill := range []string{"max", "min", "random"} {
			x := make([]int16, n)
			for i := range x {
				switch fill {
				case "max":
					x[i] = 32767
				case "min":
					x[i] = -32768
				default:
					x[i] = int16(r.IntN(65536) - 32768)
				}
			}
			s, q := Energy(x)
			gs, gq := energyGeneric(x)
			assert.Equal(t, gs, s, "sum, n=%d %s", n, fill)
			assert.Equal(t, gq, q, "squares, n=%d %s", n, fill)
			if fill != "random" {
				assert.Equal(t, int64(n)*32767*32767, q, "squares, n=%d %s", n, fill)
				assert.Equal(t, int64(n)*32767*int64(1-2*boolInt(fill == "min")), s, "sum, n=%d %s", n, fill)
			}
		}
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func BenchmarkEnergy(b *testing.B) {
	x := make([]int16, 40)
	for i := range x {
		x[i] = int16(i * 1000)
	}
	b.ReportAllocs()
	for b.Loop() {
		Energy(x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/sample")
}
