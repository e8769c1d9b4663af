package simd

import (
	"math"

	"github.com/stretchr/testify/require"
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

// withKernels runs f with the pure-Go kernels, then with each vector kernel
// this CPU has, by clearing the package's switches.
func withKernels(t testing.TB, f func(name string)) {
	t.Helper()
	avx2, avx512 := useAVX2, useAVX512
	defer func() { setKernels(avx2, avx512) }()
	setKernels(false, false)
	f("generic")
	if avx2 {
		setKernels(true, false)
		f("avx2")
	}
	if avx512 {
		setKernels(avx2, true)
		f("avx512")
	}
}

// randomParts returns 8 complex values whose parts have random signs and
// magnitudes over many octaves, some exactly 0 or ±0.5·2^k.
func randomParts(r *rand.Rand) (x [8]complex64) {
	part := func() float32 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return float32(math.Ldexp(0.5, r.IntN(40)-10)) * float32(1-2*r.IntN(2))
		default:
			return float32(r.NormFloat64() * math.Ldexp(1, r.IntN(40)-10))
		}
	}
	for k := range x {
		x[k] = complex(part(), part())
	}
	return x
}

// Pack, Floors and PackFloors give the same bits with every kernel, and Pack's values
// reconstruct the parts to 2^-15 of the largest.
func TestPackFloorsKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 20000 {
		x := randomParts(r)
		if i%50 == 0 {
			x = [8]complex64{}
		}
		var pw [8]float32
		for k, c := range x {
			pw[k] = float32(real(c)*real(c)) + float32(imag(c)*imag(c))
		}
		var floor0 [8]uint8
		for k := range floor0 {
			floor0[k] = uint8(r.IntN(256))
		}
		base := int32(r.IntN(1200))
		rise := uint8(r.IntN(9))
		var wantV [16]int16
		wantS := packGeneric(&wantV, &x)
		wantF := floor0
		floorsGeneric(&wantF, &pw, base, rise)
		withKernels(t, func(name string) {
			v := [16]int16{1, 2, 3}
			s := Pack(&v, &x)
			require.Equal(t, wantV, v, "%s %v", name, x)
			require.Equal(t, math.Float32bits(wantS), math.Float32bits(s), "%s %v", name, x)
			f := floor0
			Floors(&f, &pw, base, rise)
			require.Equal(t, wantF, f, "%s", name)
			v2, f2 := [16]int16{4, 5}, floor0
			s2 := PackFloors(&v2, &x, &f2, &pw, base, rise)
			require.Equal(t, wantV, v2, "%s PackFloors", name)
			require.Equal(t, math.Float32bits(wantS), math.Float32bits(s2), "%s PackFloors", name)
			require.Equal(t, wantF, f2, "%s PackFloors", name)
		})
		// Half a step of rounding, plus scale's own float32 rounding.
		for k, c := range x {
			tol := func(p float32) float64 { return 0.5*float64(wantS) + 2e-7*math.Abs(float64(p)) }
			assert.InDelta(t, real(c), float64(wantV[2*k])*float64(wantS), tol(real(c)))
			assert.InDelta(t, imag(c), float64(wantV[2*k+1])*float64(wantS), tol(imag(c)))
		}
	}
}

func TestFloorsKnown(t *testing.T) {
	one := math.Float32bits(1) >> 20 // 1.0's quantum before the base
	floor := [8]uint8{0, 10, 250, 255, 100, 100, 100, 100}
	pw := [8]float32{1, 1, 1, 1, 0, float32(math.Inf(1)), -1, 1e-30}
	Floors(&floor, &pw, int32(one)-50, 4)
	assert.Equal(t, [8]uint8{4, 14, 50, 50, 0, 104, 50, 0}, floor)
}

// BenchmarkFloors measures the onset check's per-block floor update, alone
// and fused with the history packing (Pack, PackFloors): per 5 ms block, so
// divide by the block length (40 samples at 8 kHz) for ns/sample.
func BenchmarkFloors(b *testing.B) {
	var x [8]complex64
	var pw [8]float32
	for k := range x {
		x[k] = complex(float32(100*k+1), float32(37*k))
		pw[k] = real(x[k])*real(x[k]) + imag(x[k])*imag(x[k])
	}
	var floor [8]uint8
	var v [16]int16
	b.Run("Floors", func(b *testing.B) {
		for b.Loop() {
			Floors(&floor, &pw, 900, 4)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*40), "ns/sample")
	})
	b.Run("Pack", func(b *testing.B) {
		for b.Loop() {
			Pack(&v, &x)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*40), "ns/sample")
	})
	b.Run("PackFloors", func(b *testing.B) {
		for b.Loop() {
			PackFloors(&v, &x, &floor, &pw, 900, 4)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*40), "ns/sample")
	})
}
