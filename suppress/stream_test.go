package suppress_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/peers"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/suppress"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mixed is a signal with every kind of event: presses of several keys, a
// bridged interruption, two presses 40 ms apart, a press at the very start
// and one cut by the end of the stream, over a faint noise floor.
func mixed(t testing.TB, rate int) signal {
	t.Helper()
	g := synth.New(rate, 3)
	tone := func(d byte, ms float64, gaps ...[2]float64) {
		require.NoError(t, g.Add(synth.Tone{Digit: d, Duration: ms, LowLevel: -8, HighLevel: -10, RandomPhase: true, Gaps: gaps}))
	}
	tone('1', 60)
	g.Silence(83)
	tone('2', 45)
	g.Silence(40)
	tone('3', 45)
	g.Silence(120)
	tone('4', 230, [2]float64{70, 17})
	g.Silence(300)
	tone('#', 90)
	g.AddNoise(40)
	return signal{name: "mixed", rate: rate, pcm: g.PCM(), presses: g.Presses, want: "1234#"}
}

// TestFramingInvariance: frames of 1, 7, 80, 160, 237 samples and the whole
// stream give the same output, events and spans.
func TestFramingInvariance(t *testing.T) {
	for _, rate := range []int{8000, 44100} {
		sig := mixed(t, rate)
		ref := run(t, newSup(t, rate, nil), sig.pcm, 0)
		require.Equal(t, sig.want, digits(ref.events))
		require.NotEmpty(t, ref.spans)
		for _, n := range []int{1, 7, 80, 160, 237, 441} {
			r := run(t, newSup(t, rate, nil), sig.pcm, n)
			assert.Equal(t, ref.out, r.out, "rate %d frame %d: output", rate, n)
			assert.Equal(t, ref.events, r.events, "rate %d frame %d: events", rate, n)
			assert.Equal(t, ref.spans, r.spans, "rate %d frame %d: spans", rate, n)
		}
	}
}

// TestConstantDelay: every sample of a signal with no key press comes out
// exactly Delay samples later, from the first to the last (Flush), for
// frames that do not divide the block.
func TestConstantDelay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	pcm := make([]int16, 12345)
	for i := range pcm {
		pcm[i] = int16(rng.IntN(65536) - 32768)
	}
	for _, rate := range rates {
		s := newSup(t, rate, nil)
		r := run(t, s, pcm, 173)
		assert.Equal(t, pcm, r.out, "rate %d", rate)
		assert.Empty(t, r.spans)
	}
}

// TestG711BytesExact feeds µ-law and A-law streams holding every byte value
// (noise with all 256 codes, then key presses): every byte outside the
// spans comes out as the same byte, the events are those of the bare
// detector's ProcessULaw/ProcessALaw, and the output holds no key press.
func TestG711BytesExact(t *testing.T) {
	sig := mixed(t, 8000)
	for _, law := range []string{"ulaw", "alaw"} {
		t.Run(law, func(t *testing.T) {
			enc, dec := g711.LinearToULaw, g711.ULawToLinear
			if law == "alaw" {
				enc, dec = g711.LinearToALaw, g711.ALawToLinear
			}
			var in []byte
			for range 40 {
				for b := range 256 {
					in = append(in, byte(b*37+11)) // every code, scrambled
				}
			}
			// Much quieter noise first (every code, including µ-law's
			// 0x7F and 0xFF), then the presses.
			for i := range 4000 {
				in[i] = enc(int16(i%7 - 3))
			}
			// 60 ms of the quiet codes between the full-scale codes and
			// the first press: a key that starts the instant louder
			// sound at its frequencies stops fails the detector's onset
			// check (detector.Config.MaxPriorTone), as it should.
			for i := range 480 {
				in = append(in, enc(int16(i%7-3)))
			}
			for _, v := range sig.pcm {
				in = append(in, enc(v))
			}
			cfg := suppress.DefaultConfig()
			s, err := suppress.New(cfg)
			require.NoError(t, err)
			det, err := detector.New(cfg.Detector)
			require.NoError(t, err)
			var ev, want []detector.Event
			var out []byte
			buf := make([]byte, 160)
			for i := 0; i < len(in); i += 160 {
				f := buf[:copy(buf, in[i:min(i+160, len(in))])]
				if law == "ulaw" {
					want = det.ProcessULaw(want, in[i:i+len(f)])
					ev = s.ProcessULaw(ev, f)
				} else {
					want = det.ProcessALaw(want, in[i:i+len(f)])
					ev = s.ProcessALaw(ev, f)
				}
				out = append(out, f...)
			}
			tail := make([]byte, s.Delay())
			if law == "ulaw" {
				ev = s.FlushULaw(ev, tail)
			} else {
				ev = s.FlushALaw(ev, tail)
			}
			want = det.Flush(want)
			spans := s.AppendSpans(nil)
			out = append(out, tail...)
			silence := enc(0)
			for _, b := range out[:s.Delay()] {
				require.Equal(t, silence, b, "the delay line starts with silence")
			}
			out = out[s.Delay():]
			require.Len(t, out, len(in))
			assert.Equal(t, want, ev)
			require.Equal(t, "1234#", digits(ev))
			var replaced int
			for j := range in {
				if inSpans(spans, int64(j)) {
					replaced++
					continue
				}
				if out[j] != in[j] {
					t.Fatalf("byte %d outside every span changed: %#02x → %#02x", j, in[j], out[j])
				}
			}
			assert.Positive(t, replaced)
			lin := make([]int16, len(out))
			for i, b := range out {
				lin[i] = dec(b)
			}
			assert.Empty(t, digits(bare(t, 8000, lin)))
			assert.Empty(t, peers.Digits(peers.Spandsp(t, lin, 8000)), "spandsp")
			assert.Empty(t, peers.Digits(peers.Multimon(t, lin, 8000)), "multimon-ng")
		})
	}
}

