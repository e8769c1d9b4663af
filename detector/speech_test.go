package detector_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
)

// Talk-off: 25 minutes of recorded telephone prompts (Debian's
// asterisk-core-sounds-en-wav) produce no digit at all, each prompt decoded on
// its own and all of them as one stream, at several alignments with the
// detector's 5 ms blocks.
func TestTalkOffSpeech(t *testing.T) {
	prompts := testenv.Speech(t)
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	var samples int
	for _, p := range prompts {
		ev := d.Flush(d.Process(nil, p.PCM))
		for _, e := range ev {
			t.Errorf("%s: false %v %c at %.3f s", p.Name, e.Type, e.Digit, float64(e.Start)/8000)
		}
		samples += len(p.PCM)
	}
	t.Logf("%d prompts, %.1f minutes of speech", len(prompts), float64(samples)/8000/60)
	for _, lead := range []int{0, 13, 27} {
		d.Process(nil, make([]int16, lead))
		var ev []detector.Event
		for _, p := range prompts {
			ev = d.Process(ev, p.PCM)
		}
		for _, e := range d.Flush(ev) {
			t.Errorf("stream with %d leading samples: false %v %c at %.3f s", lead, e.Type, e.Digit, float64(e.Start)/8000)
		}
	}
}

// burst is 16 keys, 70 ms on and 70 ms off, at -12 dBm0 per tone.
func burst() []int16 {
	s := synth.New(8000, 42)
	for i := range len(detector.Keys) {
		s.Add(synth.Tone{Digit: detector.Keys[i], Duration: 70, LowLevel: -12, HighLevel: -13, LowPhase: float64(i), HighPhase: 2 * float64(i)})
		s.Silence(70)
	}
	return s.PCM()
}

// No drift: the same burst after an hour of continuous speech through one
// detector gives exactly the digits, durations and relative offsets it gives
// at the start. (FreeSWITCH's libteletone misses most digits after 30 s of
// speech because its filter state is never reset.)
func TestNoDriftAfterAnHourOfSpeech(t *testing.T) {
	if testing.Short() {
		t.Skip("an hour of audio; run without -short")
	}
	prompts := testenv.Speech(t)
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	b := burst()
	var ev []detector.Event
	feed := func(x []int16) {
		for i := 0; i < len(x); i += 160 {
			ev = d.Process(ev, x[i:min(i+160, len(x))])
		}
	}
	feed(make([]int16, 4000))
	start := d.Position()
	feed(b)
	first := len(ev)
	const hour = 3600 * 8000
	for i := 0; d.Position() < hour; i++ {
		feed(prompts[i%len(prompts)].PCM)
	}
	require.Equal(t, first, len(ev), "no digit in an hour of speech")
	// Resume at the same phase of the detector's 5 ms blocks as the first
	// burst, so that a detector without drift must give identical results.
	pad := 4000 + (start-d.Position()-4000)%int64(d.BlockSize())
	if pad < 4000 {
		pad += int64(d.BlockSize())
	}
	feed(make([]int16, pad))
	later := d.Position()
	require.Equal(t, start%int64(d.BlockSize()), later%int64(d.BlockSize()))
	feed(b)
	ev = d.Flush(ev)
	require.Len(t, ev, 2*first)
	require.Equal(t, 32, first, "16 key-downs and 16 key-ups")
	for i := range first {
		a, z := ev[i], ev[first+i]
		assert.Equal(t, a.Type, z.Type)
		assert.Equal(t, a.Digit, z.Digit)
		assert.Equal(t, a.DurationMS, z.DurationMS)
		assert.Equal(t, a.Start-start, z.Start-later, "offset of %c", a.Digit)
	}
}
