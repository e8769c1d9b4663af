package dtmf_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testutil"
)

// press is one key in a test signal: silence before it, then the tone.
type press struct {
	key       byte
	pause, ms float64 // [ms]
}

// signal synthesizes presses at -10 dBm0 per tone, then trailing silence.
func signal(t testing.TB, rate int, presses []press, tail float64) ([]int16, *synth.Signal) {
	t.Helper()
	s := synth.New(rate, 1)
	for _, p := range presses {
		s.Silence(p.pause)
		require.NoError(t, s.Add(synth.Tone{Digit: p.key, Duration: p.ms, LowLevel: -10, HighLevel: -10}))
	}
	s.Silence(tail)
	return s.PCM(), s
}

func typed(keys string, pause, ms float64) []press {
	out := make([]press, len(keys))
	for i := range len(keys) {
		out[i] = press{keys[i], pause, ms}
	}
	return out
}

// recorder is a sink that keeps every event and checks it against the
// contract's schema.
type recorder struct {
	t      testing.TB
	sch    *jsonschema.Schema
	events []emit.Event
	buf    []byte
}

func newRecorder(t testing.TB) *recorder {
	t.Helper()
	return &recorder{t: t, sch: testutil.EventSchema(t)}
}

func (r *recorder) Emit(e emit.Event) error {
	r.buf = e.AppendJSON(r.buf[:0])
	require.NoError(r.t, testutil.ValidateEvent(r.sch, r.buf), "%s", r.buf)
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) of(kind emit.Kind) []emit.Event {
	var out []emit.Event
	for _, e := range r.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func newChannel(t testing.TB, sink emit.Sink, rate int) *dtmf.Channel {
	t.Helper()
	dc := detector.DefaultConfig()
	dc.SampleRate = rate
	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "call-1", Detector: dc, Sink: sink})
	require.NoError(t, err)
	return ch
}

// feed processes pcm in frames of n samples and returns the signals raised,
// with the sample position at which each frame that raised one ended.
func feed(t testing.TB, ch *dtmf.Channel, pcm []int16, n int) (sigs []collector.Signal, at []int64) {
	t.Helper()
	for len(pcm) > 0 {
		k := min(n, len(pcm))
		sig, err := ch.Process(pcm[:k])
		require.NoError(t, err)
		if sig != 0 {
			sigs = append(sigs, sig)
			at = append(at, ch.Position())
		}
		pcm = pcm[k:]
	}
	return sigs, at
}

func pinConfig() collector.Config {
	cfg := collector.DefaultConfig()
	cfg.MinDigits, cfg.MaxDigits = 4, 4
	cfg.Terminators = "#"
	return cfg
}

func TestChannelPIN(t *testing.T) {
	for _, rate := range []int{8000, 16000, 48000} {
		t.Run(time.Duration(rate).String(), func(t *testing.T) {
			rec := newRecorder(t)
			ch := newChannel(t, rec, rate)
			cfg := collector.DefaultConfig()
			sig, err := ch.Collect("collect-pin-001", cfg)
			require.NoError(t, err)
			require.Zero(t, sig)
			pcm, truth := signal(t, rate, typed("1234#", 300, 90), 500)
			sigs, at := feed(t, ch, pcm, rate/50)
			require.NoError(t, ch.Hangup())

			require.Len(t, sigs, 2)
			assert.Equal(t, collector.BargeIn, sigs[0], "barge-in at the first key")
			assert.Equal(t, collector.Done, sigs[1], "done at '#'")
			// The barge-in comes within 40 ms of the first tone (the frame
			// that raised it ends at most 20 ms after the confirmation).
			assert.InDelta(t, float64(truth.Presses[0].Start), float64(at[0]), float64(rate)*0.060)

			keys := rec.of(emit.KindDTMF)
			require.Len(t, keys, 5)
			for i, e := range keys {
				assert.Equal(t, "call-1", e.SessionUUID)
				assert.Equal(t, "1234#"[i], e.Digit)
				assert.InDelta(t, 90, e.DurationMS, 3, "key %c", e.Digit)
			}
			results := rec.of(emit.KindDigitsCollected)
			require.Len(t, results, 1)
			assert.Equal(t, emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: "call-1", CommandUID: "collect-pin-001",
				Digits: "1234", Terminator: '#', Status: emit.StatusSuccess}, results[0])
			// '#' ends the collection at its key-down, before its release:
			// digits.collected precedes the dtmf event of '#'.
			require.Len(t, rec.events, 6)
			assert.Equal(t, emit.KindDigitsCollected, rec.events[4].Kind)
			assert.Equal(t, byte('#'), rec.events[5].Digit)
		})
	}
}

