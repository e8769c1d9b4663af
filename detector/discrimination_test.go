package detector_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/soak"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// explainAll decodes pcm with Explain on and returns the events and a copy
// of every evaluation.
func explainAll(t *testing.T, cfg detector.Config, pcm []int16) ([]detector.Event, []detector.Evaluation) {
	t.Helper()
	d, err := detector.New(cfg)
	require.NoError(t, err)
	var evs []detector.Evaluation
	d.Explain(func(e *detector.Evaluation) { evs = append(evs, *e) })
	var ev []detector.Event
	for i := 0; i < len(pcm); i += 160 {
		ev = d.Process(ev, pcm[i:min(i+160, len(pcm))])
	}
	return d.Flush(ev), evs
}

// confirmFailures counts, over the confirm evaluations, how often each
// check failed.
func confirmFailures(evs []detector.Evaluation) map[detector.Check]int {
	n := map[detector.Check]int{}
	for i := range evs {
		for c, r := range evs[i].Checks {
			if evs[i].Stage == detector.StageConfirm && r.Measured && !r.Passed {
				n[detector.Check(c)]++
			}
		}
	}
	return n
}

// Explanations change no decision: with Explain on, the same events come
// out, on keys, noise, speech, music and held tones alike; every KeyDown
// follows a confirm evaluation of its digit and start that passed, and no
// other confirm evaluation passed; each evaluation is well formed (values
// and bounds for every check that ran, a failed check for every failure).
func TestExplainChangesNothing(t *testing.T) {
	prog := soak.New(soak.Config{Seed: 3})
	var pcm []int16
	for _, s := range prog.Segments() {
		pcm = append(pcm, s.PCM...)
	}
	s := synth.New(8000, 9)
	for _, d := range []byte(detector.Keys) {
		s.Silence(60)
		require.NoError(t, s.Add(synth.Tone{Digit: d, Duration: 50, LowLevel: -18, HighLevel: -18, RandomPhase: true}))
	}
	s.AddNoise(noisePower(-18, 4))
	pcm = append(pcm, s.PCM()...)
	cfg := detector.DefaultConfig()
	plain := decodeAll(t, cfg, pcm)
	got, evs := explainAll(t, cfg, pcm)
	require.Equal(t, plain, got, "Explain changed the events")
	require.NotEmpty(t, evs)
	passed := 0
	for i := range evs {
		e := &evs[i]
		require.Contains(t, []detector.Stage{detector.StageWindow, detector.StageConfirm}, e.Stage)
		require.Contains(t, detector.Keys, string(e.Digit))
		ran := 0
		for c, r := range e.Checks {
			if !r.Measured {
				continue
			}
			ran++
			assert.LessOrEqual(t, r.Min, r.Max, "%s bounds", detector.Check(c))
			if !math.IsNaN(r.Value) {
				assert.Equal(t, r.Value >= r.Min && r.Value <= r.Max, r.Passed, "%s: %v in [%v, %v]", detector.Check(c), r.Value, r.Min, r.Max)
			}
		}
		require.NotZero(t, ran)
		_, failed := e.Failed()
		require.Equal(t, !e.Passed(), failed)
		if e.Stage == detector.StageConfirm && e.Passed() {
			passed++
		}
	}
	var downs []detector.Event
	for _, e := range got {
		if e.Type == detector.KeyDown {
			downs = append(downs, e)
		}
	}
	require.Len(t, downs, passed, "one passed confirm evaluation per KeyDown")
	j := 0
	for i := range evs {
		if e := &evs[i]; e.Stage == detector.StageConfirm && e.Passed() {
			assert.Equal(t, downs[j].Digit, e.Digit)
			assert.Equal(t, downs[j].Start, e.Start)
			assert.Equal(t, downs[j].At, e.At)
			j++
		}
	}
}

