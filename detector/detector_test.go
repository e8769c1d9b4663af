package detector_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// Every key is found once, with its measured duration within ±3 ms.
func TestAllKeys(t *testing.T) {
	for i := range len(detector.Keys) {
		d := detector.Keys[i]
		t.Run(string(d), func(t *testing.T) {
			for seed := range uint64(8) {
				s := single(seed, 8000, tone(d, 70, -12, -13))
				ev := keyUps(decodeAll(t, detector.DefaultConfig(), s.PCM()))
				require.Len(t, ev, 1, "seed %d", seed)
				assert.Equal(t, d, ev[0].Digit)
				assert.InDelta(t, 70, ev[0].DurationMS, 3)
				assert.InDelta(t, s.Presses[0].Start, ev[0].Start, 24, "start within 3 ms")
			}
		})
	}
}

// KeyFrequencies and Keys agree with ITU-T Q.23's keypad.
func TestKeyFrequencies(t *testing.T) {
	lo, hi, ok := detector.KeyFrequencies('5')
	assert.True(t, ok)
	assert.Equal(t, 770.0, lo)
	assert.Equal(t, 1336.0, hi)
	lo, hi, ok = detector.KeyFrequencies('D')
	assert.True(t, ok)
	assert.Equal(t, 941.0, lo)
	assert.Equal(t, 1633.0, hi)
	_, _, ok = detector.KeyFrequencies('E')
	assert.False(t, ok)
	_, _, ok = detector.KeyFrequencies('a')
	assert.False(t, ok, "digits are upper case")
}

// mixed builds a varied signal: digits at several levels, a 20 ms
// interruption, noise, and a key held to the end of the stream.
func mixed(seed uint64) []int16 {
	s := synth.New(8000, seed)
	s.Silence(33)
	for i, d := range []byte("159*#0D") {
		lv := -8 - 4*float64(i)
		s.Add(synth.Tone{Digit: d, Duration: 45 + 13*float64(i), LowLevel: lv, HighLevel: lv - 2, RandomPhase: true})
		s.Silence(41 + 7*float64(i))
	}
	s.Add(synth.Tone{Digit: '7', Duration: 120, LowLevel: -15, HighLevel: -15, Gaps: [][2]float64{{50, 20}}, RandomPhase: true})
	s.Silence(60)
	s.Add(synth.Tone{Digit: '3', Duration: 90, LowLevel: -20, HighLevel: -20, RandomPhase: true})
	s.AddNoise(noisePower(-20, 15))
	return s.PCM()
}

// Results never depend on how the stream is cut into frames.
func TestFrameSplitInvariance(t *testing.T) {
	for _, rate := range []int{8000, 11025, 16000} {
		pcm := mixed(7)
		if rate != 8000 {
			s := synth.New(rate, 3)
			s.Silence(20)
			for _, d := range []byte("2468") {
				s.Add(synth.Tone{Digit: d, Duration: 63, LowLevel: -9, HighLevel: -11, RandomPhase: true})
				s.Silence(47)
			}
			s.Add(synth.Tone{Digit: 'A', Duration: 70, LowLevel: -9, HighLevel: -11, RandomPhase: true})
			pcm = s.PCM()
		}
		cfg := detector.DefaultConfig()
		cfg.SampleRate = rate
		want := decodeAll(t, cfg, pcm)
		require.NotEmpty(t, want)
		for _, frame := range []int{1, 7, 80, 160, 237, 4096} {
			t.Run(fmt.Sprintf("rate=%d/frame=%d", rate, frame), func(t *testing.T) {
				d, err := detector.New(cfg)
				require.NoError(t, err)
				var got []detector.Event
				for i := 0; i < len(pcm); i += frame {
					got = d.Process(got, pcm[i:min(i+frame, len(pcm))])
				}
				got = d.Flush(got)
				assert.Equal(t, want, got)
			})
		}
	}
}

// Reset makes a used detector equal to a fresh one; Flush resets too.
func TestReset(t *testing.T) {
	pcm := mixed(3)
	cfg := detector.DefaultConfig()
	fresh, err := detector.New(cfg)
	require.NoError(t, err)
	used, err := detector.New(cfg)
	require.NoError(t, err)
	used.Process(nil, pcm[:len(pcm)/2+17]) // stop mid-block, maybe mid-key
	used.Reset()
	assert.Equal(t, fresh, used)
	assert.Equal(t, int64(0), used.Position())
	want := fresh.Flush(fresh.Process(nil, pcm))
	got := used.Flush(used.Process(nil, pcm))
	assert.Equal(t, want, got)
	assert.Equal(t, int64(0), used.Position(), "Flush resets")
	assert.Equal(t, want, used.Flush(used.Process(nil, pcm)), "and the next stream decodes the same")
}