func TestChannelChunkingInvariance(t *testing.T) {
	presses := []press{{'1', 200, 60}, {'9', 45, 45}, {'*', 800, 250}, {'0', 100, 40}, {'#', 50, 100}, {'5', 3100, 80}}
	pcm, _ := signal(t, 8000, presses, 4000)
	run := func(n int) []emit.Event {
		rec := newRecorder(t)
		ch := newChannel(t, rec, 8000)
		cfg := collector.DefaultConfig()
		cfg.InterDigitTimeout = time.Second
		cfg.MinDigits = 2
		_, err := ch.Collect("a", cfg)
		require.NoError(t, err)
		feed(t, ch, pcm, n)
		require.NoError(t, ch.Hangup())
		return rec.events
	}
	want := run(len(pcm))
	require.Len(t, want, 7, "six presses and one result: %+v", want)
	for _, n := range []int{1, 7, 80, 160, 237} {
		assert.Equal(t, want, run(n), "frames of %d samples", n)
	}
}

func TestChannelCodecs(t *testing.T) {
	pcm, _ := signal(t, 8000, typed("147*", 120, 70), 300)
	digits := func(process func(ch *dtmf.Channel) error) string {
		rec := newRecorder(t)
		ch := newChannel(t, rec, 8000)
		require.NoError(t, process(ch))
		require.NoError(t, ch.Hangup())
		var s []byte
		for _, e := range rec.of(emit.KindDTMF) {
			s = append(s, e.Digit)
		}
		return string(s)
	}
	assert.Equal(t, "147*", digits(func(ch *dtmf.Channel) error { _, err := ch.Process(pcm); return err }))
	ulaw, alaw := make([]byte, len(pcm)), make([]byte, len(pcm))
	fl := make([]float32, len(pcm))
	for i, v := range pcm {
		ulaw[i], alaw[i] = g711.LinearToULaw(v), g711.LinearToALaw(v)
		fl[i] = float32(v) / 32768
	}
	assert.Equal(t, "147*", digits(func(ch *dtmf.Channel) error { _, err := ch.ProcessULaw(ulaw); return err }))
	assert.Equal(t, "147*", digits(func(ch *dtmf.Channel) error { _, err := ch.ProcessALaw(alaw); return err }))
	assert.Equal(t, "147*", digits(func(ch *dtmf.Channel) error { _, err := ch.ProcessFloat32(fl); return err }))

	ch := newChannel(t, newRecorder(t), 8000)
	_, err := ch.ProcessFloat32([]float32{0, float32(math.NaN())})
	assert.ErrorIs(t, err, detector.ErrNonFinite)
	assert.Zero(t, ch.Position(), "a rejected frame is not consumed")
}

func TestChannelGapRunsTimeouts(t *testing.T) {
	rec := newRecorder(t)
	ch := newChannel(t, rec, 8000)
	cfg := collector.DefaultConfig()
	cfg.Tries = 2
	_, err := ch.Collect("menu", cfg)
	require.NoError(t, err)
	sig, err := ch.Gap(5*8000 - 1)
	require.NoError(t, err)
	assert.Zero(t, sig)
	sig, err = ch.Gap(1)
	require.NoError(t, err)
	assert.Equal(t, collector.Retry, sig)
	sig, err = ch.Gap(60 * 8000)
	require.NoError(t, err)
	assert.Equal(t, collector.Done, sig)
	assert.Equal(t, int64(65*8000), ch.Position())
	require.Len(t, rec.events, 1)
	assert.Equal(t, emit.StatusTimeout, rec.events[0].Status)
	assert.Equal(t, int64(10*8000), ch.Result().End)
	_, err = ch.Gap(-1)
	assert.ErrorIs(t, err, dtmf.ErrConfig)
}

func TestChannelGapReleasesHeldKey(t *testing.T) {
	// A key whose audio stops (the stream pauses mid-tone) is released by
	// the gap, and its dtmf event is emitted.
	rec := newRecorder(t)
	ch := newChannel(t, rec, 8000)
	pcm, _ := signal(t, 8000, []press{{'6', 100, 200}}, 0)
	_, err := ch.Process(pcm)
	require.NoError(t, err)
	require.Empty(t, rec.events)
	_, err = ch.Gap(8000)
	require.NoError(t, err)
	require.Len(t, rec.events, 1)
	assert.Equal(t, byte('6'), rec.events[0].Digit)
	assert.InDelta(t, 200, rec.events[0].DurationMS, 3)
}