// TestCodecSwitch: a stream that changes from µ-law to linear to A-law
// mid-call gives every sample out in the coding of the frame that takes it
// out, converted exactly.
func TestCodecSwitch(t *testing.T) {
	s := newSup(t, 8000, nil)
	d := s.Delay()
	in := make([]int16, 3*d)
	for i := range in {
		in[i] = int16((i*7919)%20000 - 10000)
	}
	u := make([]byte, d)
	for i := range u {
		u[i] = g711.LinearToULaw(in[i])
	}
	s.ProcessULaw(nil, u) // out: the initial silence, as µ-law
	for _, b := range u {
		assert.Equal(t, byte(0xFF), b)
	}
	lin := append([]int16(nil), in[d:2*d]...)
	s.Process(nil, lin) // out: the µ-law samples, decoded
	for i, v := range lin {
		assert.Equal(t, g711.ULawToLinear(g711.LinearToULaw(in[i])), v)
	}
	a := make([]byte, d)
	s.ProcessALaw(nil, a) // out: the linear samples, A-law coded
	for i, b := range a {
		assert.Equal(t, g711.LinearToALaw(in[d+i]), b)
	}
}

// TestNoFalseSpansSpeech: the whole recorded speech corpus goes through
// unchanged (bit-exact, delayed), with no span and no event.
func TestNoFalseSpansSpeech(t *testing.T) {
	prompts := testenvSpeech(t)
	s := newSup(t, 8000, nil)
	var total int
	for _, p := range prompts {
		r := run(t, s, p.PCM, 160)
		require.Empty(t, r.spans, "%s: a span in speech", p.Name)
		require.Empty(t, r.events, "%s: an event in speech", p.Name)
		require.Equal(t, p.PCM, r.out, "%s changed", p.Name)
		total += len(p.PCM)
	}
	t.Logf("%d prompts, %.1f min of speech: unchanged", len(prompts), float64(total)/8000/60)
}

// TestNoFalseSpansMusic: synthetic music (chords and a melody of
// harmonic-rich notes) and the held signals that look like a key press but
// must be rejected (strong harmonics, twist, 5 % off, single tone, dial
// tone, a chord on a DTMF pair) go through unchanged.
func TestNoFalseSpansMusic(t *testing.T) {
	s := newSup(t, 8000, nil)
	n := 0
	for _, seg := range soakSegments(t) {
		r := run(t, s, seg.PCM, 160)
		require.Empty(t, r.spans, "%s: a span", seg.Name)
		require.Empty(t, r.events, "%s: an event", seg.Name)
		require.Equal(t, seg.PCM, r.out, "%s changed", seg.Name)
		n++
	}
	require.Positive(t, n)
}