// The per-channel state stays below spandsp's 432 bytes.
func TestStateSize(t *testing.T) {
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	assert.Less(t, d.StateSize(), 432)
	assert.Equal(t, 40, d.BlockSize())
	t.Logf("state: %d bytes at 8000 Hz", d.StateSize())
	cfg := detector.DefaultConfig()
	cfg.SampleRate = 48000
	d, err = detector.New(cfg)
	require.NoError(t, err)
	assert.Equal(t, 240, d.BlockSize())
	assert.Less(t, d.StateSize(), 432+2*200, "only the block buffer grows with the rate")
}

// Process allocates nothing once dst has room.
func TestZeroAllocs(t *testing.T) {
	pcm := mixed(5)
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	ev := make([]detector.Event, 0, 64)
	ulaw := make([]byte, 160)
	f32 := make([]float32, 160)
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		frame := pcm[i%(len(pcm)-160):][:160]
		ev = d.Process(ev[:0], frame)
		for j, v := range frame {
			ulaw[j] = g711.LinearToULaw(v)
			f32[j] = float32(v) / 32768
		}
		ev = d.ProcessULaw(ev[:0], ulaw)
		ev, _ = d.ProcessFloat32(ev[:0], f32)
		i += 160
	})
	assert.Zero(t, allocs)
}

// Frequency: accept ±(1.5 % + 2 Hz) on every tone, never accept ±3.5 %.
func TestFrequencyTolerance(t *testing.T) {
	cfg := detector.DefaultConfig()
	for g, freqs := range [][4]float64{detector.LowFrequencies(), detector.HighFrequencies()} {
		for i, f := range freqs {
			accept := 1.5 + 2/f*100 // percent
			for _, c := range []struct {
				name string
				off  float64
				want int
			}{
				{"accept+", accept, 1}, {"accept-", -accept, 1},
				{"reject+", 3.5, 0}, {"reject-", -3.5, 0},
				{"reject+5", 5, 0}, {"reject-5", -5, 0},
			} {
				t.Run(fmt.Sprintf("%v/%s", f, c.name), func(t *testing.T) {
					d := detector.Keys[4*i+1] // row i, column 1 (or col i, row 1)
					if g == 1 {
						d = detector.Keys[4+i]
					}
					for seed := range uint64(6) {
						tn := tone(d, 60, -10, -11)
						if g == 0 {
							tn.LowOffset = c.off
						} else {
							tn.HighOffset = c.off
						}
						ev := keyUps(decodeAll(t, cfg, single(seed, 8000, tn).PCM()))
						assert.Len(t, ev, c.want, "seed %d offset %+.2f%%", seed, c.off)
					}
				})
			}
		}
	}
}

// Level: per-tone levels from +3 to -36 dBm0 are accepted; 6 dB under the
// floor nothing is; the floor is configurable.
func TestLevels(t *testing.T) {
	for _, c := range []struct {
		floor, level float64
		want         int
	}{
		{-36, 3, 1}, {-36, 0, 1}, {-36, -20, 1}, {-36, -36, 1},
		{-36, -42, 0}, {-36, -50, 0},
		{-29, -29, 1}, {-29, -35, 0}, {-29, -40, 0},
	} {
		t.Run(fmt.Sprintf("floor=%v/level=%v", c.floor, c.level), func(t *testing.T) {
			cfg := detector.DefaultConfig()
			cfg.MinLevel = c.floor
			for seed := range uint64(6) {
				d := detector.Keys[seed%16]
				ev := keyUps(decodeAll(t, cfg, single(seed, 8000, tone(d, 60, c.level, c.level)).PCM()))
				assert.Len(t, ev, c.want, "seed %d", seed)
			}
		})
	}
}