func TestChannelHangupAndClose(t *testing.T) {
	tests := []struct {
		name   string
		end    func(*dtmf.Channel) error
		status emit.Status
	}{
		{"hangup is failure", (*dtmf.Channel).Hangup, emit.StatusFailure},
		{"close is unknown", (*dtmf.Channel).Close, emit.StatusUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t)
			ch := newChannel(t, rec, 8000)
			_, err := ch.Collect("c", pinConfig())
			require.NoError(t, err)
			// '2' is still sounding when the stream ends.
			pcm, _ := signal(t, 8000, []press{{'1', 100, 80}, {'2', 100, 150}}, 0)
			_, err = ch.Process(pcm)
			require.NoError(t, err)
			require.NoError(t, tt.end(ch))
			require.Len(t, rec.events, 3)
			assert.Equal(t, byte('1'), rec.events[0].Digit)
			assert.Equal(t, byte('2'), rec.events[1].Digit, "the held key is released and reported")
			assert.InDelta(t, 150, rec.events[1].DurationMS, 3)
			assert.Equal(t, emit.KindDigitsCollected, rec.events[2].Kind)
			assert.Equal(t, "12", rec.events[2].Digits)
			assert.Equal(t, tt.status, rec.events[2].Status)

			assert.NoError(t, ch.Hangup(), "ending twice does nothing")
			assert.NoError(t, ch.Close())
			assert.Len(t, rec.events, 3)
			_, err = ch.Process(pcm)
			assert.ErrorIs(t, err, dtmf.ErrClosed)
			_, err = ch.Collect("d", pinConfig())
			assert.ErrorIs(t, err, dtmf.ErrClosed)
			_, err = ch.Gap(1)
			assert.ErrorIs(t, err, dtmf.ErrClosed)
			assert.ErrorIs(t, ch.Abort(), dtmf.ErrClosed)
			assert.ErrorIs(t, ch.PromptDone(), dtmf.ErrClosed)
		})
	}
}

func TestChannelCollectReplacesRunning(t *testing.T) {
	rec := newRecorder(t)
	ch := newChannel(t, rec, 8000)
	_, err := ch.Collect("first", pinConfig())
	require.NoError(t, err)
	pcm, _ := signal(t, 8000, typed("12", 100, 80), 100)
	feed(t, ch, pcm, 160)

	_, err = ch.Collect("", pinConfig())
	assert.ErrorIs(t, err, collector.ErrConfig)
	bad := pinConfig()
	bad.Pattern = "("
	_, err = ch.Collect("second", bad)
	assert.ErrorIs(t, err, collector.ErrConfig)
	assert.True(t, ch.Collecting(), "a rejected Collect leaves the running one alone")

	sig, err := ch.Collect("second", pinConfig())
	require.NoError(t, err)
	assert.Zero(t, sig)
	results := rec.of(emit.KindDigitsCollected)
	require.Len(t, results, 1)
	assert.Equal(t, emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: "call-1", CommandUID: "first",
		Digits: "12", Status: emit.StatusUnknown}, results[0])

	require.NoError(t, ch.Abort())
	results = rec.of(emit.KindDigitsCollected)
	require.Len(t, results, 2)
	assert.Equal(t, "second", results[1].CommandUID)
	assert.Equal(t, emit.StatusUnknown, results[1].Status)
	assert.NoError(t, ch.Abort(), "nothing to abort")
	assert.Len(t, rec.of(emit.KindDigitsCollected), 2)
}

func TestChannelTypeAheadAndPrompt(t *testing.T) {
	// The caller types "12" before the collection starts; with type-ahead
	// the collection takes them at once (barge-in before any prompt).
	rec := newRecorder(t)
	ch := newChannel(t, rec, 8000)
	pcm, _ := signal(t, 8000, typed("12", 100, 80), 200)
	feed(t, ch, pcm, 160)
	cfg := pinConfig()
	cfg.TypeAhead = 2 * time.Second
	cfg.WaitForPrompt = true
	sig, err := ch.Collect("c", cfg)
	require.NoError(t, err)
	assert.Equal(t, collector.BargeIn, sig)
	pcm, _ = signal(t, 8000, typed("34", 100, 80), 100)
	sigs, _ := feed(t, ch, pcm, 160)
	assert.Equal(t, []collector.Signal{collector.Done}, sigs)
	assert.Equal(t, "1234", ch.Result().Digits)
	assert.NoError(t, ch.PromptDone(), "after the collection: nothing to do")
}

