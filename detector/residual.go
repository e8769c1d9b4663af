package detector

import "math"

// The residual of a block is what is left of it once the best-fitting pair
// of sinusoids at the candidate's two measured frequencies, and a DC level,
// has been taken out by least squares: everything that is not the two
// tones. A key press leaves noise, which is spectrally flat; speech and
// music leave their other partials — pitch harmonics on both sides of the
// two that mimic a key, a chord's third note — which are not.
//
// Its spectrum is measured at residualBins frequencies residualStep apart
// from residualLow. residualStep is half the resolution of a 5 ms block at
// every rate (the block is h = rate/200 samples, and rate/(2h) = 100 Hz),
// so the bins are the block's DFT zero-padded twice: a component between
// two bins loses at most 0.9 dB.
const (
	residualLow  = 400.0 // [Hz]
	residualStep = 100.0 // [Hz]
	residualBins = 21    // 400 … 2400 Hz
)

// The bins the residual checks read, as indices: the in-band residual is
// averaged over 600–1500 Hz — the DTMF band and the gap between its groups,
// where a voice's harmonics sit around the two it shares with a key, and
// where a talk-down background (mostly below 600 Hz for speech) is weak —
// and a third tone is looked for over 600–2400 Hz.
const (
	residualBandFirst = 2  // 600 Hz
	residualBandLast  = 11 // 1500 Hz
	thirdToneLast     = 20 // 2400 Hz
)

// toneGuard is how close to either tone [Hz] a residual bin is left out:
// the least-squares fit takes the tone out of its own bin and changes its
// neighbours (a 5 ms block cannot resolve less than 200 Hz), so they say
// nothing about other sound.
const toneGuard = 100.0

// noiseMedianToMean converts the median of the bins of a white-noise block
// into their mean: each bin's power is exponentially distributed, whose
// median is ln 2 of its mean.
const noiseMedianToMean = 1 / math.Ln2

// residualTable holds, per sample rate, the residual spectrum's DFT kernels
// for one block: cos and sin of 2π·f_j·n/rate for bin j, sample n.
type residualTable struct {
	cos, sin [residualBins][]float32
}

func newResidualTable(rate, h int) *residualTable {
	t := &residualTable{}
	for j := range residualBins {
		w := 2 * math.Pi * (residualLow + residualStep*float64(j)) / float64(rate)
		t.cos[j] = make([]float32, h)
		t.sin[j] = make([]float32, h)
		for n := range h {
			t.cos[j][n] = float32(math.Cos(w * float64(n)))
			t.sin[j][n] = float32(math.Sin(w * float64(n)))
		}
	}
	return t
}

// residualStats is what one block's residual shows, in the units of the
// tone powers (|X|² of a block: a sine of amplitude A gives (A·h/2)²).
type residualStats struct {
	// band is the residual's mean excess over the noise floor in the
	// in-band bins (600–1500 Hz, the bins near the tones left out).
	band float32
	// third is the strongest bin's excess over the noise floor in
	// 600–2400 Hz (the bins near the tones left out).
	third float32
	// diff is the residual's DFT at f_h − f_l (phase from the block's
	// first sample), where every harmonic series that holds both tones also
	// has a harmonic.
	diff complex128
}

