package dtmf_test

import (
	"io"
	"slices"
	"testing"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/suppress"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bareEvents returns what a bare detector reports for pcm, flushed.
func bareEvents(t *testing.T, rate int, pcm []int16) []detector.Event {
	t.Helper()
	dc := detector.DefaultConfig()
	dc.SampleRate = rate
	d, err := detector.New(dc)
	require.NoError(t, err)
	return d.Flush(d.Process(nil, pcm))
}

// TestChannelOnKey: OnKey sees every KeyDown (soon after the press began)
// and KeyUp (with its duration), exactly as the bare detector reports
// them, with no collection running and with one.
func TestChannelOnKey(t *testing.T) {
	pcm, s := signal(t, 8000, typed("19#", 120, 70), 200)
	want := bareEvents(t, 8000, pcm)
	require.Len(t, want, 6)
	for _, collect := range []bool{false, true} {
		var got []detector.Event
		rec := newRecorder(t)
		ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "call-1", Sink: rec,
			OnKey: func(ev detector.Event) { got = append(got, ev) }})
		require.NoError(t, err)
		if collect {
			_, err := ch.Collect("cmd-1", pinConfig())
			require.NoError(t, err)
		}
		feed(t, ch, pcm, 160)
		require.NoError(t, ch.Hangup())
		assert.Equal(t, want, got, "collect %v", collect)
		for i, ev := range got {
			p := s.Presses[i/2]
			if i%2 == 0 {
				require.Equal(t, detector.KeyDown, ev.Type)
				assert.Less(t, ev.At-int64(p.Start), int64(8*35), "key-down within 35 ms of the onset")
			} else {
				require.Equal(t, detector.KeyUp, ev.Type)
				assert.InDelta(t, 70, ev.DurationMS, 1)
			}
		}
		assert.Len(t, rec.of(emit.KindDTMF), 3, "the sink still gets one dtmf event per press")
	}
}

// TestChannelSuppress: a suppressing channel forwards the audio delayed by
// Delay, identical outside the key presses, with no digit left in it for
// this detector; its events are the bare detector's; µ-law frames come out
// as µ-law; float frames are refused; Reset starts the delay line again.
func TestChannelSuppress(t *testing.T) {
	pcm, _ := signal(t, 8000, typed("4711", 90, 60), 300)
	// A quiet hum under everything, so that "unchanged" means something.
	for i := range pcm {
		pcm[i] += int16(40 * ((i/20)%2*2 - 1))
	}
	want := bareEvents(t, 8000, pcm)
	cfg := suppress.DefaultConfig()
	var got []detector.Event
	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "call-1", Sink: newRecorder(t), Suppress: &cfg,
		OnKey: func(ev detector.Event) { got = append(got, ev) }})
	require.NoError(t, err)
	d := ch.Delay()
	require.Equal(t, 319, d, "the suppressor's documented delay at 8 kHz")

	run := func() []int16 {
		out := slices.Clone(pcm)
		for i := 0; i < len(out); i += 160 {
			_, err := ch.Process(out[i:min(i+160, len(out))])
			require.NoError(t, err)
		}
		return out
	}
	out := run()
	require.NoError(t, ch.Close())
	assert.Equal(t, want, got)
	// Forwarded sample j+d is input sample j, except inside the presses.
	var changed int
	for j := 0; j+d < len(out); j++ {
		if out[j+d] != pcm[j] {
			changed++
			inKey := false
			for _, ev := range want {
				if ev.Type == detector.KeyUp && int64(j) >= ev.Start-8*10 && int64(j) < ev.End+8*10 {
					inKey = true
				}
			}
			require.True(t, inKey, "sample %d changed outside every press", j)
		}
	}
	assert.Greater(t, changed, 4*60*8*9/10, "the presses were replaced")
	assert.Empty(t, bareEvents(t, 8000, out[d:]), "no digit left in the forwarded audio")

	// Reset: the same stream again gives the same output and events.
	ch.Reset()
	got = nil
	assert.Equal(t, out, run())
	assert.Equal(t, want[:len(want)-1], got[:len(want)-1])

	// µ-law: bytes in, bytes out, the same events.
	ch.Reset()
	got = nil
	ul := make([]byte, len(pcm))
	for i, v := range pcm {
		ul[i] = g711.LinearToULaw(v)
	}
	in := slices.Clone(ul)
	for i := 0; i < len(ul); i += 160 {
		_, err := ch.ProcessULaw(ul[i:min(i+160, len(ul))])
		require.NoError(t, err)
	}
	var lin []int16
	for _, b := range ul {
		lin = append(lin, g711.ULawToLinear(b))
	}
	assert.Empty(t, bareEvents(t, 8000, lin[d:]))
	assert.Equal(t, in[:100], ul[d:d+100], "µ-law bytes pass unchanged, delayed")

	_, err = ch.ProcessFloat32(make([]float32, 160))
	assert.ErrorIs(t, err, dtmf.ErrConfig)

	// Nothing allocated per frame, presses, OnKey and sink included.
	var keys int
	ch, err = dtmf.NewChannel(dtmf.ChannelConfig{Session: "call-1", Sink: emit.NewWriter(io.Discard), Suppress: &cfg,
		OnKey: func(detector.Event) { keys++ }})
	require.NoError(t, err)
	frame := make([]int16, 160)
	frames := len(pcm) / 160
	var f int
	allocs := testing.AllocsPerRun(1000, func() {
		copy(frame, pcm[f%frames*160:])
		f++
		if _, err := ch.Process(frame); err != nil {
			t.Fatal(err)
		}
	})
	assert.Positive(t, keys)
	assert.Zero(t, allocs)
}

// TestChannelExplain: Explain sees candidates, and the events do not
// change with it.
func TestChannelExplain(t *testing.T) {
	pcm, _ := signal(t, 8000, typed("58", 100, 60), 200)
	for _, sup := range []*suppress.Config{nil, new(suppress.DefaultConfig())} {
		var evals, accepted int
		var got []detector.Event
		ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "call-1", Sink: newRecorder(t), Suppress: sup,
			OnKey: func(ev detector.Event) { got = append(got, ev) },
			Explain: func(e *detector.Evaluation) {
				evals++
				if e.Passed() {
					accepted++
				}
			}})
		require.NoError(t, err)
		feed(t, ch, slices.Clone(pcm), 160) // a suppressing channel overwrites it
		require.NoError(t, ch.Hangup())
		assert.Equal(t, bareEvents(t, 8000, pcm), got)
		assert.Positive(t, evals)
		assert.GreaterOrEqual(t, accepted, 2, "each press was accepted at least once")
	}
}