// Twist: normal up to 8 dB and reverse up to 4 dB are accepted by default;
// beyond the configured limits, rejected.
func TestTwist(t *testing.T) {
	for _, c := range []struct {
		normal, reverse float64
		twist           float64 // high minus low [dB]
		want            int
	}{
		{8, 4, 0, 1}, {8, 4, -8, 1}, {8, 4, 4, 1},
		{8, 4, -10, 0}, {8, 4, 6, 0}, {8, 4, -14, 0}, {8, 4, 10, 0},
		{4, 8, -4, 1}, {4, 8, 8, 1}, {4, 8, -6, 0}, {4, 8, 10, 0},
	} {
		t.Run(fmt.Sprintf("limits=%v,%v/twist=%+v", c.normal, c.reverse, c.twist), func(t *testing.T) {
			cfg := detector.DefaultConfig()
			cfg.MaxNormalTwist, cfg.MaxReverseTwist = c.normal, c.reverse
			for seed := range uint64(8) {
				d := detector.Keys[(3*seed)%16]
				low, high := -10.0, -10+c.twist
				if c.twist > 0 {
					low, high = -10-c.twist, -10
				}
				ev := keyUps(decodeAll(t, cfg, single(seed, 8000, tone(d, 60, low, high)).PCM()))
				assert.Len(t, ev, c.want, "seed %d digit %c", seed, d)
			}
		})
	}
}

// Timing: tones of 40 ms or more are accepted, 23 ms or less never, at
// every alignment with the analysis blocks.
func TestToneLength(t *testing.T) {
	for _, c := range []struct {
		ms   float64
		want int
	}{{40, 1}, {45, 1}, {23, 0}, {20, 0}, {10, 0}} {
		t.Run(fmt.Sprintf("%vms", c.ms), func(t *testing.T) {
			for seed := range uint64(24) {
				d := detector.Keys[seed%16]
				lv := -5 - float64(seed)
				ev := keyUps(decodeAll(t, detector.DefaultConfig(), single(seed, 8000, tone(d, c.ms, lv, lv-1)).PCM()))
				require.Len(t, ev, c.want, "seed %d", seed)
				if c.want == 1 {
					assert.InDelta(t, c.ms, ev[0].DurationMS, 3)
				}
			}
		})
	}
}

// Pauses of 40 ms separate presses of the same key; interruptions of up to
// 20 ms inside a tone do not.
func TestPausesAndInterruptions(t *testing.T) {
	t.Run("5555 at 40/40", func(t *testing.T) {
		for seed := range uint64(10) {
			s := synth.New(8000, seed)
			s.Silence(30 + float64(seed))
			for range 4 {
				s.Add(synth.Tone{Digit: '5', Duration: 40, LowLevel: -10, HighLevel: -10, RandomPhase: true})
				s.Silence(40)
			}
			ev := keyUps(decodeAll(t, detector.DefaultConfig(), s.PCM()))
			require.Equal(t, "5555", digits(ev), "seed %d", seed)
			for _, e := range ev {
				assert.InDelta(t, 40, e.DurationMS, 3)
			}
		}
	})
	for _, gap := range []float64{5, 10, 20} {
		t.Run(fmt.Sprintf("interruption %vms", gap), func(t *testing.T) {
			for seed := range uint64(10) {
				// The same generator goes silent and resumes (phase runs on)…
				s := single(seed, 8000, synth.Tone{Digit: '8', Duration: 100 + gap, LowLevel: -12, HighLevel: -12,
					Gaps: [][2]float64{{50, gap}}})
				ev := keyUps(decodeAll(t, detector.DefaultConfig(), s.PCM()))
				require.Equal(t, "8", digits(ev), "seed %d", seed)
				assert.InDelta(t, 100+gap, ev[0].DurationMS, 3)
				// …or a new burst starts with another phase.
				s = synth.New(8000, seed)
				s.Silence(35)
				s.Add(synth.Tone{Digit: '8', Duration: 50, LowLevel: -12, HighLevel: -12, RandomPhase: true})
				s.Silence(gap)
				s.Add(synth.Tone{Digit: '8', Duration: 50, LowLevel: -12, HighLevel: -12, RandomPhase: true})
				s.Silence(100)
				require.Equal(t, "8", digits(decodeAll(t, detector.DefaultConfig(), s.PCM())), "seed %d", seed)
			}
		})
	}
	t.Run("different keys 40/40", func(t *testing.T) {
		s := synth.New(8000, 1)
		s.Silence(30)
		for _, d := range []byte("1D#2") {
			s.Add(synth.Tone{Digit: d, Duration: 40, LowLevel: -10, HighLevel: -10, RandomPhase: true})
			s.Silence(40)
		}
		assert.Equal(t, "1D#2", digits(decodeAll(t, detector.DefaultConfig(), s.PCM())))
	})
}