func TestChannelExtras(t *testing.T) {
	rec := newRecorder(t)
	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "s", Sink: rec, Extras: emit.ExtraOffset | emit.ExtraChannel, Channel: 1})
	require.NoError(t, err)
	_, err = ch.Collect("c", pinConfig())
	require.NoError(t, err)
	pcm, truth := signal(t, 8000, typed("5", 500, 100), 100)
	feed(t, ch, pcm, 160)
	require.NoError(t, ch.Hangup())
	require.Len(t, rec.events, 2)
	key := rec.events[0]
	assert.Equal(t, emit.ExtraOffset|emit.ExtraChannel, key.Extras)
	assert.Equal(t, 1, key.Channel)
	assert.InDelta(t, float64(truth.Presses[0].Start)/8, float64(key.OffsetMS), 2, "offset_ms is the press start")
	res := rec.events[1]
	assert.Equal(t, ch.Result().End/8, res.OffsetMS, "offset_ms of a result is its end")
}

// failSink fails every Emit.
type failSink struct{ n int }

var errSink = errors.New("sink down")

func (f *failSink) Emit(emit.Event) error { f.n++; return errSink }

func TestChannelSinkErrorDoesNotStopProcessing(t *testing.T) {
	fs := &failSink{}
	ch := newChannel(t, fs, 8000)
	_, err := ch.Collect("c", pinConfig())
	require.NoError(t, err)
	pcm, _ := signal(t, 8000, typed("1234", 100, 80), 200)
	var errs int
	var sigs collector.Signal
	for f := range len(pcm) / 160 {
		sig, err := ch.Process(pcm[f*160 : (f+1)*160])
		sigs |= sig
		if err != nil {
			assert.ErrorIs(t, err, errSink)
			errs++
		}
	}
	assert.Equal(t, collector.BargeIn|collector.Done, sigs, "the collection went on")
	assert.Equal(t, "1234", ch.Result().Digits)
	assert.Equal(t, 5, fs.n, "four keys and one result were offered")
	assert.Positive(t, errs)
}

func TestNewChannelErrors(t *testing.T) {
	sink := emit.Func(func(emit.Event) error { return nil })
	bad := detector.DefaultConfig()
	bad.SampleRate = 1234
	tests := map[string]dtmf.ChannelConfig{
		"no session":       {Sink: sink},
		"session not utf8": {Session: "\xff", Sink: sink},
		"no sink":          {Session: "s"},
		"bad extras":       {Session: "s", Sink: sink, Extras: 0x80},
		"negative channel": {Session: "s", Sink: sink, Extras: emit.ExtraChannel, Channel: -1},
		"bad detector":     {Session: "s", Sink: sink, Detector: bad},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := dtmf.NewChannel(cfg)
			assert.ErrorIs(t, err, dtmf.ErrConfig)
		})
	}
	_, err := dtmf.NewChannel(tests["bad detector"])
	assert.ErrorIs(t, err, detector.ErrConfig)
}

func TestChannelZeroAllocsPerFrame(t *testing.T) {
	// A minute of key presses with collections running: per frame, the
	// detector, the collector and a Writer sink allocate nothing.
	var presses []press
	for range 60 {
		presses = append(presses, typed("1234#", 150, 70)...)
	}
	pcm, _ := signal(t, 8000, presses, 0)
	ch := newChannel(t, emit.NewWriter(io.Discard), 8000)
	cfg := collector.DefaultConfig()
	frame := 0
	frames := len(pcm) / 160
	next := func() {
		f := frame % frames
		frame++
		if _, err := ch.Process(pcm[f*160 : (f+1)*160]); err != nil {
			panic(err)
		}
	}
	_, err := ch.Collect("warm-up", cfg)
	require.NoError(t, err)
	for range frames {
		next() // the first pass grows the buffers
	}
	// 1000 frames (20 s) hold about 90 keys: a collection of up to 128
	// digits without terminator runs all along.
	long := cfg
	long.Terminators = ""
	_, err = ch.Collect("long", long)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(999, next)
	require.True(t, ch.Collecting())
	assert.Zero(t, allocs, "frames while a collection runs")
	allocs = testing.AllocsPerRun(10, func() {
		if _, err := ch.Collect("c", cfg); err != nil {
			panic(err)
		}
		for ch.Collecting() {
			next()
		}
	})
	assert.Equal(t, 1.0, allocs, "a whole collection, frames included: only Collect's digit buffer")
}

