package suppress_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmf/internal/peers"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPeersFindNothingSuppressed: the forwarded audio of every
// accept-region receiver test signal holds no digit for this detector,
// spandsp 0.0.6 or multimon-ng, while both peers do find digits in the
// input (so they could have found a leak).
func TestPeersFindNothingSuppressed(t *testing.T) {
	for _, rate := range []int{8000, 16000, 48000} {
		sigs := acceptSignals(t, rate, 11)
		if rate != 8000 && testing.Short() {
			sigs = sigs[:3]
		}
		var inSpandsp, inMultimon, want int
		for _, sig := range sigs {
			t.Run(fmt.Sprintf("rate=%d/%s", rate, sig.name), func(t *testing.T) {
				r := run(t, newSup(t, rate, nil), sig.pcm, rate/50)
				checkOutside(t, sig.pcm, r.out, r.spans)
				assert.Empty(t, digits(bare(t, rate, r.out)), "this detector")
				assert.Empty(t, peers.Digits(peers.Spandsp(t, r.out, rate)), "spandsp in the output")
				assert.Empty(t, peers.Digits(peers.Multimon(t, r.out, rate)), "multimon-ng in the output")
				want += len(sig.want)
				inSpandsp += len(peers.Spandsp(t, sig.pcm, rate))
				inMultimon += len(peers.Multimon(t, sig.pcm, rate))
			})
		}
		if want == 0 {
			continue // every subtest skipped: the peers are not installed (see their skip messages)
		}
		t.Logf("rate %d: in the inputs (%d presses) spandsp found %d digits, multimon-ng %d; in the outputs, none", rate, want, inSpandsp, inMultimon)
		assert.Greater(t, inSpandsp, want*9/10, "spandsp must find the inputs' presses for the check to mean anything")
		assert.Greater(t, inMultimon, want*8/10, "multimon-ng must find the inputs' presses for the check to mean anything")
	}
}

// speechWithDigits lays prompts of the recorded corpus end to end with a
// 16-key burst after every fourth prompt, and another burst under every
// fifth prompt with the speech 10 dB below the tones.
func speechWithDigits(t testing.TB, n int) signal {
	t.Helper()
	prompts := testenv.Speech(t)
	g := synth.New(8000, 21)
	burst := func() {
		for i := range len(siggen.DefaultSpec().Digits) {
			require.NoError(t, g.Add(synth.Tone{Digit: siggen.DefaultSpec().Digits[i], Duration: 70, LowLevel: -9, HighLevel: -11, RandomPhase: true}))
			g.Silence(60)
		}
	}
	var want strings.Builder
	under := map[int]bool{}
	for i := range n {
		p := prompts[(i*37)%len(prompts)].PCM
		from := len(g.Samples)
		if i%5 == 4 {
			g.Silence(100)
			first := len(g.Presses)
			burst()
			for k := first; k < len(g.Presses); k++ {
				under[k] = true
			}
			want.WriteString(siggen.DefaultSpec().Digits)
			// Speech under the burst, 10 dB below the tones' level.
			bg := make([]float64, len(g.Samples)-from)
			siggen.MixBackground(bg, p, 8000, 0, -10-10)
			for k, v := range bg {
				g.Samples[from+k] += v
			}
			continue
		}
		for _, v := range p {
			g.Samples = append(g.Samples, float64(v))
		}
		if i%4 == 3 {
			g.Silence(50)
			burst()
			want.WriteString(siggen.DefaultSpec().Digits)
		}
	}
	return signal{name: "speech with digits", rate: 8000, pcm: g.PCM(), presses: g.Presses, want: want.String(), under: under}
}

