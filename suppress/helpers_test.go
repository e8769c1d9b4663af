package suppress_test

import (
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/soak"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/suppress"
	"github.com/stretchr/testify/require"
)

// result is what a whole stream gave.
type result struct {
	out    []int16 // the output realigned: out[j] left for input j
	events []detector.Event
	spans  []suppress.Span
	late   int64
}

// newSup returns a suppressor for cfg at rate.
func newSup(t testing.TB, rate int, edit func(*suppress.Config)) *suppress.Suppressor {
	t.Helper()
	cfg := suppress.DefaultConfig()
	cfg.Detector.SampleRate = rate
	if edit != nil {
		edit(&cfg)
	}
	s, err := suppress.New(cfg)
	require.NoError(t, err)
	return s
}

// run feeds pcm in frames of n samples (all at once if n <= 0), flushes, and
// realigns the output. The first Delay samples out must be silence.
func run(t testing.TB, s *suppress.Suppressor, pcm []int16, n int) result {
	t.Helper()
	if n <= 0 {
		n = max(len(pcm), 1)
	}
	d := s.Delay()
	var r result
	all := make([]int16, 0, len(pcm)+d)
	buf := make([]int16, n)
	for i := 0; i < len(pcm); i += n {
		f := buf[:copy(buf, pcm[i:min(i+n, len(pcm))])]
		r.events = s.Process(r.events, f)
		all = append(all, f...)
		r.spans = s.AppendSpans(r.spans)
		r.late += late(s)
	}
	tail := make([]int16, d)
	r.late += late(s)
	r.events = s.Flush(r.events, tail)
	r.spans = s.AppendSpans(r.spans)
	all = append(all, tail...)
	for i, v := range all[:d] {
		if v != 0 {
			t.Fatalf("output sample %d before the first input came out: %d, want silence", i, v)
		}
	}
	r.out = all[d:]
	return r
}

// late reads the suppressor's lateness monitor.
func late(s *suppress.Suppressor) int64 { return s.Late() }

// bare runs a bare detector over pcm in 20 ms frames and flushes it.
func bare(t testing.TB, rate int, pcm []int16) []detector.Event {
	t.Helper()
	cfg := detector.DefaultConfig()
	cfg.SampleRate = rate
	d, err := detector.New(cfg)
	require.NoError(t, err)
	var ev []detector.Event
	n := rate / 50
	for i := 0; i < len(pcm); i += n {
		ev = d.Process(ev, pcm[i:min(i+n, len(pcm))])
	}
	return d.Flush(ev)
}

// digits returns the digits of the KeyUp events.
func digits(ev []detector.Event) string {
	var b []byte
	for _, e := range ev {
		if e.Type == detector.KeyUp {
			b = append(b, e.Digit)
		}
	}
	return string(b)
}

// inSpans reports whether position j lies in one of spans.
func inSpans(spans []suppress.Span, j int64) bool {
	for _, sp := range spans {
		if sp.Start <= j && j < sp.End {
			return true
		}
	}
	return false
}

// checkOutside asserts that every sample outside the spans came out as it
// went in, and returns how many samples the spans hold.
func checkOutside(t testing.TB, in, out []int16, spans []suppress.Span) int {
	t.Helper()
	require.Len(t, out, len(in))
	replaced := 0
	k := 0
	for j := range in {
		for k < len(spans) && spans[k].End <= int64(j) {
			k++
		}
		if k < len(spans) && spans[k].Start <= int64(j) {
			replaced++
			continue
		}
		if out[j] != in[j] {
			t.Fatalf("sample %d outside every span changed: in %d, out %d (spans %v)", j, in[j], out[j], spans)
		}
	}
	return replaced
}

func nan() float64 { var z float64; return z / z }

func testenvSpeech(t testing.TB) []testenv.Prompt { return testenv.Speech(t) }

// soakSegments returns the music and steady segments of a soak program:
// audio with no key press.
func soakSegments(t testing.TB) []soak.Segment {
	t.Helper()
	p := soak.New(soak.Config{Seed: 1})
	var out []soak.Segment
	for _, s := range p.Segments() {
		if s.Kind == soak.Music || s.Kind == soak.Steady {
			out = append(out, s)
		}
	}
	return out
}