func TestManyChannelsShareOneSink(t *testing.T) {
	// One goroutine per channel, all emitting through one Async sink into
	// one NDJSON writer (run with -race): every event arrives, per session
	// in order.
	pcm, _ := signal(t, 8000, typed("0123456789ABCD*#", 60, 50), 200)
	var out syncBuffer
	async, err := emit.NewAsync(emit.NewWriter(&out), emit.DefaultAsyncConfig())
	require.NoError(t, err)
	const channels = 16
	done := make(chan error, channels)
	for c := range channels {
		go func() {
			ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: fmt.Sprintf("call-%02d", c), Sink: async})
			if err != nil {
				done <- err
				return
			}
			cfg := collector.DefaultConfig()
			cfg.Terminators = ""
			if _, err := ch.Collect("c", cfg); err != nil {
				done <- err
				return
			}
			for f := 0; f+160 <= len(pcm); f += 160 {
				if _, err := ch.Process(pcm[f : f+160]); err != nil {
					done <- err
					return
				}
			}
			done <- ch.Hangup()
		}()
	}
	for range channels {
		require.NoError(t, <-done)
	}
	require.NoError(t, async.Close())
	s := async.Stats()
	assert.Equal(t, emit.AsyncStats{Emitted: channels * 17, Delivered: channels * 17}, s)
	got := map[string]string{}
	for line := range bytes.Lines(out.Bytes()) {
		e, err := emit.Decode(line)
		require.NoError(t, err)
		if e.Kind == emit.KindDTMF {
			got[e.SessionUUID] += string(e.Digit)
		} else {
			assert.Equal(t, "0123456789ABCD*#", e.Digits)
			assert.Equal(t, emit.StatusFailure, e.Status, "hung up while collecting")
		}
	}
	require.Len(t, got, channels)
	for s, keys := range got {
		assert.Equal(t, "0123456789ABCD*#", keys, "session %s", s)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// Reset makes a used channel (mid-key, mid-collection, or closed) equal to
// a fresh one with the same config, which then decodes the next stream
// exactly as a fresh channel does; nothing of the discarded state is
// emitted.
func TestChannelReset(t *testing.T) {
	pcm, _ := signal(t, 8000, typed("1234#", 150, 80), 400)
	for _, tc := range []struct {
		name string
		use  func(t *testing.T, ch *dtmf.Channel)
	}{
		{"mid-key and mid-collection", func(t *testing.T, ch *dtmf.Channel) {
			_, err := ch.Collect("first", pinConfig())
			require.NoError(t, err)
			sig, err := ch.Process(pcm[:8000*(230+150+40)/1000]) // 40 ms into the second key
			require.NoError(t, err)
			require.Equal(t, collector.BargeIn, sig, "the first key counted")
			require.True(t, ch.Collecting())
		}},
		{"closed", func(t *testing.T, ch *dtmf.Channel) {
			_, err := ch.Process(pcm)
			require.NoError(t, err)
			require.NoError(t, ch.Hangup())
			_, err = ch.Process(pcm)
			require.ErrorIs(t, err, dtmf.ErrClosed)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t)
			used := newChannel(t, rec, 8000)
			tc.use(t, used)
			emitted := len(rec.events)
			used.Reset()
			assert.Len(t, rec.events, emitted, "Reset emits nothing")
			fresh := newChannel(t, rec, 8000)
			assert.Equal(t, fresh, used, "equal to a fresh channel")
			assert.Zero(t, used.Position())
			assert.False(t, used.Collecting())
			assert.Zero(t, testing.AllocsPerRun(10, used.Reset), "Reset allocates nothing")

			run := func(ch *dtmf.Channel) []emit.Event {
				start := len(rec.events)
				_, err := ch.Collect("second", pinConfig())
				require.NoError(t, err)
				feed(t, ch, pcm, 160)
				require.NoError(t, ch.Hangup())
				return append([]emit.Event(nil), rec.events[start:]...)
			}
			want := run(fresh)
			require.Len(t, want, 6, "five keys and the result")
			assert.Equal(t, want, run(used), "the next stream decodes as on a fresh channel")
		})
	}
	// A collection with a pattern: the collector keeps the compiled pattern
	// as a cache across Reset, so compare what the channel does.
	t.Run("pattern", func(t *testing.T) {
		cfg := pinConfig()
		cfg.Pattern = "1[0-9]*"
		run := func(ch *dtmf.Channel, rec *recorder) []emit.Event {
			_, err := ch.Collect("c", cfg)
			require.NoError(t, err)
			feed(t, ch, pcm, 160)
			require.NoError(t, ch.Hangup())
			return rec.events
		}
		usedRec, freshRec := newRecorder(t), newRecorder(t)
		used := newChannel(t, usedRec, 8000)
		_, err := used.Collect("c", cfg)
		require.NoError(t, err)
		_, err = used.Process(pcm[:len(pcm)/2])
		require.NoError(t, err)
		used.Reset()
		usedRec.events = nil
		assert.Equal(t, run(newChannel(t, freshRec, 8000), freshRec), run(used, usedRec))
	})
}
