package dtmf_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// A media server's shape, at scale: 1,000 channels, each with its own
// detector and collector, served 20 at a time by 50 goroutines that process
// a 20 ms frame of every channel in turn, all emitting into one shared
// asynchronous sink. Channels differ in session, digits, key lengths,
// pauses, alignment with the analysis blocks and sample rate (one in four
// runs at 16 kHz). Run under -race (CI does).
const (
	concChannels = 1000
	concWorkers  = 50
	concKeys     = 6 // digits per channel: the collection wants all of them
)

// concPress is one key of a channel's script.
type concPress struct {
	key           byte
	start, length int // samples
}

// concScript is what channel c plays: its session, rate, audio and keys.
type concScript struct {
	session, command string
	rate             int
	digits           string
	presses          []concPress
	pcm              []int16
}

// concTones caches rendered key tones per rate, key and length [ms].
type concTones map[[3]int][]int16

func (tc concTones) tone(t testing.TB, rate int, key byte, ms int) []int16 {
	t.Helper()
	k := [3]int{rate, int(key), ms}
	if x, ok := tc[k]; ok {
		return x
	}
	s := synth.New(rate, uint64(key))
	require.NoError(t, s.Add(synth.Tone{Digit: key, Duration: float64(ms), LowLevel: -9, HighLevel: -10, LowPhase: float64(key), HighPhase: 1}))
	tc[k] = s.PCM()
	return tc[k]
}

// concScripts builds every channel's script. Channel c's digits are the six
// base-16 digits of c·7919 + 12345 mod 16⁶ (distinct for every c, 7919
// being odd), each 45 to 95 ms long, 50 to 80 ms apart.
func concScripts(t testing.TB) []concScript {
	t.Helper()
	tones := concTones{}
	out := make([]concScript, concChannels)
	for c := range out {
		sc := &out[c]
		sc.session = fmt.Sprintf("conc-%04d", c)
		sc.command = fmt.Sprintf("pin-%04d", c)
		sc.rate = 8000
		if c%4 == 3 {
			sc.rate = 16000
		}
		ms := func(v int) int { return v * sc.rate / 1000 }
		v := (c*7919 + 12345) % (1 << 24)
		sc.pcm = make([]int16, ms(20+c%17)) // leading silence: every block phase
		for i := range concKeys {
			key := detector.Keys[(v>>(4*i))&15]
			sc.digits += string(key)
			length := 45 + 10*((c+i)%6)
			sc.presses = append(sc.presses, concPress{key: key, start: len(sc.pcm), length: ms(length)})
			sc.pcm = append(sc.pcm, tones.tone(t, sc.rate, key, length)...)
			sc.pcm = append(sc.pcm, make([]int16, ms(50+10*((3*c+i)%4)))...)
		}
		sc.pcm = append(sc.pcm, make([]int16, ms(250))...)
	}
	return out
}

// countingSink passes events on to a shared sink and counts, for its one
// channel, what was queued and what was refused because the queue was full.
type countingSink struct {
	dst             emit.Sink
	queued, refused int
	otherErr        error
	queuedEvents    []emit.Event
}

func (s *countingSink) Emit(e emit.Event) error {
	err := s.dst.Emit(e)
	switch {
	case err == nil:
		s.queued++
		s.queuedEvents = append(s.queuedEvents, e)
	case errors.Is(err, emit.ErrQueueFull):
		s.refused++
	default:
		s.otherErr = err
	}
	return err
}

// sessionLog is the wrapped sink behind the Async: called from the Async's
// one delivery goroutine, it keeps each session's events in delivery order
// and checks that each re-encodes to the contract.
type sessionLog struct {
	gate    chan struct{} // if not nil, every Emit waits for it to close
	entered atomic.Int64
	mu      sync.Mutex // for the test's reads after Close, and -race
	got     map[string][]emit.Event
	bad     []string
	buf     []byte
}

