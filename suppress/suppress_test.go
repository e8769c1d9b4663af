package suppress_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/suppress"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rates are the sample rates tested: the ends of the supported range and
// the common rates between.
var rates = []int{8000, 11025, 16000, 22050, 32000, 44100, 48000}

// maxEdgeError is how far [samples at 8 kHz: 3 ms] the detector's refined
// edges may lie from the true ones on the test signals (the detector's own
// tests hold it to 3 ms); the guard must cover it for a span to cover its
// tone.
const maxEdgeErrorMS = 3.0

func TestDelay(t *testing.T) {
	for _, rate := range rates {
		s := newSup(t, rate, nil)
		cfg := detector.DefaultConfig()
		cfg.SampleRate = rate
		d, err := detector.New(cfg)
		require.NoError(t, err)
		// D = DecisionDelay + Guard - 1, but at most 40 ms: at 44.1 kHz
		// the detector's 5 ms block is 221 samples (5.011 ms), which makes
		// DecisionDelay 35.08 ms, and the guard gives up 3 samples.
		guard := int64(rate) * 5 / 1000
		want := min(int(d.DecisionDelay()+guard-1), rate*40/1000)
		assert.Equal(t, want, s.Delay(), "rate %d", rate)
		assert.LessOrEqual(t, float64(s.Delay())*1000/float64(rate), 40.0, "rate %d: the delay must stay within 40 ms at the defaults", rate)
	}
	// A longer MinToneDuration delays the decision, and the delay with it.
	s := newSup(t, 8000, func(c *suppress.Config) { c.Detector.MinToneDuration = 100 * time.Millisecond })
	assert.Equal(t, (100+10+5)*8-1, s.Delay())
	// Without a guard the span is the tone itself and D is DecisionDelay-1.
	s = newSup(t, 8000, func(c *suppress.Config) { c.Guard, c.Fade = 0, 0 })
	assert.Equal(t, 35*8-1, s.Delay())
}

func TestConfigValidate(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(*suppress.Config)
		want string
	}{
		"guard negative":  {func(c *suppress.Config) { c.Guard = -time.Millisecond }, "Guard"},
		"guard too long":  {func(c *suppress.Config) { c.Guard = 11 * time.Millisecond }, "Guard"},
		"fade past guard": {func(c *suppress.Config) { c.Fade = 6 * time.Millisecond }, "Fade"},
		"fade negative":   {func(c *suppress.Config) { c.Fade = -1 }, "Fade"},
		"fill":            {func(c *suppress.Config) { c.Fill = 7 }, "Fill"},
		"noise loud":      {func(c *suppress.Config) { c.NoiseLevel = -30 }, "NoiseLevel"},
		"noise NaN":       {func(c *suppress.Config) { c.NoiseLevel = nan() }, "NoiseLevel"},
		"detector rate":   {func(c *suppress.Config) { c.Detector.SampleRate = 96000 }, "SampleRate"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := suppress.DefaultConfig()
			c.edit(&cfg)
			_, err := suppress.New(cfg)
			require.ErrorIs(t, err, suppress.ErrConfig)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	require.NoError(t, suppress.DefaultConfig().Validate())
	f, err := suppress.ParseFill("noise")
	require.NoError(t, err)
	assert.Equal(t, suppress.Noise, f)
	assert.Equal(t, "noise", f.String())
	_, err = suppress.ParseFill("pink")
	assert.ErrorIs(t, err, suppress.ErrConfig)
}

// signal is one test signal with its truth.
type signal struct {
	name    string
	rate    int
	pcm     []int16
	presses []synth.Press
	want    string       // digits the detector must find in the input
	under   map[int]bool // presses (by index) laid under speech
}

func build(t testing.TB, name string, s siggen.Spec) signal {
	t.Helper()
	sig, err := s.Build()
	require.NoError(t, err)
	return signal{name: name, rate: s.SampleRate, pcm: sig.PCM, presses: sig.Presses, want: s.Digits}
}

// acceptSignals are receiver test signals in the region the standards
// require to be accepted (bench's categories, at their accept limits): the
// detector finds every press, so every press must be removed.
func acceptSignals(t testing.TB, rate int, seed uint64) []signal {
	t.Helper()
	base := func() siggen.Spec {
		s := siggen.DefaultSpec()
		s.SampleRate, s.Seed = rate, seed
		s.LeadMS, s.TrailMS = 137, 200
		return s
	}
	var out []signal
	add := func(name string, edit func(*siggen.Spec)) {
		s := base()
		edit(&s)
		out = append(out, build(t, name, s))
	}
	add("keys", func(s *siggen.Spec) {})
	for _, off := range []float64{-1, 1} {
		add(fmt.Sprintf("frequency low %+.0f", off), func(s *siggen.Spec) { s.LowOffset = off * (1.5 + 200/941.0) })
		add(fmt.Sprintf("frequency high %+.0f", off), func(s *siggen.Spec) { s.HighOffset = off * (1.5 + 200/1633.0) })
	}
	add("twist normal 8 dB", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = -6, -14 })
	add("twist reverse 4 dB", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = -12, -8 })
	add("level +3 dBm0", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = 3, 3 })
	add("level -33 dBm0", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = -33, -33 })
	add("length 40 ms", func(s *siggen.Spec) { s.ToneMS = 40 })
	add("length 2 s", func(s *siggen.Spec) { s.Digits, s.ToneMS = "5#", 2000 })
	add("pause 40 ms", func(s *siggen.Spec) { s.ToneMS, s.PauseMS = 40, 40 })
	add("pause 40 ms same key", func(s *siggen.Spec) { s.Digits, s.ToneMS, s.PauseMS = "55559999", 40, 40 })
	for _, g := range []float64{5, 10, 15, 20} {
		add(fmt.Sprintf("interruption %g ms", g), func(s *siggen.Spec) {
			s.Digits, s.ToneMS, s.Gaps = "1590#", 200, [][2]float64{{47, g}}
		})
	}
	for _, snr := range []float64{30, 20, 15} {
		add(fmt.Sprintf("noise %g dB", snr), func(s *siggen.Spec) { s.ToneMS, s.SNR = 50, &snr })
	}
	add("ulaw", func(s *siggen.Spec) { s.Codec = siggen.CodecULaw })
	add("alaw", func(s *siggen.Spec) { s.Codec = siggen.CodecALaw })
	return out
}