// residual fits DC and sinusoids at fl and fh [Hz] to the block x by least
// squares and measures what is left, using r (len(x)) as scratch. A block
// whose fit is singular (it cannot be, for h ≥ 40 samples and tones 268 Hz
// or more apart) counts as all residual.
func (t *residualTable) residual(x []int16, rate int, fl, fh float64, r []float32) residualStats {
	const nb = 5 // 1, cos wl·n, sin wl·n, cos wh·n, sin wh·n
	wl, wh := 2*math.Pi*fl/float64(rate), 2*math.Pi*fh/float64(rate)
	cl, sl := math.Cos(wl), math.Sin(wl)
	ch, sh := math.Cos(wh), math.Sin(wh)
	// The normal equations of the basis b = (1, lr, li, hr, hi) at each
	// sample: Σ b_i·v and the upper triangle of Σ b_i·b_j, in locals (the
	// products with b_0 = 1 are exact, so they are plain sums).
	var r0, r1, r2, r3, r4 float64
	var g00, g01, g02, g03, g04, g11, g12, g13, g14, g22, g23, g24, g33, g34, g44 float64
	lr, li, hr, hi := 1.0, 0.0, 1.0, 0.0
	for _, s := range x {
		v := float64(s)
		r0 += v
		r1 += lr * v
		r2 += li * v
		r3 += hr * v
		r4 += hi * v
		g00++
		g01 += lr
		g02 += li
		g03 += hr
		g04 += hi
		g11 += lr * lr
		g12 += lr * li
		g13 += lr * hr
		g14 += lr * hi
		g22 += li * li
		g23 += li * hr
		g24 += li * hi
		g33 += hr * hr
		g34 += hr * hi
		g44 += hi * hi
		lr, li = lr*cl-li*sl, lr*sl+li*cl
		hr, hi = hr*ch-hi*sh, hr*sh+hi*ch
	}
	gram := [nb][nb]float64{
		{g00, g01, g02, g03, g04},
		{0, g11, g12, g13, g14},
		{0, 0, g22, g23, g24},
		{0, 0, 0, g33, g34},
		{0, 0, 0, 0, g44},
	}
	coef, ok := solve5(&gram, [nb]float64{r0, r1, r2, r3, r4})
	lr, li, hr, hi = 1, 0, 1, 0
	for n, s := range x {
		v := float64(s)
		if ok {
			v -= coef[0] + coef[1]*lr + coef[2]*li + coef[3]*hr + coef[4]*hi
		}
		r[n] = float32(v)
		lr, li = lr*cl-li*sl, lr*sl+li*cl
		hr, hi = hr*ch-hi*sh, hr*sh+hi*ch
	}
	var p [residualBins]float32
	t.spectrum(r, &p)
	sorted := p
	noise := medianBins(&sorted) * noiseMedianToMean
	var s residualStats
	var nband int
	for j := residualBandFirst; j <= thirdToneLast; j++ {
		f := residualLow + residualStep*float64(j)
		if math.Abs(f-fl) <= toneGuard || math.Abs(f-fh) <= toneGuard {
			continue
		}
		excess := p[j] - noise
		s.third = max(s.third, excess)
		if j <= residualBandLast {
			s.band += max(excess, 0)
			nband++
		}
	}
	if nband > 0 {
		s.band /= float32(nband)
	}
	s.diff = dft(r, 2*math.Pi*(fh-fl)/float64(rate))
	return s
}

// spectrum writes the power of r in each residual bin.
//
// Three bins at a time: each bin's sums run over the samples in order, as
// for one bin alone, but six independent chains of additions keep the
// processor busy where one bin's two would wait on each other.
func (t *residualTable) spectrum(r []float32, p *[residualBins]float32) {
	for j := 0; j < residualBins; j += 3 {
		var re0, im0, re1, im1, re2, im2 float32
		c0, s0 := t.cos[j][:len(r)], t.sin[j][:len(r)]
		c1, s1 := t.cos[j+1][:len(r)], t.sin[j+1][:len(r)]
		c2, s2 := t.cos[j+2][:len(r)], t.sin[j+2][:len(r)]
		for n, v := range r {
			re0 += v * c0[n]
			im0 += v * s0[n]
			re1 += v * c1[n]
			im1 += v * s1[n]
			re2 += v * c2[n]
			im2 += v * s2[n]
		}
		p[j] = re0*re0 + im0*im0
		p[j+1] = re1*re1 + im1*im1
		p[j+2] = re2*re2 + im2*im2
	}
}

// residualBins is a multiple of three for spectrum.
var _ [0]struct{} = [residualBins % 3]struct{}{}

// medianBins returns the median of the bins, reordering them.
func medianBins(p *[residualBins]float32) float32 {
	for i := 1; i < len(p); i++ { // insertion sort: 21 values
		v := p[i]
		j := i
		for ; j > 0 && p[j-1] > v; j-- {
			p[j] = p[j-1]
		}
		p[j] = v
	}
	return p[len(p)/2]
}

// solve5 solves the symmetric positive definite 5×5 system whose upper
// triangle is a by Cholesky decomposition; ok is false if a is singular.
func solve5(a *[5][5]float64, b [5]float64) (x [5]float64, ok bool) {
	const n = 5
	var l [n][n]float64
	for i := range n {
		for j := 0; j <= i; j++ {
			s := a[j][i]
			for k := range j {
				s -= l[i][k] * l[j][k]
			}
			if i == j {
				if !(s > 1e-9*a[i][i]) {
					return x, false
				}
				l[i][i] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	var y [n]float64
	for i := range n {
		s := b[i]
		for k := range i {
			s -= l[i][k] * y[k]
		}
		y[i] = s / l[i][i]
	}
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= l[k][i] * x[k]
		}
		x[i] = s / l[i][i]
	}
	return x, true
}

// dft returns Σ r[n]·e^{-iwn}.
func dft(r []float32, w float64) complex128 {
	c, sn := math.Cos(w), math.Sin(w)
	var re, im float64
	ur, ui := 1.0, 0.0
	for _, v := range r {
		re += float64(v) * ur
		im += float64(v) * ui
		ur, ui = ur*c+ui*sn, ui*c-ur*sn
	}
	return complex(re, im)
}