// Turning Explain off again restores the plain detector, and Reset keeps
// the explainer.
func TestExplainOffAndReset(t *testing.T) {
	pcm := single(1, 8000, tone('5', 80, -10, -10)).PCM()
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	n := 0
	d.Explain(func(*detector.Evaluation) { n++ })
	d.Flush(d.Process(nil, pcm))
	require.NotZero(t, n)
	n = 0
	d.Reset()
	d.Flush(d.Process(nil, pcm))
	require.NotZero(t, n, "Reset keeps the explainer")
	n = 0
	d.Explain(nil)
	d.Flush(d.Process(nil, pcm))
	require.Zero(t, n)
}

// A key with a steady third tone: tolerated 16 dB down (the third-tone
// tolerance of Q.24-class receivers), rejected at or above the tones' own
// level between the groups, with third-tone (or the in-band residual) the
// reason.
func TestThirdTone(t *testing.T) {
	for _, c := range []struct {
		f     float64 // [Hz]
		level float64 // relative to each tone [dB]
		found bool
	}{
		{1100, -16, true}, {1100, -20, true}, {2000, -16, true}, {600, -16, true},
		{1100, 0, false}, {1800, 0, false}, {1070, -2, false},
	} {
		t.Run(fmt.Sprintf("%v Hz %+v dB", c.f, c.level), func(t *testing.T) {
			for seed := range uint64(8) {
				s := single(seed, 8000, tone('5', 100, -15, -15))
				a := synth.Amplitude(-15 + c.level)
				p := s.Presses[0]
				ph := float64(seed)
				for i := p.Start; i < p.End; i++ {
					s.Samples[i] += a * math.Sin(2*math.Pi*c.f*float64(i)/8000+ph)
				}
				ev, evs := explainAll(t, detector.DefaultConfig(), s.PCM())
				if c.found {
					require.Equal(t, "5", digits(ev), "seed %d", seed)
					continue
				}
				require.Empty(t, keyUps(ev), "seed %d", seed)
				f := confirmFailures(evs)
				assert.Positive(t, f[detector.CheckThirdTone]+f[detector.CheckResidual], "seed %d: %v", seed, f)
			}
		})
	}
}

// vowel renders ms of a steady voiced vowel at f0 [Hz]: harmonics up to
// 3.6 kHz shaped by two formants (F1, F2 at the given frequencies, 120 Hz
// wide, F2 boosted) on a source falling 6 dB an
// octave, with a little jitter, at level [dBm0] (RMS as a sine).
func vowel(seed uint64, f0, f1, f2, ms, level float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 5))
	n := int(ms * 8)
	x := make([]float64, n)
	var amps, phs []float64
	for k := 1; k <= 15; k++ {
		f := float64(k) * f0
		if f > 3600 {
			break
		}
		res := func(fc float64) float64 { return 1 / math.Sqrt(1+math.Pow((f-fc)/60, 2)) }
		amps = append(amps, (0.1+res(f1)+2*res(f2))/float64(k))
		phs = append(phs, 2*math.Pi*r.Float64())
	}
	var ph float64
	var p float64
	for i := range x {
		ph += 2 * math.Pi * f0 * (1 + 0.002*r.NormFloat64()) / 8000
		for k, a := range amps {
			x[i] += a * math.Sin(float64(k+1)*ph+phs[k])
		}
		p += x[i] * x[i]
	}
	g := synth.Amplitude(level) / math.Sqrt2 / math.Sqrt(p/float64(n))
	for i := range x {
		x[i] *= g
	}
	return x
}

