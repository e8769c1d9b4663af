package synth

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synth is the ground truth of most detector tests: these tests check it
// against analytic values, not against itself.

// sineParams recovers the angular frequency [rad/sample], amplitude and
// phase of a pure sinusoid x[n] = A·sin(ω·n + φ) from its samples, using
// the exact identity x[n-1] + x[n+1] = 2·cos(ω)·x[n] (least squares over
// every n), then x[0] = A·sin φ and x[1] = A·sin(ω + φ).
func sineParams(x []float64) (omega, amp, phase float64) {
	var num, den float64
	for n := 1; n+1 < len(x); n++ {
		num += x[n] * (x[n-1] + x[n+1])
		den += 2 * x[n] * x[n]
	}
	c := num / den
	omega = math.Acos(c)
	cosPart := (x[1] - x[0]*c) / math.Sin(omega) // A·cos φ
	return omega, math.Hypot(x[0], cosPart), math.Atan2(x[0], cosPart)
}

// q23 is the keypad of ITU-T Q.23, written out here independently.
var q23 = map[byte][2]float64{
	'1': {697, 1209}, '2': {697, 1336}, '3': {697, 1477}, 'A': {697, 1633},
	'4': {770, 1209}, '5': {770, 1336}, '6': {770, 1477}, 'B': {770, 1633},
	'7': {852, 1209}, '8': {852, 1336}, '9': {852, 1477}, 'C': {852, 1633},
	'*': {941, 1209}, '0': {941, 1336}, '#': {941, 1477}, 'D': {941, 1633},
}

func TestAmplitude(t *testing.T) {
	assert.InDelta(t, 0.6997*32768, Amplitude(0), 1e-9, "0 dBm0 is a sine of peak 0.6997 of full scale (G.711)")
	assert.InDelta(t, 0.6997*32768/10, Amplitude(-20), 1e-9, "-20 dB is a tenth of the amplitude")
	assert.InDelta(t, 2*Amplitude(-13), Amplitude(-13+20*math.Log10(2)), 1e-9, "+6.02 dB doubles it")
	assert.Zero(t, Amplitude(math.Inf(-1)))
	// The power of a sine of that amplitude, against 0 dBm0's.
	a := Amplitude(-36)
	assert.InDelta(t, -36, 10*math.Log10((a*a/2)/(DBm0Peak*DBm0Peak/2)), 1e-12)
}

func TestFrequencies(t *testing.T) {
	for d, want := range q23 {
		lo, hi, err := Frequencies(d)
		require.NoError(t, err)
		assert.Equal(t, want, [2]float64{lo, hi}, "%c", d)
	}
	for _, d := range []byte{'a', 'E', 'x', 0, '#' + 1} {
		_, _, err := Frequencies(d)
		assert.ErrorContains(t, err, "not a DTMF key", "%q", d)
	}
	s := New(8000, 1)
	assert.Error(t, s.Add(Tone{Digit: 'e', Duration: 10}))
	assert.Empty(t, s.Samples, "a bad key writes nothing")
	assert.Empty(t, s.Presses)
}

// Each tone has exactly the level, frequency (offset included) and start
// phase asked for, at several rates.
func TestToneLevelFrequencyPhase(t *testing.T) {
	for _, rate := range []int{8000, 16000, 44100} {
		for _, tc := range []struct {
			name        string
			digit       byte
			level, off  float64
			phase       float64
			low         bool
			otherSilent Tone
		}{
			{"low 697", '1', -10, 0, 0.3, true, Tone{}},
			{"low 941 -36 dBm0 +1.5 %", '*', -36, 1.5, 2.9, true, Tone{}},
			{"high 1633 +3 dBm0 -3.5 %", 'D', 3, -3.5, -1.2, false, Tone{}},
			{"high 1336 -20 dBm0", '5', -20, 0, 0, false, Tone{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := New(rate, 7)
				tone := Tone{Digit: tc.digit, Duration: 250, LowLevel: math.Inf(-1), HighLevel: math.Inf(-1)}
				lo, hi, _ := Frequencies(tc.digit)
				f := hi
				if tc.low {
					tone.LowLevel, tone.LowOffset, tone.LowPhase = tc.level, tc.off, tc.phase
					f = lo
				} else {
					tone.HighLevel, tone.HighOffset, tone.HighPhase = tc.level, tc.off, tc.phase
				}
				require.NoError(t, s.Add(tone))
				omega, amp, phase := sineParams(s.Samples)
				wantF := f * (1 + tc.off/100)
				assert.InDelta(t, wantF, omega*float64(rate)/(2*math.Pi), 1e-6*wantF, "frequency [Hz]")
				assert.InDelta(t, Amplitude(tc.level), amp, 1e-9*Amplitude(tc.level), "amplitude")
				assert.InDelta(t, tc.level, 20*math.Log10(amp/DBm0Peak), 1e-9, "level [dBm0]")
				assert.InDelta(t, 0, math.Remainder(phase-tc.phase, 2*math.Pi), 1e-9, "phase at the tone's first sample [rad]")
			})
		}
	}
}