// duration_ms is within ±3 ms of the tone's true length from 40 ms to 10 s,
// and key-down is confirmed within 32 ms of the onset.
func TestDurationAndLatency(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var worstErr, worstLatency float64
	for i, dur := range []float64{40, 41, 47, 55, 80, 100, 150, 333, 1000, 2500, 10000} {
		for rep := range 4 {
			seed := uint64(10*i + rep)
			lv := -30 + 27*r.Float64()
			d := detector.Keys[r.IntN(16)]
			s := single(seed, 8000, tone(d, dur, lv, lv-3*r.Float64()))
			ev := decodeAll(t, detector.DefaultConfig(), s.PCM())
			require.Len(t, ev, 2, "dur %v seed %d", dur, seed)
			down, up := ev[0], ev[1]
			require.Equal(t, detector.KeyDown, down.Type)
			require.Equal(t, detector.KeyUp, up.Type)
			assert.Equal(t, d, up.Digit)
			assert.Equal(t, down.Start, up.Start)
			e := float64(up.DurationMS) - dur
			assert.InDelta(t, 0, e, 3, "dur %v seed %d", dur, seed)
			lat := ms(down.At-int64(s.Presses[0].Start), 8000)
			assert.LessOrEqual(t, lat, 32.0, "dur %v seed %d", dur, seed)
			worstErr = max(worstErr, math.Abs(e))
			worstLatency = max(worstLatency, lat)
		}
	}
	t.Logf("worst duration error %.0f ms, worst key-down latency %.1f ms", worstErr, worstLatency)
}

// Latency over every alignment of the onset with the 5 ms blocks and a range
// of levels.
func TestLatencyAllPhases(t *testing.T) {
	var worst float64
	for i := range 160 {
		s := synth.New(8000, uint64(i))
		s.Silence(50 + float64(i%40)/8)
		lv := -6 - float64(i%24)
		s.Add(synth.Tone{Digit: detector.Keys[i%16], Duration: 60, LowLevel: lv, HighLevel: lv - 2, RandomPhase: true})
		s.Silence(80)
		ev := decodeAll(t, detector.DefaultConfig(), s.PCM())
		require.NotEmpty(t, ev, "case %d", i)
		lat := ms(ev[0].At-int64(s.Presses[0].Start), 8000)
		assert.LessOrEqual(t, lat, 32.0, "case %d", i)
		worst = max(worst, lat)
	}
	t.Logf("worst latency %.1f ms", worst)
}

// A key held to the end of the stream is reported by Flush.
func TestFlushHeldKey(t *testing.T) {
	s := synth.New(8000, 1)
	s.Silence(20)
	s.Add(synth.Tone{Digit: '9', Duration: 300, LowLevel: -10, HighLevel: -10, RandomPhase: true})
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	ev := d.Process(nil, s.PCM())
	require.Len(t, ev, 1)
	assert.Equal(t, detector.KeyDown, ev[0].Type)
	ev = d.Flush(ev[:0])
	require.Len(t, ev, 1)
	assert.Equal(t, detector.KeyUp, ev[0].Type)
	assert.Equal(t, byte('9'), ev[0].Digit)
	assert.InDelta(t, 300, ev[0].DurationMS, 3)
	assert.Empty(t, d.Flush(nil), "nothing pending after a flush")
}

// Every supported rate finds every key with accurate durations.
func TestSampleRates(t *testing.T) {
	for _, rate := range []int{8000, 11025, 16000, 22050, 32000, 44100, 48000} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			cfg := detector.DefaultConfig()
			cfg.SampleRate = rate
			s := synth.New(rate, uint64(rate))
			s.Silence(37)
			for _, d := range []byte(detector.Keys) {
				s.Add(synth.Tone{Digit: d, Duration: 50, LowLevel: -10, HighLevel: -12, RandomPhase: true})
				s.Silence(50)
			}
			ev := keyUps(decodeAll(t, cfg, s.PCM()))
			require.Equal(t, detector.Keys, digits(ev))
			for i, e := range ev {
				assert.InDelta(t, 50, e.DurationMS, 3)
				assert.InDelta(t, s.Presses[i].Start, e.Start, float64(rate)*0.003)
			}
		})
	}
}