// A key pressed over a steady vowel 6 dB below it (f0 180 Hz, formants at
// 540 and 1260 Hz: harmonics near 697, 1209 and 1336 Hz) is found, and as
// the right key, whatever the key.
func TestKeyOverVowel(t *testing.T) {
	for seed := range uint64(6) {
		v := vowel(seed, 180, 540, 1260, 330, -15)
		require.Empty(t, keyUps(decodeAll(t, detector.DefaultConfig(), pcmOf(v))), "seed %d: the vowel alone is no key", seed)
		for _, key := range []byte(detector.Keys) {
			// The key at -12 dBm0 per tone (-9 dBm0 together) over the
			// vowel at -15 dBm0: 6 dB above it.
			s := synth.New(8000, seed)
			s.Silence(125)
			require.NoError(t, s.Add(synth.Tone{Digit: key, Duration: 80, LowLevel: -12, HighLevel: -12, RandomPhase: true}))
			s.Silence(125)
			for i := range s.Samples {
				s.Samples[i] += v[i%len(v)]
			}
			assert.Equal(t, string(key), digits(decodeAll(t, detector.DefaultConfig(), s.PCM())), "seed %d: key under a vowel", seed)
		}
	}
}

// White noise at 3 dB SNR (both tones' power over the noise in 0–4 kHz):
// at least 99 % of 50 ms digits and of 100/100 ms strings are found, at -10
// and -20 dBm0 per tone, with no false digit. (At 3 dB, a 40 ms tone still
// stands about 19 dB above the noise in a 25 Hz bin.)
func TestNoise3dB(t *testing.T) {
	for _, c := range []struct{ tone, pause, level float64 }{{50, 50, -10}, {50, 50, -20}, {100, 100, -10}, {100, 100, -20}} {
		t.Run(fmt.Sprintf("%v/%v ms at %v dBm0", c.tone, c.pause, c.level), func(t *testing.T) {
			found, total, extra := 0, 0, 0
			for seed := range uint64(20) {
				s := synth.New(8000, seed+uint64(-c.level)*100)
				s.Silence(100)
				for _, d := range []byte(detector.Keys) {
					require.NoError(t, s.Add(synth.Tone{Digit: d, Duration: c.tone, LowLevel: c.level, HighLevel: c.level, RandomPhase: true}))
					s.Silence(c.pause)
				}
				s.AddNoise(noisePower(c.level, 3))
				ups := keyUps(decodeAll(t, detector.DefaultConfig(), s.PCM()))
				f, e := matchPresses(ups, s.Presses)
				found, extra, total = found+f, extra+e, total+len(s.Presses)
			}
			t.Logf("%d/%d found, %d extra", found, total, extra)
			assert.GreaterOrEqual(t, float64(found), 0.99*float64(total))
			assert.Zero(t, extra)
		})
	}
}

// pcmOf rounds and saturates x to 16 bits.
func pcmOf(x []float64) []int16 {
	out := make([]int16, len(x))
	for i, v := range x {
		out[i] = int16(max(-32768, min(32767, math.Round(v))))
	}
	return out
}

// matchPresses counts the presses found (a key-up of the right digit
// overlapping the press) and the key-ups that match none.
func matchPresses(ups []detector.Event, presses []synth.Press) (found, extra int) {
	used := make([]bool, len(ups))
	for _, p := range presses {
		for i, u := range ups {
			if !used[i] && u.Digit == p.Digit && u.Start < int64(p.End) && u.End > int64(p.Start) {
				used[i] = true
				found++
				break
			}
		}
	}
	for _, u := range used {
		if !u {
			extra++
		}
	}
	return found, extra
}