// A dual tone is the sum of its two tones, sample by sample, and its mean
// power over a whole number of seconds is the sum of the two sines' powers.
func TestDualToneIsTheSum(t *testing.T) {
	const rate = 8000
	both, low, high := New(rate, 1), New(rate, 1), New(rate, 1)
	tone := Tone{Digit: '9', Duration: 1000, LowLevel: -12, HighLevel: -8, LowOffset: 1, HighOffset: -2, LowPhase: 1, HighPhase: 2}
	require.NoError(t, both.Add(tone))
	lt, ht := tone, tone
	lt.HighLevel, ht.LowLevel = math.Inf(-1), math.Inf(-1)
	require.NoError(t, low.Add(lt))
	require.NoError(t, high.Add(ht))
	for i := range both.Samples {
		require.InDelta(t, low.Samples[i]+high.Samples[i], both.Samples[i], 1e-9, "sample %d", i)
	}
	al, ah := Amplitude(-12), Amplitude(-8)
	assert.InDelta(t, al*al/2+ah*ah/2, both.Power(0, len(both.Samples)), 1e-3*(al*al/2+ah*ah/2))
}

// Lengths are exact to the sample: a duration of d ms is round(d·rate/1000)
// samples, silences and tones alike, and each press records where it lies.
func TestLengthsToTheSample(t *testing.T) {
	for _, tc := range []struct {
		rate     int
		ms       float64
		samples  int
		leadMS   float64
		leadSamp int
	}{
		{8000, 40, 320, 100, 800},
		{8000, 12.5, 100, 0.0625, 1},   // 0.5 samples rounds up
		{8000, 23, 184, 0.06, 0},       // 0.48 rounds down
		{16000, 65.03125, 1041, 1, 16}, // 1040.5 rounds up
		{44100, 10, 441, 0.5, 22},
		{48000, 0, 0, 7, 336},
	} {
		s := New(tc.rate, 1)
		assert.Equal(t, tc.samples, s.N(tc.ms), "N(%g) at %d Hz", tc.ms, tc.rate)
		s.Silence(tc.leadMS)
		require.Equal(t, tc.leadSamp, len(s.Samples))
		require.NoError(t, s.Add(Tone{Digit: '0', Duration: tc.ms, LowLevel: -10, HighLevel: -10}))
		s.Silence(tc.leadMS)
		assert.Equal(t, 2*tc.leadSamp+tc.samples, len(s.Samples))
		require.Len(t, s.Presses, 1)
		assert.Equal(t, Press{Digit: '0', Start: tc.leadSamp, End: tc.leadSamp + tc.samples}, s.Presses[0])
		for i, v := range s.Samples {
			if i < tc.leadSamp || i >= tc.leadSamp+tc.samples {
				require.Zero(t, v, "silence is exact zeros (sample %d)", i)
			}
		}
		assert.Equal(t, len(s.Samples), len(s.PCM()))
	}
}