// Float input in [-1, 1] and G.711 bytes give what the equivalent 16-bit
// stream gives.
func TestInputEncodings(t *testing.T) {
	pcm := mixed(11)
	want := decodeAll(t, detector.DefaultConfig(), pcm)
	require.NotEmpty(t, want)

	f := make([]float32, len(pcm))
	for i, v := range pcm {
		f[i] = float32(v) / 32768
	}
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	got, err := d.ProcessFloat32(nil, f)
	require.NoError(t, err)
	assert.Equal(t, want, d.Flush(got))

	for name, codec := range map[string]struct {
		enc     func(int16) byte
		dec     func(byte) int16
		process func(*detector.Detector, []detector.Event, []byte) []detector.Event
	}{
		"ulaw": {g711.LinearToULaw, g711.ULawToLinear, (*detector.Detector).ProcessULaw},
		"alaw": {g711.LinearToALaw, g711.ALawToLinear, (*detector.Detector).ProcessALaw},
	} {
		t.Run(name, func(t *testing.T) {
			b := make([]byte, len(pcm))
			lin := make([]int16, len(pcm))
			for i, v := range pcm {
				b[i] = codec.enc(v)
				lin[i] = codec.dec(b[i])
			}
			d, err := detector.New(detector.DefaultConfig())
			require.NoError(t, err)
			got := d.Flush(codec.process(d, nil, b))
			assert.Equal(t, decodeAll(t, detector.DefaultConfig(), lin), got)
			assert.Equal(t, digits(want), digits(got), "companding changes no digit")
		})
	}
}

// Floats beyond ±1 saturate; NaN and ±Inf are rejected without consuming
// anything.
func TestFloatValidation(t *testing.T) {
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	_, err = d.ProcessFloat32(nil, []float32{0, 0.5, 2, -7})
	require.NoError(t, err)
	assert.Equal(t, int64(4), d.Position())
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		ev, err := d.ProcessFloat32([]detector.Event{}, []float32{0.1, 0.2, bad, 0.3})
		require.ErrorIs(t, err, detector.ErrNonFinite)
		assert.Contains(t, err.Error(), "sample 2")
		assert.Empty(t, ev)
		assert.Equal(t, int64(4), d.Position(), "a rejected call consumes nothing")
	}
}

// New validates every field and names it.
func TestConfigValidation(t *testing.T) {
	for _, c := range []struct {
		field string
		mod   func(*detector.Config)
	}{
		{"SampleRate", func(c *detector.Config) { c.SampleRate = 7999 }},
		{"SampleRate", func(c *detector.Config) { c.SampleRate = 48001 }},
		{"SampleRate", func(c *detector.Config) { c.SampleRate = 0 }},
		{"MinLevel", func(c *detector.Config) { c.MinLevel = 3 }},
		{"MinLevel", func(c *detector.Config) { c.MinLevel = math.NaN() }},
		{"MaxNormalTwist", func(c *detector.Config) { c.MaxNormalTwist = -1 }},
		{"MaxReverseTwist", func(c *detector.Config) { c.MaxReverseTwist = math.Inf(1) }},
		{"FrequencyTolerance", func(c *detector.Config) { c.FrequencyTolerance = 1 }},
		{"FrequencyTolerance", func(c *detector.Config) { c.FrequencyTolerance = 6 }},
		{"MinRelativePeak", func(c *detector.Config) { c.MinRelativePeak = 13 }},
		{"MinEnergyShare", func(c *detector.Config) { c.MinEnergyShare = 0 }},
		{"MinEnergyShare", func(c *detector.Config) { c.MinEnergyShare = 0.96 }},
		{"MaxSecondHarmonic", func(c *detector.Config) { c.MaxSecondHarmonic = 1 }},
		{"MaxSecondHarmonic", func(c *detector.Config) { c.MaxSecondHarmonic = -16 }},
		{"MaxResidual", func(c *detector.Config) { c.MaxResidual = 0.5 }},
		{"MaxResidual", func(c *detector.Config) { c.MaxResidual = math.NaN() }},
		{"MaxThirdTone", func(c *detector.Config) { c.MaxThirdTone = -21 }},
		{"MaxThirdTone", func(c *detector.Config) { c.MaxThirdTone = 7 }},
		{"MinToneDuration", func(c *detector.Config) { c.MinToneDuration = 5 * time.Millisecond }},
		{"MinPause", func(c *detector.Config) { c.MinPause = time.Second }},
	} {
		cfg := detector.DefaultConfig()
		c.mod(&cfg)
		_, err := detector.New(cfg)
		require.Error(t, err, c.field)
		assert.True(t, errors.Is(err, detector.ErrConfig), c.field)
		assert.Contains(t, err.Error(), c.field)
		assert.Contains(t, err.Error(), "want a value in")
	}
	require.NoError(t, detector.DefaultConfig().Validate())
	var zero detector.Config
	assert.ErrorIs(t, zero.Validate(), detector.ErrConfig, "the zero Config is not silently usable")
}

