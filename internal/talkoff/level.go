package talkoff

import (
	"math"
	"slices"
)

// Level measurement. 0 dBm0 is the power of a sine of peak 0.6997 of 16-bit
// full scale (ITU-T G.711): RMS 0.6997·32768/√2 ≈ 16212.
const (
	// ReferencePower is the mean square of a 0 dBm0 sine [sample²].
	ReferencePower = (0.6997 * 32768) * (0.6997 * 32768) / 2

	// levelFrame is the frame over which power is measured [samples at
	// 8 kHz]: 10 ms, shorter than a syllable or a note.
	levelFrame = 80
	// activeBelowPeak [dB]: a frame is active when its power is no more
	// than this far below the 95th-percentile frame, which leaves out the
	// pauses between words and notes (the "active level" of the bench
	// package, after the idea of ITU-T P.56).
	activeBelowPeak = 30
	// activeFloorDBm0: frames below this are silence whatever the peak.
	activeFloorDBm0 = -70
)

// ActiveLevel returns the mean power of the active 10 ms frames of pcm
// (8000 Hz) in dBm0, and the fraction of frames that are active. A signal
// with no active frame (silence, or shorter than 10 ms) gives -Inf, 0.
func ActiveLevel(pcm []int16) (dbm0, active float64) {
	n := len(pcm) / levelFrame
	if n == 0 {
		return math.Inf(-1), 0
	}
	p := make([]float64, n)
	for i := range n {
		var s float64
		for _, v := range pcm[i*levelFrame : (i+1)*levelFrame] {
			s += float64(v) * float64(v)
		}
		p[i] = s / levelFrame
	}
	sorted := slices.Clone(p)
	slices.Sort(sorted)
	thr := sorted[(len(sorted)-1)*95/100] * math.Pow(10, -activeBelowPeak/10.0)
	thr = math.Max(thr, ReferencePower*math.Pow(10, activeFloorDBm0/10.0))
	var sum float64
	var k int
	for _, v := range p {
		if v >= thr {
			sum += v
			k++
		}
	}
	if k == 0 {
		return math.Inf(-1), 0
	}
	return 10 * math.Log10(sum/float64(k)/ReferencePower), float64(k) / float64(n)
}

// Scale multiplies pcm by 10^(gainDB/20) in place, rounding to nearest and
// clipping to the 16-bit range; it returns the number of clipped samples.
func Scale(pcm []int16, gainDB float64) (clipped int) {
	g := math.Pow(10, gainDB/20)
	for i, v := range pcm {
		x := math.Round(float64(v) * g)
		switch {
		case x > math.MaxInt16:
			x = math.MaxInt16
			clipped++
		case x < math.MinInt16:
			x = math.MinInt16
			clipped++
		}
		pcm[i] = int16(x)
	}
	return clipped
}

// Pitch estimation: normalised autocorrelation of 40 ms frames at 8 kHz
// over lags for 75-320 Hz, voiced when the peak exceeds voicedCorrelation.
const (
	pitchFrame        = 320
	pitchMinHz        = 75
	pitchMaxHz        = 320
	voicedCorrelation = 0.6
	pitchRate         = 8000
)

// EstimatePitch measures the voiced pitch of speech at 8000 Hz: the 10th,
// 50th and 90th percentile of per-frame f0 over voiced, active frames. It
// returns nil when fewer than 10 frames are voiced. It is a coarse
// autocorrelation estimate meant to describe a corpus, not a pitch tracker:
// octave errors are possible in a few frames.
func EstimatePitch(pcm []int16) *Pitch {
	lvl, _ := ActiveLevel(pcm)
	if math.IsInf(lvl, -1) {
		return nil
	}
	minPower := ReferencePower * math.Pow(10, (lvl-20)/10)
	minLag, maxLag := pitchRate/pitchMaxHz, pitchRate/pitchMinHz
	x := make([]float64, pitchFrame+maxLag)
	var f0s []float64
	for start := 0; start+len(x) <= len(pcm); start += pitchFrame {
		var e float64
		for i := range x {
			x[i] = float64(pcm[start+i])
		}
		for _, v := range x[:pitchFrame] {
			e += v * v
		}
		if e/pitchFrame < minPower {
			continue
		}
		best, bestLag := 0.0, 0
		for lag := minLag; lag <= maxLag; lag++ {
			var c, e2 float64
			for i := range pitchFrame {
				c += x[i] * x[i+lag]
				e2 += x[i+lag] * x[i+lag]
			}
			if r := c / math.Sqrt(e*e2+1); r > best {
				best, bestLag = r, lag
			}
		}
		if best >= voicedCorrelation {
			f0s = append(f0s, float64(pitchRate)/float64(bestLag))
		}
	}
	if len(f0s) < 10 {
		return nil
	}
	slices.Sort(f0s)
	q := func(p int) float64 { return math.Round(f0s[(len(f0s)-1)*p/100]) }
	return &Pitch{P10: q(10), Median: q(50), P90: q(90), VoicedS: float64(len(f0s)*pitchFrame) / pitchRate}
}
