package detector_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/soak"
	"github.com/dtmfkit/dtmf/internal/testenv"
)

// soakProgram returns the soak audio: recorded speech when the corpus is
// installed (required under DTMF_REQUIRE_TOOLS=1, as in CI), synthetic
// speech-like syllables otherwise.
func soakProgram(t *testing.T) *soak.Program {
	t.Helper()
	var prompts [][]int16
	if testenv.Required() || corpusPresent() {
		for _, p := range testenv.Speech(t) {
			prompts = append(prompts, p.PCM)
		}
	}
	return soak.New(soak.Config{Speech: prompts, Seed: 1})
}

// Every segment of the soak audio, decoded on its own: speech (recorded,
// when installed, and synthetic), music and silence give no digit, the
// burst gives its 16 keys with durations to 3 ms. (This is what the soak
// relies on; it runs under -short too.)
func TestSoakSegments(t *testing.T) {
	segments := soak.New(soak.Config{Seed: 1}).Segments()
	if testenv.Required() || corpusPresent() {
		for _, s := range soakProgram(t).Segments() {
			if s.Kind == soak.Speech {
				segments = append(segments, s)
			}
		}
	}
	for _, s := range segments {
		ev := decodeAll(t, detector.DefaultConfig(), s.PCM)
		if s.Kind != soak.Burst {
			assert.Empty(t, ev, s.Name)
			continue
		}
		ups := keyUps(ev)
		require.Equal(t, detector.Keys, digits(ev))
		for i, e := range ups {
			assert.InDelta(t, s.Presses[i].End-s.Presses[i].Start, e.End-e.Start, 24, "key %c", e.Digit)
			assert.InDelta(t, s.Presses[i].Start, e.Start, 24, "key %c", e.Digit)
		}
	}
}

// soakHours is how long TestSoak plays. At 2 ns a sample (AVX2 kernels) a
// day of audio takes about 2 s, 10 s with the pure-Go kernels
// (-tags purego) and about 20 s under the race detector, so CI runs the
// full day in both its passes (go test -race ./... and go test -tags purego
// ./...).
const soakHours = 24