// TestSpeechWithDigits: recorded speech with key presses between and under
// the prompts: every press is removed (no digit for this detector, spandsp
// or multimon-ng in the output), the speech around them comes out
// bit-exact, and the spans cover the presses between prompts entirely. Under
// speech (10 dB below the tones) a key may be confirmed only after its
// first candidate failed a check, or its refined start may be a little
// late, the speech in the block before the tone pulling it forward; there
// the span may miss up to maxMissUnderSpeech of the tone's first samples,
// too little for any receiver: the standards reject 23 ms tones, and
// multimon-ng, the most lenient, needs 16.5 ms (both checked below on the
// output).
func TestSpeechWithDigits(t *testing.T) {
	const maxMissUnderSpeech = 10 * 8 // samples: 10 ms
	sig := speechWithDigits(t, 40)
	r := run(t, newSup(t, 8000, nil), sig.pcm, 160)
	require.Equal(t, sig.want, digits(r.events), "the detector must find every press of the input")
	n := checkOutside(t, sig.pcm, r.out, r.spans)
	var clean []synth.Press
	var worst int64
	for k, p := range sig.presses {
		if !sig.under[k] {
			clean = append(clean, p)
			continue
		}
		for _, sp := range r.spans {
			if sp.End > int64(p.Start) && sp.Start < int64(p.End) {
				worst = max(worst, sp.Start-int64(p.Start))
				assert.LessOrEqual(t, sp.Start-int64(p.Start), int64(maxMissUnderSpeech), "press %d under speech", k)
				break
			}
		}
	}
	coverage(t, sig.name, clean, r.spans, 8*8)
	assert.Zero(t, r.late)
	assert.Empty(t, digits(bare(t, 8000, r.out)), "this detector")
	in := peers.Digits(peers.Spandsp(t, sig.pcm, 8000))
	assert.Greater(t, len(in), len(sig.want)*9/10, "spandsp must find the presses in the input")
	assert.Empty(t, peers.Digits(peers.Spandsp(t, r.out, 8000)), "spandsp in the output")
	inMM := peers.Digits(peers.Multimon(t, sig.pcm, 8000))
	assert.Greater(t, len(inMM), len(sig.want)*9/10, "multimon-ng must find the presses in the input")
	assert.Empty(t, peers.Digits(peers.Multimon(t, r.out, 8000)), "multimon-ng in the output")
	t.Logf("%.1f s, %d presses (%d under speech), %d spans holding %.1f s; input: spandsp %d digits, multimon-ng %d; output: none; under speech the span started at most %.2f ms into the tone",
		float64(len(sig.pcm))/8000, len(sig.presses), len(sig.under), len(r.spans), float64(n)/8000, len(in), len(inMM), float64(worst)/8)
}

// TestMeasureRejectedTones reports what the peers find in the output when
// the input holds tone pairs this detector rejects (outside the accept
// region, where the standards require or allow rejection): those are
// forwarded unchanged, so a more lenient receiver may still find them. The
// test asserts that they are indeed forwarded bit-exact.
func TestMeasureRejectedTones(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*siggen.Spec)
	}{
		{"frequency +3 %", func(s *siggen.Spec) { s.LowOffset, s.HighOffset = 3, 3 }},
		{"frequency -3.5 %", func(s *siggen.Spec) { s.LowOffset, s.HighOffset = -3.5, -3.5 }},
		{"twist normal 10 dB", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = -5, -15 }},
		{"twist reverse 6 dB", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = -13, -7 }},
		{"level -42 dBm0", func(s *siggen.Spec) { s.LowLevel, s.HighLevel = -42, -42 }},
		{"length 23 ms", func(s *siggen.Spec) { s.ToneMS = 23 }},
	} {
		s := siggen.DefaultSpec()
		c.edit(&s)
		sig, err := s.Build()
		require.NoError(t, err)
		r := run(t, newSup(t, 8000, nil), sig.PCM, 160)
		found := digits(r.events)
		checkOutside(t, sig.PCM, r.out, r.spans)
		sp := peers.Digits(peers.Spandsp(t, r.out, 8000))
		mm := peers.Digits(peers.Multimon(t, r.out, 8000))
		t.Logf("%-20s this detector %2d/16 (removed), forwarded: spandsp finds %2d, multimon-ng %2d", c.name, len(found), len(sp), len(mm))
	}
}

// TestMeasureSpanError reports the spans' error against the true tones over
// the accept-region signals at every rate: how far each span reaches
// before the tone's first sample and after its last.
func TestMeasureSpanError(t *testing.T) {
	for _, rate := range rates {
		var before, after []float64
		for _, sig := range acceptSignals(t, rate, 13) {
			r := run(t, newSup(t, rate, nil), sig.pcm, rate/50)
			for _, p := range sig.presses {
				lo, hi := int64(-1), int64(-1)
				for _, sp := range r.spans {
					if sp.End > int64(p.Start) && sp.Start < int64(p.End) {
						if lo < 0 {
							lo = sp.Start
						}
						hi = sp.End
					}
				}
				require.GreaterOrEqual(t, lo, int64(0), "%s: a press without a span", sig.name)
				ms := 1000 / float64(rate)
				before = append(before, float64(int64(p.Start)-lo)*ms)
				after = append(after, float64(hi-int64(p.End))*ms)
			}
		}
		t.Logf("rate %5d: %d presses; span starts %.2f .. %.2f ms before the tone (mean %.2f), ends %.2f .. %.2f ms after it (mean %.2f)",
			rate, len(before), minOf(before), maxOf(before), mean(before), minOf(after), maxOf(after), mean(after))
		assert.GreaterOrEqual(t, minOf(before), 0.0)
		assert.GreaterOrEqual(t, minOf(after), 0.0)
	}
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
