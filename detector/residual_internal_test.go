package detector

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sineBlock returns n samples of the sum of sines {freq, amplitude, phase}
// at rate, plus dc and white noise of standard deviation sd.
func sineBlock(rate, n int, dc, sd float64, seed uint64, tones ...[3]float64) []int16 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]int16, n)
	for i := range x {
		v := dc + sd*r.NormFloat64()
		for _, t := range tones {
			v += t[1] * math.Sin(2*math.Pi*t[0]*float64(i)/float64(rate)+t[2])
		}
		x[i] = int16(max(-32768, min(32767, math.Round(v))))
	}
	return x
}

// blockPower is the |X|² a sine of amplitude a gives over a block of h
// samples: (a·h/2)².
func blockPower(a float64, h int) float64 { return (a * float64(h) / 2) * (a * float64(h) / 2) }

// The least-squares fit takes two tones and DC out of a block at every rate,
// whatever their phases and frequency error: what is left is rounding, far
// below any limit. A third tone comes out at its own level; white noise
// leaves almost no excess over its floor.
func TestResidual(t *testing.T) {
	const a = 8000.0
	for _, rate := range []int{8000, 11025, 16000, 48000} {
		h := int(math.Round(float64(rate) / 200))
		tab := newResidualTable(rate, h)
		r := make([]float32, h)
		ref := float32(blockPower(a, h))
		for seed := range uint64(20) {
			ph := float64(seed)
			fl, fh := 770*(1+0.02*math.Sin(ph)), 1336*(1-0.02*math.Cos(ph))
			two := sineBlock(rate, h, 300, 0, seed, [3]float64{fl, a, ph}, [3]float64{fh, a, 2 * ph})
			s := tab.residual(two, rate, fl, fh, r)
			if s.band > 1e-5*ref || s.third > 1e-5*ref || real(s.diff)*real(s.diff)+imag(s.diff)*imag(s.diff) > 1e-5*float64(ref) {
				t.Fatalf("rate %d seed %d: two tones and DC leave %+v (tone %g)", rate, seed, s, ref)
			}
			// A third tone 6 dB below the tones, between the groups.
			three := sineBlock(rate, h, 300, 0, seed, [3]float64{fl, a, ph}, [3]float64{fh, a, 2 * ph}, [3]float64{1100, a / 2, 3 * ph})
			s = tab.residual(three, rate, fl, fh, r)
			if db := 10 * math.Log10(float64(s.third/ref)); db < -8 || db > -4 {
				t.Errorf("rate %d seed %d: third tone at -6 dB measured %.1f dB", rate, seed, db)
			}
			// White noise 10 dB below each tone (per sample).
			noisy := sineBlock(rate, h, 0, a/math.Sqrt2/math.Sqrt(10), seed, [3]float64{fl, a, ph}, [3]float64{fh, a, 2 * ph})
			s = tab.residual(noisy, rate, fl, fh, r)
			// Noise at -10 dB per sample is about -10 - 10·log10(h/2)... per
			// bin: its excess over the floor must stay far below the tone.
			if db := 10 * math.Log10(float64(s.band/ref)+1e-12); db > -18 {
				t.Errorf("rate %d seed %d: white noise leaves an in-band excess of %.1f dB", rate, seed, db)
			}
		}
	}
}

// solve5 solves a known system and reports a singular one.
func TestSolve5(t *testing.T) {
	var a [5][5]float64
	want := [5]float64{1, -2, 3, 0.5, -1}
	var b [5]float64
	for i := range 5 {
		for j := range 5 {
			v := 1 / float64(i+j+1) // Hilbert matrix: symmetric positive definite
			if i == j {
				v += 1
			}
			if j >= i {
				a[i][j] = v
			}
			b[i] += v * want[j]
		}
	}
	x, ok := solve5(&a, b)
	if !ok {
		t.Fatal("reported singular")
	}
	for i := range x {
		if math.Abs(x[i]-want[i]) > 1e-9 {
			t.Fatalf("x = %v, want %v", x, want)
		}
	}
	var zero [5][5]float64
	if _, ok := solve5(&zero, b); ok {
		t.Fatal("a zero matrix solved")
	}
}