// Soak: 24 hours of audio (691.2 million samples at 8 kHz: recorded speech,
// harmonic-rich chords and a melody, exact silence and a noise floor, and a
// burst of the 16 keys every 8 s or so) through one detector in 20 ms
// frames. Every burst sits at the same phase of the 5 ms analysis blocks
// after 200 ms of exact silence, so a detector that does not drift must
// report bit-identical events for it — digits, starts, ends, durations,
// levels and frequencies relative to the burst — at hour 24 as at hour 0,
// and nothing outside the bursts. Memory stays flat: the loop allocates
// nothing, and the live heap at every hour equals the one at the start.
// Skipped only under -short.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("24 hours of audio (about 2 s, 20 s under -race); run without -short")
	}
	p := soakProgram(t)
	cfg := detector.DefaultConfig()
	d, err := detector.New(cfg)
	require.NoError(t, err)
	const total = soakHours * 3600 * soak.Rate
	const maxBurstEvents = 40 // 32 expected; room to see extras

	type burst struct {
		base int64
		n    int
		ev   [maxBurstEvents]detector.Event
	}
	var (
		ev         = make([]detector.Event, 0, 64)
		first      burst // hour 0
		cur        burst
		last       burst // the last complete one, near hour 24
		bursts     int
		mismatched int
		false_     int
		falseEv    [8]detector.Event
		falseSeg   [8]*soak.Segment
		heap       [soakHours + 1]uint64
		mallocs    [soakHours + 1]uint64
		ms         runtime.MemStats
	)
	finish := func() {
		bursts++
		if bursts == 1 {
			first = cur
		} else if cur.n != first.n || cur.ev != first.ev {
			if mismatched < 5 {
				t.Errorf("burst %d at %.3f h differs from the first:\n%+v\n%+v", bursts, float64(cur.base)/soak.Rate/3600,
					cur.ev[:cur.n], first.ev[:first.n])
			}
			mismatched++
		}
		last = cur
	}
	s := p.Stream()
	runtime.GC()
	runtime.GC() // the second clears what sync.Pools of earlier tests kept
	runtime.ReadMemStats(&ms)
	heap[0], mallocs[0] = ms.HeapAlloc, ms.Mallocs
	for hour := 1; hour <= soakHours; hour++ {
		for s.Position() < int64(hour)*3600*soak.Rate {
			pos := s.Position()
			frame, seg, off := s.Next()
			if seg.Kind == soak.Burst && off == 0 {
				cur.base, cur.n = pos, 0
			}
			ev = d.Process(ev[:0], frame)
			for _, e := range ev {
				if seg.Kind != soak.Burst {
					if false_ < len(falseEv) {
						falseEv[false_], falseSeg[false_] = e, seg
					}
					false_++
					continue
				}
				if cur.n < maxBurstEvents {
					e.Start -= cur.base
					e.At -= cur.base
					if e.Type == detector.KeyUp {
						e.End -= cur.base
					}
					cur.ev[cur.n] = e
				}
				cur.n++
			}
			if seg.Kind == soak.Burst && off+soak.FrameSize == len(seg.PCM) {
				finish()
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heap[hour], mallocs[hour] = ms.HeapAlloc, ms.Mallocs
	}
	require.Equal(t, int64(total), d.Position())
	t.Logf("%d h, %d samples: %d bursts, %d key presses compared; heap %d → %d bytes; %d mallocs",
		soakHours, d.Position(), bursts, 16*bursts, heap[0], heap[soakHours], mallocs[soakHours]-mallocs[0])

	for i := range min(false_, len(falseEv)) {
		t.Errorf("false %v %c in %s at %.3f h", falseEv[i].Type, falseEv[i].Digit, falseSeg[i].Name, float64(falseEv[i].Start)/soak.Rate/3600)
	}
	assert.Zero(t, false_, "false digits outside the bursts")
	assert.Zero(t, mismatched, "bursts whose events differ from the first")
	// Every burst is found: as many as the stream played in full.
	played := int(total/p.CycleSamples()) * p.BurstsPerCycle()
	assert.GreaterOrEqual(t, bursts, played)
	// A burst every 8 s with recorded speech; the synthetic syllables of a
	// machine without the corpus make longer cycles (a burst every 10.5 s).
	every := 10
	if !testenv.Required() && !corpusPresent() {
		every = 11
	}
	assert.Greater(t, bursts, soakHours*3600/every, "a burst at least every %d s", every)

	// Hour 0 against the truth, and hour 24 against hour 0.
	b := p.Burst()
	require.Equal(t, 32, first.n, "16 key-downs and 16 key-ups: %+v", first.ev[:min(first.n, maxBurstEvents)])
	ups := keyUps(first.ev[:first.n])
	require.Equal(t, detector.Keys, digits(ups))
	for i, e := range ups {
		assert.InDelta(t, 70, e.DurationMS, 3, "key %c", e.Digit)
		assert.InDelta(t, b.Presses[i].Start, e.Start, 24, "key %c starts within 3 ms", e.Digit)
	}
	checkEventStream(t, cfg, first.ev[:first.n], int64(len(b.PCM)))
	assert.Greater(t, last.base, int64(total-60*soak.Rate), "the last burst compared is in the last minute")
	assert.Equal(t, first.ev, last.ev, "hour %d: the same digits, durations and offsets as hour 0", soakHours)

	// Memory: the live heap is flat hour by hour, and the loop allocates
	// nothing. The counters are the process's: run alone the test sees 0
	// allocations in 24 h, but what earlier tests left running (and the
	// race detector's runtime) may allocate a few objects meanwhile, while
	// one allocation per burst would be 450 an hour, one per frame 180 000.
	for h := 1; h <= soakHours; h++ {
		assert.InDelta(t, heap[0], heap[h], 16<<10, "live heap at hour %d", h)
		assert.LessOrEqual(t, mallocs[h]-mallocs[0], uint64(64), "allocations by hour %d", h)
	}
	ev = ev[:0]
	assert.Zero(t, testing.AllocsPerRun(2000, func() {
		frame, _, _ := s.Next()
		ev = d.Process(ev[:0], frame)
	}), "allocations per frame of the soak loop")
}
