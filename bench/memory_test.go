package bench

import (
	"runtime"
	"testing"
	"time"

	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// channel is what a media server keeps per call: a detector, a digit
// collector with a collection running, and the event slice it reuses.
type channel struct {
	d  *detector.Detector
	c  *collector.Collector
	ev []detector.Event
}

// quietCollection never ends during the tests: no terminator, no timeout
// within an hour, up to 128 digits.
func quietCollection() collector.Config {
	cfg := collector.DefaultConfig()
	cfg.Terminators = ""
	cfg.FirstDigitTimeout = time.Hour
	cfg.InterDigitTimeout = time.Hour
	return cfg
}

func newChannels(tb testing.TB, n int) []channel {
	tb.Helper()
	chans := make([]channel, n)
	for i := range chans {
		d, err := detector.New(detector.DefaultConfig())
		require.NoError(tb, err)
		c, err := collector.New(8000)
		require.NoError(tb, err)
		_, err = c.Start("bench", quietCollection())
		require.NoError(tb, err)
		chans[i] = channel{d: d, c: c, ev: make([]detector.Event, 0, 16)}
	}
	return chans
}

// feed gives every channel frames [from, to) of pcm (160 samples each,
// channel i offset by i frames so that channels are in different states),
// encodes each key-up as contract JSON into buf and counts the key-ups.
func feed(tb testing.TB, chans []channel, pcm []int16, from, to int, buf []byte) ([]byte, int) {
	ups := 0
	frames := len(pcm) / 160
	for f := from; f < to; f++ {
		for i := range chans {
			ch := &chans[i]
			k := (f + i) % frames
			ch.ev = ch.d.Process(ch.ev[:0], pcm[160*k:160*k+160])
			for j := range ch.ev {
				if _, err := ch.c.Key(ch.ev[j]); err != nil {
					tb.Fatal(err)
				}
				if ch.ev[j].Type == detector.KeyUp {
					ups++
					buf = appendDTMF(buf[:0], &ch.ev[j])
				}
			}
			if _, err := ch.c.AdvanceTo(ch.d.Position()); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return buf, ups
}

// appendDTMF appends the contract's "dtmf" event for key-up ev.
func appendDTMF(buf []byte, ev *detector.Event) []byte {
	e := emit.Event{Kind: emit.KindDTMF, SessionUUID: "bench", Digit: ev.Digit, DurationMS: ev.DurationMS}
	return e.AppendJSON(buf)
}

// channelBytes measures the heap bytes per channel of n detectors and of n
// collectors with a collection running.
func channelBytes(tb testing.TB, n int) (det, coll float64) {
	tb.Helper()
	heap := func(build func()) float64 {
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		build()
		runtime.GC()
		runtime.ReadMemStats(&b)
		return (float64(b.HeapAlloc) - float64(a.HeapAlloc)) / float64(n)
	}
	dets := make([]*detector.Detector, n)
	colls := make([]*collector.Collector, n)
	var err error
	det = heap(func() {
		for i := range dets {
			if dets[i], err = detector.New(detector.DefaultConfig()); err != nil {
				return
			}
		}
	})
	require.NoError(tb, err)
	coll = heap(func() {
		for i := range colls {
			if colls[i], err = collector.New(8000); err != nil {
				return
			}
			if _, err = colls[i].Start("bench", quietCollection()); err != nil {
				return
			}
		}
	})
	require.NoError(tb, err)
	runtime.KeepAlive(dets)
	runtime.KeepAlive(colls)
	return det, coll
}

// TestTenThousandChannels runs 10,000 channels (detector, collector, event
// encoding) at once on speech with DTMF and checks that the steady state
// makes no garbage: no allocation and no GC cycle while every channel gets
// 0.5 s of audio (allowing for the runtime's own stray allocation, see
// below). It logs the heap bytes per channel. Needs the speech
// corpus (asterisk-core-sounds-en-wav).
func TestTenThousandChannels(t *testing.T) {
	const n = 10000
	pcm, _ := speechWithDTMF(t)
	det, coll := channelBytes(t, n)
	t.Logf("heap per channel: detector %.0f B, collector with a collection running %.0f B", det, coll)
	assert.Less(t, det, 512.0, "detector bytes per channel")
	assert.Less(t, coll, 2048.0, "collector bytes per channel")

	chans := newChannels(t, n)
	buf := make([]byte, 0, 256)
	buf, _ = feed(t, chans, pcm, 0, 25, buf) // warm-up: 0.5 s each
	// The counters are process-wide, and the runtime's own goroutines
	// (the scavenger growing its timer heap, cleanups) allocate a few bytes
	// now and then. Garbage of ours would show in every window, by the
	// thousand (each window is 250,000 frames and thousands of key presses),
	// so: every window at most a stray allocation, and one window clean.
	clean := false
	for w := range 3 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var ups int
		buf, ups = feed(t, chans, pcm, 25*(w+1), 25*(w+2), buf)
		runtime.ReadMemStats(&after)
		allocs, gcs := after.Mallocs-before.Mallocs, after.NumGC-before.NumGC
		t.Logf("window %d: %d channels × 0.5 s, %d key presses, %d allocations, %d GC cycles", w, n, ups, allocs, gcs)
		assert.Positive(t, ups, "no key press decoded: the workload is not exercised")
		assert.LessOrEqual(t, allocs, uint64(2), "heap allocations in the steady state")
		assert.Zero(t, gcs, "GC cycles in the steady state")
		if allocs == 0 && gcs == 0 {
			clean = true
			break
		}
	}
	assert.True(t, clean, "no steady-state window without allocations")
	runtime.KeepAlive(buf)
}