// coverage checks that each true press lies inside a span, with the span
// reaching at most limit samples beyond it on either side.
func coverage(t testing.TB, name string, presses []synth.Press, spans []suppress.Span, limit int64) (maxBefore, maxAfter int64) {
	t.Helper()
	for _, p := range presses {
		var lo, hi int64 = -1, -1
		for _, sp := range spans {
			if sp.End > int64(p.Start) && sp.Start < int64(p.End) {
				if lo < 0 {
					lo = sp.Start
				}
				hi = sp.End
			}
		}
		if !assert.True(t, lo >= 0, "%s: press %c at %d..%d: no span", name, p.Digit, p.Start, p.End) {
			continue
		}
		assert.LessOrEqual(t, lo, int64(p.Start), "%s: press %c at %d..%d: span %d..%d starts late", name, p.Digit, p.Start, p.End, lo, hi)
		assert.GreaterOrEqual(t, hi, int64(p.End), "%s: press %c at %d..%d: span %d..%d ends early", name, p.Digit, p.Start, p.End, lo, hi)
		assert.LessOrEqual(t, int64(p.Start)-lo, limit, "%s: span starts too early", name)
		assert.LessOrEqual(t, hi-int64(p.End), limit, "%s: span ends too late", name)
		maxBefore, maxAfter = max(maxBefore, int64(p.Start)-lo), max(maxAfter, hi-int64(p.End))
	}
	return maxBefore, maxAfter
}

// TestSuppressesReceiverSignals runs every accept-region receiver test
// signal at every rate through the suppressor: the detector finds every
// press in the input and none in the output, the spans cover the presses
// (and reach at most Guard + the edge error beyond them), every other sample
// comes out unchanged, the events are the bare detector's, and no sample
// ever left before the detector had decided about it.
func TestSuppressesReceiverSignals(t *testing.T) {
	for _, rate := range rates {
		for _, sig := range acceptSignals(t, rate, 7) {
			t.Run(fmt.Sprintf("rate=%d/%s", rate, sig.name), func(t *testing.T) {
				s := newSup(t, rate, nil)
				r := run(t, s, sig.pcm, rate/50)
				want := bare(t, rate, sig.pcm)
				require.Equal(t, sig.want, digits(want), "the bare detector must find every press of the input")
				assert.Equal(t, want, r.events, "the suppressor's events are the bare detector's")
				assert.Zero(t, r.late, "a sample left before the detector decided about it")
				checkOutside(t, sig.pcm, r.out, r.spans)
				limit := int64(float64(rate) * (5 + maxEdgeErrorMS) / 1000)
				coverage(t, sig.name, sig.presses, r.spans, limit)
				assert.Empty(t, digits(bare(t, rate, r.out)), "the detector finds a digit in the output")
			})
		}
	}
}

// At the defaults the delay stays within 40 ms at every supported rate
// (the guard gives up a few samples where the detector's rounded block
// would take it past), and never falls below what the detector needs.
func TestDelayWithin40ms(t *testing.T) {
	for _, rate := range []int{8000, 11025, 16000, 22050, 32000, 44100, 48000} {
		cfg := suppress.DefaultConfig()
		cfg.Detector.SampleRate = rate
		s, err := suppress.New(cfg)
		require.NoError(t, err)
		d, err := detector.New(cfg.Detector)
		require.NoError(t, err)
		assert.LessOrEqual(t, s.Delay(), rate*40/1000, "rate %d", rate)
		assert.GreaterOrEqual(t, int64(s.Delay()), d.DecisionDelay()-1, "rate %d", rate)
	}
}