// TestCandidateReleasedUnchanged: tones the detector follows as candidates
// but rejects (too short, or failing the integrated checks later) come out
// unchanged; the test checks that the detector did follow each as a
// candidate, so the hold-back was exercised.
func TestCandidateReleasedUnchanged(t *testing.T) {
	harmonics := func(g *synth.Signal, from int, low, level float64) {
		a := synth.Amplitude(level)
		for i := from; i < len(g.Samples); i++ {
			g.Samples[i] += a * math.Sin(2*math.Pi*2*low*float64(i-from)/8000)
		}
	}
	for _, c := range []struct {
		name string
		tone synth.Tone
		harm float64 // level [dBm0] of the low tone's second harmonic; 0 for none
	}{
		{"20 ms tone", synth.Tone{Digit: '5', Duration: 20, LowLevel: -10, HighLevel: -10}, 0},
		{"23 ms tone", synth.Tone{Digit: '#', Duration: 23, LowLevel: -10, HighLevel: -10}, 0},
		{"strong second harmonic", synth.Tone{Digit: '8', Duration: 300, LowLevel: -10, HighLevel: -10}, -13},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := synth.New(8000, 5)
			g.Silence(100)
			from := len(g.Samples)
			require.NoError(t, g.Add(c.tone))
			if c.harm != 0 {
				low, _, _ := detector.KeyFrequencies(c.tone.Digit)
				harmonics(g, from, low, c.harm)
			}
			g.Silence(200)
			pcm := g.PCM()
			// Was it followed as a candidate, and for how long?
			det, err := detector.New(detector.DefaultConfig())
			require.NoError(t, err)
			followed := 0
			var ev []detector.Event
			for i := 0; i < len(pcm); i += 40 {
				ev = det.Process(ev, pcm[i:min(i+40, len(pcm))])
				if tone, ok := det.Following(); ok && !tone.Confirmed {
					followed++
				}
			}
			require.Empty(t, ev, "not a key press")
			require.Positive(t, followed, "the detector must follow %s as a candidate for the test to hold anything back", c.name)
			t.Logf("followed as a candidate for %d blocks", followed)
			r := run(t, newSup(t, 8000, nil), pcm, 160)
			assert.Empty(t, r.events)
			assert.Empty(t, r.spans)
			assert.Equal(t, pcm, r.out)
			assert.Zero(t, r.late)
		})
	}
}

// TestReset: after Reset a suppressor behaves as a fresh one, whatever it
// was in the middle of.
func TestReset(t *testing.T) {
	sig := mixed(t, 8000)
	fresh := run(t, newSup(t, 8000, nil), sig.pcm, 160)
	for _, cut := range []int{1000, 2437, 5000} {
		s := newSup(t, 8000, nil)
		s.Process(nil, append([]int16(nil), sig.pcm[:cut]...))
		s.Reset()
		assert.Zero(t, s.Position())
		r := run(t, s, sig.pcm, 160)
		assert.Equal(t, fresh, r, "reset at %d", cut)
	}
	// Flush leaves it ready for a new stream too.
	s := newSup(t, 8000, nil)
	run(t, s, sig.pcm[:3000], 160)
	assert.Equal(t, fresh, run(t, s, sig.pcm, 160))
}

// TestZeroAllocs: Process (int16, µ-law, A-law) allocates nothing per frame,
// key presses and spans included, once dst has capacity.
func TestZeroAllocs(t *testing.T) {
	sig := mixed(t, 8000)
	s := newSup(t, 8000, nil)
	ev := make([]detector.Event, 0, 16)
	spans := make([]suppress.Span, 0, 16)
	frame := make([]int16, 160)
	ub := make([]byte, 160)
	i := 0
	next := func() []int16 {
		if i+160 > len(sig.pcm) {
			i = 0
		}
		copy(frame, sig.pcm[i:i+160])
		i += 160
		return frame
	}
	allocs := testing.AllocsPerRun(2000, func() {
		ev = s.Process(ev[:0], next())
		spans = s.AppendSpans(spans[:0])
	})
	assert.Zero(t, allocs, "Process")
	allocs = testing.AllocsPerRun(500, func() {
		for k, v := range next() {
			ub[k] = g711.LinearToULaw(v)
		}
		ev = s.ProcessULaw(ev[:0], ub)
		ev = s.ProcessALaw(ev[:0], ub)
		spans = s.AppendSpans(spans[:0])
	})
	assert.Zero(t, allocs, "ProcessULaw/ALaw")
	tail := make([]int16, s.Delay())
	allocs = testing.AllocsPerRun(100, func() { ev = s.Flush(ev[:0], tail) })
	assert.Zero(t, allocs, "Flush")
}

