package emit_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/emit"
)

// gate is a sink that blocks every Emit until released.
type gate struct {
	release chan struct{}
	entered chan struct{}
	got     atomic.Uint64
}

func newGate() *gate { return &gate{release: make(chan struct{}), entered: make(chan struct{}, 1<<16)} }

func (g *gate) Emit(emit.Event) error {
	g.entered <- struct{}{}
	<-g.release
	g.got.Add(1)
	return nil
}

func asyncConfig(queue int, wait time.Duration) emit.AsyncConfig {
	cfg := emit.DefaultAsyncConfig()
	cfg.Queue, cfg.CloseTimeout = queue, wait
	return cfg
}

func checkAsyncSum(t *testing.T, s emit.AsyncStats) {
	t.Helper()
	assert.Equal(t, s.Emitted, s.Delivered+s.Failed+s.Refused+s.Abandoned+s.Pending, "%+v", s)
}

func TestAsyncNeverBlocks(t *testing.T) {
	g := newGate()
	a, err := emit.NewAsync(g, asyncConfig(4, 5*time.Second))
	require.NoError(t, err)
	require.NoError(t, a.Emit(dtmfEvent("s", '1', 0)))
	<-g.entered // the delivery goroutine is stuck on event 0
	var refused int
	for i := 1; i <= 20; i++ {
		if err := a.Emit(dtmfEvent("s", '1', i)); err != nil {
			assert.ErrorIs(t, err, emit.ErrQueueFull)
			refused++
		}
	}
	assert.Equal(t, 16, refused, "4 queued behind the stuck one, the rest refused at once")
	s := a.Stats()
	assert.Equal(t, emit.AsyncStats{Emitted: 21, Refused: 16, Pending: 5}, s)
	close(g.release)
	require.NoError(t, a.Close())
	s = a.Stats()
	assert.Equal(t, emit.AsyncStats{Emitted: 21, Delivered: 5, Refused: 16}, s)
	assert.Equal(t, uint64(5), g.got.Load())
	assert.ErrorIs(t, a.Emit(dtmfEvent("s", '1', 0)), emit.ErrClosed)
	assert.ErrorIs(t, a.Close(), emit.ErrClosed)
	checkAsyncSum(t, a.Stats())
}

func TestAsyncCloseDeadline(t *testing.T) {
	g := newGate()
	var mu sync.Mutex
	var lost []int
	cfg := asyncConfig(8, 20*time.Millisecond)
	cfg.OnDrop = func(e emit.Event, err error) {
		assert.ErrorIs(t, err, emit.ErrClosed)
		mu.Lock()
		lost = append(lost, e.DurationMS)
		mu.Unlock()
	}
	a, err := emit.NewAsync(g, cfg)
	require.NoError(t, err)
	for i := range 6 {
		require.NoError(t, a.Emit(dtmfEvent("s", '1', i)))
	}
	<-g.entered
	err = a.Close()
	assert.ErrorIs(t, err, emit.ErrCloseTimeout)
	s := a.Stats()
	assert.Equal(t, uint64(5), s.Abandoned, "everything behind the stuck event")
	assert.Equal(t, uint64(1), s.Pending, "the stuck event is still in the wrapped sink")
	mu.Lock()
	assert.Equal(t, []int{1, 2, 3, 4, 5}, lost)
	mu.Unlock()
	checkAsyncSum(t, s)
	close(g.release) // let the stuck Emit return: the goroutine then ends
	require.Eventually(t, func() bool { return a.Stats().Pending == 0 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, uint64(1), a.Stats().Delivered)
}

func TestAsyncFailuresReported(t *testing.T) {
	errSink := errors.New("downstream failed")
	var failed atomic.Uint64
	cfg := asyncConfig(64, time.Second)
	cfg.OnDrop = func(_ emit.Event, err error) {
		if errors.Is(err, errSink) {
			failed.Add(1)
		}
	}
	a, err := emit.NewAsync(emit.Func(func(e emit.Event) error {
		if e.DurationMS%3 == 0 {
			return errSink
		}
		return nil
	}), cfg)
	require.NoError(t, err)
	for i := range 30 {
		require.NoError(t, a.Emit(dtmfEvent("s", '1', i)))
	}
	require.NoError(t, a.Close())
	s := a.Stats()
	assert.Equal(t, emit.AsyncStats{Emitted: 30, Delivered: 20, Failed: 10}, s)
	assert.Equal(t, uint64(10), failed.Load())
}

func TestAsyncOrderAndRace(t *testing.T) {
	// Many producers at once (run with -race): each producer's events reach
	// the wrapped sink in order, and the counts add up.
	var mu sync.Mutex
	next := map[string]int{}
	outOfOrder := 0
	dst := emit.Func(func(e emit.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if e.DurationMS != next[e.SessionUUID] {
			outOfOrder++
		}
		next[e.SessionUUID] = e.DurationMS + 1
		return nil
	})
	a, err := emit.NewAsync(dst, asyncConfig(1<<16, 5*time.Second))
	require.NoError(t, err)
	const goroutines, each = 32, 300
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			session := string(rune('a' + g))
			for i := range each {
				require.NoError(t, a.Emit(dtmfEvent(session, '1', i)))
			}
			if g%4 == 0 {
				checkAsyncSum(t, a.Stats()) // concurrent reads of the counters
			}
		})
	}
	wg.Wait()
	require.NoError(t, a.Close())
	s := a.Stats()
	assert.Equal(t, emit.AsyncStats{Emitted: goroutines * each, Delivered: goroutines * each}, s)
	assert.Zero(t, outOfOrder)
}

func TestAsyncEmitWhileClosing(t *testing.T) {
	// Emit racing with Close must neither panic nor lose count.
	for range 20 {
		a, err := emit.NewAsync(emit.Func(func(emit.Event) error { return nil }), asyncConfig(16, time.Second))
		require.NoError(t, err)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for i := range 200 {
					_ = a.Emit(dtmfEvent("s", '1', i))
				}
			})
		}
		_ = a.Close()
		wg.Wait()
		s := a.Stats()
		assert.Equal(t, uint64(800), s.Emitted)
		assert.Zero(t, s.Pending)
		checkAsyncSum(t, s)
	}
}

func TestAsyncZeroAllocs(t *testing.T) {
	a, err := emit.NewAsync(emit.Func(func(emit.Event) error { return nil }), asyncConfig(1<<12, time.Second))
	require.NoError(t, err)
	defer a.Close()
	e := dtmfEvent("acW68-f47ac10b", '5', 120)
	allocs := testing.AllocsPerRun(1000, func() { _ = a.Emit(e) })
	assert.Zero(t, allocs)
}

func TestAsyncConfig(t *testing.T) {
	ok := emit.DefaultAsyncConfig()
	assert.NoError(t, ok.Validate())
	for _, c := range []emit.AsyncConfig{
		{Queue: 0, CloseTimeout: time.Second},
		{Queue: 1<<20 + 1},
		{Queue: 1, CloseTimeout: -1},
		{Queue: 1, CloseTimeout: 2 * time.Hour},
	} {
		assert.ErrorIs(t, c.Validate(), emit.ErrConfig, "%+v", c)
		_, err := emit.NewAsync(emit.Func(func(emit.Event) error { return nil }), c)
		assert.ErrorIs(t, err, emit.ErrConfig)
	}
	_, err := emit.NewAsync(nil, ok)
	assert.ErrorIs(t, err, emit.ErrConfig)
}