// An interruption is exact zeros from its start to its end, to the
// sample, and the tone's phase runs on through it.
func TestGaps(t *testing.T) {
	const rate = 8000
	plain, gapped := New(rate, 1), New(rate, 1)
	tone := Tone{Digit: '5', Duration: 100, LowLevel: -10, HighLevel: -10, LowPhase: 0.5, HighPhase: 1.5}
	require.NoError(t, plain.Add(tone))
	tone.Gaps = [][2]float64{{10, 5}, {60.0625, 1}}
	require.NoError(t, gapped.Add(tone))
	require.Equal(t, 800, len(gapped.Samples))
	silent := func(i int) bool { return i >= 80 && i < 120 || i >= 481 && i < 489 } // 10..15 ms; 60.0625..61.0625 ms
	for i := range gapped.Samples {
		if silent(i) {
			assert.Zero(t, gapped.Samples[i], "sample %d is in a gap", i)
		} else {
			assert.Equal(t, plain.Samples[i], gapped.Samples[i], "sample %d is outside the gaps", i)
		}
	}
	assert.Equal(t, Press{Digit: '5', Start: 0, End: 800}, gapped.Presses[0], "a gap does not split the press")
}

// White Gaussian noise has the power asked for, zero mean, no correlation
// between neighbours, and gives the SNR asked for against a tone.
func TestNoise(t *testing.T) {
	const rate, seconds = 8000, 100
	s := New(rate, 3)
	s.Silence(seconds * 1000)
	const power = 1e4
	s.AddNoise(power)
	n := float64(len(s.Samples))
	var sum, sq, lag float64
	for i, v := range s.Samples {
		sum += v
		sq += v * v
		if i > 0 {
			lag += v * s.Samples[i-1]
		}
	}
	// Standard errors: power·sqrt(2/n) for the power, sqrt(power/n) for the
	// mean, 1/sqrt(n) for the lag-1 correlation; the limits are 5 of them.
	assert.InDelta(t, power, sq/n, 5*power*math.Sqrt(2/n), "noise power")
	assert.InDelta(t, 0, sum/n, 5*math.Sqrt(power/n), "mean")
	assert.InDelta(t, 0, lag/sq, 5/math.Sqrt(n), "lag-1 correlation (white)")

	// SNR: a -10 dBm0 pair in noise of its power over 10^(snr/10).
	for _, snr := range []float64{20, 6, 0, -3} {
		clean, noisy := New(rate, 9), New(rate, 9)
		tone := Tone{Digit: '#', Duration: 20000, LowLevel: -10, HighLevel: -10}
		require.NoError(t, clean.Add(tone))
		require.NoError(t, noisy.Add(tone))
		signal := clean.Power(0, len(clean.Samples))
		noisy.AddNoise(signal / math.Pow(10, snr/10))
		var np float64
		for i := range noisy.Samples {
			d := noisy.Samples[i] - clean.Samples[i]
			np += d * d
		}
		np /= float64(len(noisy.Samples))
		assert.InDelta(t, snr, 10*math.Log10(signal/np), 0.05, "SNR [dB]")
	}
}

// The same seed gives the same signal (noise and random phases); another
// seed another one.
func TestSeeded(t *testing.T) {
	build := func(seed uint64) []int16 {
		s := New(8000, seed)
		require.NoError(t, s.Add(Tone{Digit: '3', Duration: 50, LowLevel: -10, HighLevel: -10, RandomPhase: true}))
		s.AddNoise(100)
		return s.PCM()
	}
	assert.Equal(t, build(5), build(5))
	assert.NotEqual(t, build(5), build(6))
	// Random phases are drawn, and uniform enough to differ tone to tone.
	s := New(8000, 5)
	for range 2 {
		require.NoError(t, s.Add(Tone{Digit: '3', Duration: 50, LowLevel: -10, HighLevel: math.Inf(-1), RandomPhase: true}))
	}
	_, _, p1 := sineParams(s.Samples[:400])
	_, _, p2 := sineParams(s.Samples[400:])
	assert.Greater(t, math.Abs(math.Remainder(p1-p2, 2*math.Pi)), 1e-3)
}

// PCM rounds to nearest (halves away from zero) and saturates at 16 bits.
func TestPCM(t *testing.T) {
	s := New(8000, 1)
	s.Samples = []float64{0, 0.49, 0.5, -0.5, 1.5, -1.5, 32766.6, 32767.5, 40000, -32768.4, -32768.6, -1e9, math.Inf(1)}
	assert.Equal(t, []int16{0, 0, 1, -1, 2, -2, 32767, 32767, 32767, -32768, -32768, -32768, 32767}, s.PCM())
	assert.Zero(t, s.Power(3, 3), "an empty range has no power")
	assert.InDelta(t, (0.25+2.25)/2, s.Power(3, 5), 1e-12)
}