// Signals that are not DTMF give no digit and no trouble.
func TestNoFalseDigits(t *testing.T) {
	const n = 16000 // 2 s
	sine := func(amp float64, freqs ...float64) []int16 {
		x := make([]int16, n)
		for i := range x {
			var v float64
			for _, f := range freqs {
				v += amp * math.Sin(2*math.Pi*f*float64(i)/8000)
			}
			x[i] = int16(max(-32768, min(32767, math.Round(v))))
		}
		return x
	}
	cadence := func(x []int16, onMs, offMs int) []int16 {
		for i := range x {
			if (i/8)%(onMs+offMs) >= onMs {
				x[i] = 0
			}
		}
		return x
	}
	square := make([]int16, n)
	alt := make([]int16, n)
	for i := range square {
		square[i] = 32767
		if (i/4)%2 == 1 { // 1000 Hz full-scale square wave
			square[i] = -32768
		}
		alt[i] = 32767
		if i%2 == 1 {
			alt[i] = -32768
		}
	}
	one := make([]int16, n)
	one[4321] = 32767
	dc := make([]int16, n)
	for i := range dc {
		dc[i] = 12000
	}
	r := rand.New(rand.NewPCG(1, 1))
	noise := make([]int16, n)
	for i := range noise {
		noise[i] = int16(r.NormFloat64() * 6000)
	}
	a := synth.Amplitude(-10)
	for name, x := range map[string][]int16{
		"silence":        make([]int16, n),
		"one sample":     one,
		"dc":             dc,
		"square 1 kHz":   square,
		"alternating":    alt,
		"white noise":    noise,
		"dial tone":      sine(a, 350, 440),
		"ringback":       cadence(sine(a, 440, 480), 1000, 500),
		"busy":           cadence(sine(a, 480, 620), 250, 250),
		"1004 Hz":        sine(a*1.4, 1004),
		"fax CNG":        cadence(sine(a, 1100), 500, 300),
		"fax CED":        sine(a, 2100),
		"single 697":     sine(a, 697),
		"single 1336":    sine(a, 1336),
		"two low tones":  sine(a, 697, 852),
		"two high tones": sine(a, 1209, 1477),
	} {
		t.Run(name, func(t *testing.T) {
			assert.Empty(t, decodeAll(t, detector.DefaultConfig(), x))
		})
	}
}

// A DC offset, clipping and a loud hum around a digit do not hide it.
func TestDigitsThroughImpairments(t *testing.T) {
	s := single(1, 8000, tone('6', 80, 0, 0)) // two 0 dBm0 tones sum past full scale
	clipped := s.PCM()
	assert.Equal(t, "6", digits(decodeAll(t, detector.DefaultConfig(), clipped)))

	s = single(2, 8000, tone('3', 80, -15, -15))
	for i := range s.Samples {
		s.Samples[i] += 4000 // DC offset
	}
	assert.Equal(t, "3", digits(decodeAll(t, detector.DefaultConfig(), s.PCM())))
}

// White noise: every digit is found at 10 dB SNR (both tones against the
// noise over the whole band), with no extra digit.
func TestNoise(t *testing.T) {
	found, total := 0, 0
	for seed := range uint64(10) {
		s := synth.New(8000, seed)
		s.Silence(50)
		for _, d := range []byte(detector.Keys) {
			s.Add(synth.Tone{Digit: d, Duration: 60, LowLevel: -15, HighLevel: -15, RandomPhase: true})
			s.Silence(60)
		}
		// 10 dB below both tones together: each tone's power is a²/2.
		s.AddNoise(noisePower(-15, 10))
		got := digits(decodeAll(t, detector.DefaultConfig(), s.PCM()))
		assert.Equal(t, detector.Keys, got, "seed %d", seed)
		if got == detector.Keys {
			found += 16
		}
		total += 16
	}
	t.Logf("found %d/%d at 10 dB SNR", found, total)
}