// A chord that mimics a key by adding a note to one already sounding is
// rejected by the onset check; a key pressed while one of its tones sounds
// 15 dB weaker, or 40 ms after one of its tones stopped, is found.
func TestOnset(t *testing.T) {
	const lead = 300.0 // ms of the held tone before the second one starts
	sine := func(x []float64, f, dBm0, ph float64, from, to int) {
		a := synth.Amplitude(dBm0)
		for i := from; i < to; i++ {
			x[i] += a * math.Sin(2*math.Pi*f*float64(i)/8000+ph)
		}
	}
	for _, c := range []struct {
		name  string
		held  float64 // level of the held 697 Hz tone [dBm0]
		stop  float64 // ms before the key that the held tone stops; 0: it goes on
		key   bool    // the key's own 697 Hz starts with its 1209 Hz
		found bool
	}{
		{name: "697 Hz held, 1209 Hz joins it", held: -15},
		{name: "697 Hz held 3 dB up, 1209 Hz joins it", held: -12},
		{name: "key over a 697 Hz tone 15 dB down", held: -30, key: true, found: true},
		{name: "key 40 ms after a 697 Hz tone stopped", held: -15, stop: 40, key: true, found: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			for seed := range uint64(8) {
				r := rand.New(rand.NewPCG(seed, 17))
				s := synth.New(8000, seed)
				s.Silence(lead + 10*r.Float64())
				on := len(s.Samples)
				s.Silence(100)
				off := len(s.Samples)
				s.Silence(100)
				x := s.Samples
				sine(x, 1209, -15, 2*math.Pi*r.Float64(), on, off)
				if c.key {
					sine(x, 697, -15, 2*math.Pi*r.Float64(), on, off)
				}
				end := len(x)
				if c.stop > 0 {
					end = on - s.N(c.stop)
				}
				sine(x, 697.3, c.held, 2*math.Pi*r.Float64(), 0, end)
				ev, evs := explainAll(t, detector.DefaultConfig(), s.PCM())
				if c.found {
					require.Equal(t, "1", digits(ev), "seed %d", seed)
					continue
				}
				require.Empty(t, keyUps(ev), "seed %d", seed)
				f := confirmFailures(evs)
				assert.Positive(t, f[detector.CheckOnset], "seed %d: %v", seed, f)
				// The onset check is what tells this chord from a key:
				// with it off (a tone allowed up to its level in the key)
				// the chord is a key press.
				cfg := detector.DefaultConfig()
				cfg.MaxPriorTone = 0
				assert.Equal(t, "1", digits(decodeAll(t, cfg, s.PCM())), "seed %d, check off", seed)
			}
		})
	}
}

// A pair off nominal keeps the full frequency tolerance only alone on the
// line: 1.6 % off (inside Q.24's accept band) it is found on a clean line
// and rejected when white noise at 3 dB SNR shares the line with it (the
// tones then hold about 67 % of the energy, at most 82 %), while a pair at
// nominal, or 0.9 % off, is still found in that noise and at 6 dB SNR.
func TestSharedLineTolerance(t *testing.T) {
	cases := []struct {
		offset, snr float64 // [%], [dB]; snr 0 means no noise
		want        bool
	}{
		{1.6, 0, true}, {-1.6, 0, true},
		{1.6, 3, false}, {-1.6, 3, false},
		{0, 6, true}, {0.9, 6, true}, {-0.9, 6, true},
		{0, 3, true}, {0.9, 3, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+.1f%% at %v dB", c.offset, c.snr), func(t *testing.T) {
			found, total := 0, 0
			for seed := range uint64(8) {
				s := synth.New(8000, seed+7000)
				s.Silence(100)
				for _, d := range []byte(detector.Keys) {
					require.NoError(t, s.Add(synth.Tone{Digit: d, Duration: 80, LowLevel: -10, HighLevel: -10,
						LowOffset: c.offset, HighOffset: c.offset, RandomPhase: true}))
					s.Silence(80)
				}
				if c.snr != 0 {
					s.AddNoise(noisePower(-10, c.snr))
				}
				f, _ := matchPresses(keyUps(decodeAll(t, detector.DefaultConfig(), s.PCM())), s.Presses)
				found, total = found+f, total+len(s.Presses)
			}
			if c.want {
				assert.GreaterOrEqual(t, float64(found), 0.99*float64(total), "found %d/%d", found, total)
			} else {
				assert.LessOrEqual(t, float64(found), 0.02*float64(total), "found %d/%d", found, total)
			}
		})
	}
}