// TestFades: with silence as fill, the output inside a span never exceeds
// the input in magnitude and falls to exactly zero within Fade of the
// span's start; the cut adds no step larger than the signal's own.
func TestFades(t *testing.T) {
	g := synth.New(8000, 9)
	// A loud 300 Hz hum under the press, so that a hard cut would click.
	g.Silence(150)
	require.NoError(t, g.Add(synth.Tone{Digit: '6', Duration: 80, LowLevel: -10, HighLevel: -10}))
	g.Silence(150)
	for i := range g.Samples {
		g.Samples[i] += 6000 * math.Sin(2*math.Pi*300*float64(i)/8000)
	}
	pcm := g.PCM()
	s := newSup(t, 8000, nil)
	r := run(t, s, pcm, 160)
	require.Len(t, r.spans, 1)
	sp := r.spans[0]
	fade := int64(16) // 2 ms
	var maxStepIn, maxStepOut float64
	for j := sp.Start - 20; j < sp.End+20; j++ {
		if j >= sp.Start && j < sp.End {
			assert.LessOrEqual(t, math.Abs(float64(r.out[j])), math.Abs(float64(pcm[j]))+1, "sample %d", j)
			if j >= sp.Start+fade && j < sp.End-fade {
				assert.Zero(t, r.out[j], "sample %d past the fade", j)
			}
		}
		maxStepIn = max(maxStepIn, math.Abs(float64(pcm[j])-float64(pcm[j-1])))
		maxStepOut = max(maxStepOut, math.Abs(float64(r.out[j])-float64(r.out[j-1])))
	}
	assert.LessOrEqual(t, maxStepOut, maxStepIn, "the fade must not step more than the hum does")
	// The hum's own step is 6000·2π·300/8000 ≈ 1414 per sample; a hard cut
	// could step 6000.
	assert.Less(t, maxStepOut, 2500.0)
}

// TestNoiseFill: comfort noise has the configured level, no DC, does not
// depend on the framing, and holds no key press.
func TestNoiseFill(t *testing.T) {
	g := synth.New(8000, 2)
	g.Silence(100)
	require.NoError(t, g.Add(synth.Tone{Digit: '0', Duration: 2000, LowLevel: -10, HighLevel: -10}))
	g.Silence(100)
	pcm := g.PCM()
	edit := func(c *suppress.Config) { c.Fill = suppress.Noise }
	r := run(t, newSup(t, 8000, edit), pcm, 160)
	r2 := run(t, newSup(t, 8000, edit), pcm, 7)
	assert.Equal(t, r.out, r2.out)
	require.Len(t, r.spans, 1)
	sp := r.spans[0]
	var sum, sq float64
	n := 0
	for j := sp.Start + 100; j < sp.End-100; j++ {
		v := float64(r.out[j])
		sum += v
		sq += v * v
		n++
	}
	mean, rms := sum/float64(n), math.Sqrt(sq/float64(n))
	level := 20 * math.Log10(rms/(synth.DBm0Peak/math.Sqrt2))
	assert.InDelta(t, suppress.DefaultNoiseLevel, level, 0.5, "noise level [dBm0]")
	assert.InDelta(t, 0, mean, 1)
	assert.Empty(t, digits(bare(t, 8000, r.out)))
	checkOutside(t, pcm, r.out, r.spans)
}

// TestSpansOrderedAndBounded: spans are ordered, non-overlapping, inside
// the stream, each tied to a press of the events.
func TestSpansOrderedAndBounded(t *testing.T) {
	for _, rate := range []int{8000, 16000} {
		sig := mixed(t, rate)
		r := run(t, newSup(t, rate, nil), sig.pcm, 160)
		starts := map[int64]byte{}
		for _, e := range r.events {
			if e.Type == detector.KeyUp {
				starts[e.Start] = e.Digit
			}
		}
		for i, sp := range r.spans {
			assert.Less(t, sp.Start, sp.End)
			assert.GreaterOrEqual(t, sp.Start, int64(0))
			assert.LessOrEqual(t, sp.End, int64(len(sig.pcm)))
			if i > 0 {
				assert.GreaterOrEqual(t, sp.Start, r.spans[i-1].End)
			}
			assert.Equal(t, starts[sp.KeyStart], sp.Digit, "span %+v belongs to a press", sp)
		}
		coverage(t, sig.name, sig.presses, r.spans, int64(rate)*8/1000)
	}
}

// TestReplacing reports the span in progress.
func TestReplacing(t *testing.T) {
	sig := mixed(t, 8000)
	s := newSup(t, 8000, nil)
	seen := 0
	buf := make([]int16, 40)
	for i := 0; i+40 <= len(sig.pcm); i += 40 {
		s.Process(nil, buf[:copy(buf, sig.pcm[i:])])
		if sp, ok := s.Replacing(); ok {
			seen++
			assert.Less(t, sp.Start, sp.End)
			assert.Equal(t, s.Position()-int64(s.Delay()), sp.End)
		}
	}
	assert.Positive(t, seen)
}

func ExampleSuppressor_StateSize() {
	s, _ := suppress.New(suppress.DefaultConfig())
	fmt.Println(s.StateSize() > 0)
	// Output: true
}

var _ = siggen.DefaultSpec