func (l *sessionLog) Emit(e emit.Event) error {
	l.entered.Add(1)
	if l.gate != nil {
		<-l.gate
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = e.AppendJSON(l.buf[:0])
	if back, err := emit.Decode(l.buf); err != nil || back != e {
		l.bad = append(l.bad, fmt.Sprintf("%s: %v", l.buf, err))
	}
	l.got[e.SessionUUID] = append(l.got[e.SessionUUID], e)
	return nil
}

// concRun plays every script on concWorkers goroutines, 20 ms frame by 20 ms
// frame across each worker's channels, each channel collecting its six
// digits, then hangs up. It returns each channel's counting sink and the
// errors its calls returned, and fails the test if the audio goroutines
// did not finish within limit (a sink that blocks them would show here).
func concRun(t *testing.T, scripts []concScript, shared emit.Sink, limit time.Duration) ([]*countingSink, [][]error) {
	t.Helper()
	sinks := make([]*countingSink, len(scripts))
	errs := make([][]error, len(scripts))
	var wg sync.WaitGroup
	per := len(scripts) / concWorkers
	for w := range concWorkers {
		wg.Go(func() {
			chans := make([]*dtmf.Channel, per)
			for i := range chans {
				c := w*per + i
				sc := &scripts[c]
				sinks[c] = &countingSink{dst: shared}
				dc := detector.DefaultConfig()
				dc.SampleRate = sc.rate
				ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: sc.session, Detector: dc, Sink: sinks[c],
					Extras: emit.ExtraOffset | emit.ExtraChannel, Channel: c})
				if err != nil {
					errs[c] = append(errs[c], err)
					continue
				}
				cc := collector.DefaultConfig()
				cc.MinDigits, cc.MaxDigits, cc.Terminators = concKeys, concKeys, ""
				if _, err := ch.Collect(sc.command, cc); err != nil {
					errs[c] = append(errs[c], err)
				}
				chans[i] = ch
			}
			for f := 0; ; f++ {
				busy := false
				for i, ch := range chans {
					c := w*per + i
					sc := &scripts[c]
					n := sc.rate / 50
					if ch == nil || f*n >= len(sc.pcm) {
						continue
					}
					busy = true
					if _, err := ch.Process(sc.pcm[f*n : min((f+1)*n, len(sc.pcm))]); err != nil {
						errs[c] = append(errs[c], err)
					}
				}
				if !busy {
					break
				}
			}
			for i, ch := range chans {
				if ch != nil {
					if err := ch.Hangup(); err != nil {
						errs[w*per+i] = append(errs[w*per+i], err)
					}
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("the audio goroutines did not finish within %v", limit)
	}
	return sinks, errs
}

// concExpected returns the events channel c must deliver, in order: a
// `dtmf` per key and, at the sixth key-down (before that key's `dtmf`), the
// collection's result.
func concExpected(c int, sc *concScript) []emit.Event {
	var out []emit.Event
	for i, p := range sc.presses {
		if i == concKeys-1 {
			out = append(out, emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: sc.session, CommandUID: sc.command,
				Digits: sc.digits, Status: emit.StatusSuccess, Extras: emit.ExtraOffset | emit.ExtraChannel, Channel: c})
		}
		out = append(out, emit.Event{Kind: emit.KindDTMF, SessionUUID: sc.session, Digit: p.key,
			DurationMS: p.length * 1000 / sc.rate, OffsetMS: int64(p.start * 1000 / sc.rate),
			Extras: emit.ExtraOffset | emit.ExtraChannel, Channel: c})
	}
	return out
}

// sameEvent compares a delivered event with the expected one: measured
// durations and offsets within 3 ms, everything else exactly.
func sameEvent(got, want emit.Event) bool {
	near := func(a, b int64) bool { return a-b <= 3 && b-a <= 3 }
	if got.Kind == emit.KindDigitsCollected {
		// The result's offset is the moment the sixth key was confirmed.
		got.OffsetMS = want.OffsetMS
	}
	ok := near(int64(got.DurationMS), int64(want.DurationMS)) && near(got.OffsetMS, want.OffsetMS)
	got.DurationMS, got.OffsetMS = want.DurationMS, want.OffsetMS
	return ok && got == want
}

// Every event of 1,000 channels is delivered exactly once, each channel's
// in order and as expected (digits, durations and offsets to 3 ms, the
// collection's result before the last key's `dtmf`), with a queue that has
// room for all of them: nothing dropped, nothing failed.
func TestConcurrentChannelsShareOneAsyncSink(t *testing.T) {
	scripts := concScripts(t)
	log := &sessionLog{got: map[string][]emit.Event{}}
	total := concChannels * (concKeys + 1)
	async, err := emit.NewAsync(log, emit.AsyncConfig{Queue: total, CloseTimeout: time.Minute})
	require.NoError(t, err)
	sinks, errs := concRun(t, scripts, async, 2*time.Minute)
	require.NoError(t, async.Close())

	assert.Equal(t, emit.AsyncStats{Emitted: uint64(total), Delivered: uint64(total)}, async.Stats())
	t.Logf("%d channels on %d goroutines: %d events delivered", concChannels, concWorkers, async.Stats().Delivered)
	log.mu.Lock()
	defer log.mu.Unlock()
	assert.Empty(t, log.bad, "events that do not re-encode to themselves")
	assert.Len(t, log.got, concChannels, "sessions")
	for c := range scripts {
		sc := &scripts[c]
		require.Empty(t, errs[c], "channel %d", c)
		assert.Equal(t, concKeys+1, sinks[c].queued, "channel %d", c)
		want, got := concExpected(c, sc), log.got[sc.session]
		if !assert.Len(t, got, len(want), "session %s", sc.session) {
			continue
		}
		for i := range want {
			assert.True(t, sameEvent(got[i], want[i]), "session %s event %d:\ngot  %+v\nwant %+v", sc.session, i, got[i], want[i])
		}
	}
}

// The audio goroutines never wait for a stalled sink: with the wrapped sink
// blocked and a queue of 256, all 1,000 channels run to the end; the events
// that did not fit are refused at once (the channel's Process returns
// ErrQueueFull) and counted, and after the sink resumes, delivered plus
// refused is exactly what was emitted, each channel's delivered events being
// those it queued, in order.
func TestConcurrentChannelsNeverBlockOnAStalledSink(t *testing.T) {
	scripts := concScripts(t)
	log := &sessionLog{got: map[string][]emit.Event{}, gate: make(chan struct{})}
	const queue = 256
	async, err := emit.NewAsync(log, emit.AsyncConfig{Queue: queue, CloseTimeout: time.Minute})
	require.NoError(t, err)
	sinks, errs := concRun(t, scripts, async, 2*time.Minute)
	// Every channel has finished while the wrapped sink still blocks on
	// the first event.
	require.Eventually(t, func() bool { return log.entered.Load() == 1 }, 10*time.Second, time.Millisecond)
	stalled := async.Stats()
	close(log.gate)
	require.NoError(t, async.Close())

	s := async.Stats()
	total := uint64(concChannels * (concKeys + 1))
	assert.Equal(t, total, s.Emitted)
	assert.Equal(t, stalled.Refused, s.Refused, "nothing refused after the sink resumed")
	assert.Equal(t, total, s.Delivered+s.Refused, "delivered + refused = emitted")
	assert.Zero(t, s.Failed+s.Abandoned+s.Pending)
	assert.InDelta(t, queue+1, s.Delivered, 1, "the queue and the event being delivered")

	log.mu.Lock()
	defer log.mu.Unlock()
	var queued, refused int
	for c := range scripts {
		sk := sinks[c]
		queued += sk.queued
		refused += sk.refused
		require.NoError(t, sk.otherErr)
		for _, err := range errs[c] {
			require.ErrorIs(t, err, emit.ErrQueueFull, "channel %d", c)
		}
		if sk.refused > 0 {
			assert.NotEmpty(t, errs[c], "channel %d: a refused event is reported to the host", c)
		}
		assert.Equal(t, sk.queuedEvents, log.got[scripts[c].session], "channel %d: what it queued, in order", c)
	}
	assert.Equal(t, int(s.Refused), refused)
	assert.Equal(t, int(s.Delivered), queued)
	t.Logf("%d events emitted: %d delivered, %d refused at once while the sink was stalled", s.Emitted, s.Delivered, s.Refused)
}
