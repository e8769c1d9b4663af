package emit_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/testutil"
)

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := emit.NewWriter(&buf)
	require.NoError(t, w.Emit(dtmfEvent("s", '5', 120)))
	require.NoError(t, w.Emit(collected("s", "c", "1", '#', emit.StatusSuccess)))
	err := w.Emit(dtmfEvent("s", 'x', 1))
	assert.ErrorIs(t, err, emit.ErrDigit, "an invalid event is refused")
	assert.Equal(t, `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":120}
{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","terminator":"#","status":"success"}
`, buf.String())
}

type failingWriter struct{}

var errDisk = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriterError(t *testing.T) {
	err := emit.NewWriter(failingWriter{}).Emit(dtmfEvent("s", '5', 1))
	assert.ErrorIs(t, err, errDisk)
}

// countingWriter records the size of each Write call.
type countingWriter struct {
	mu     sync.Mutex
	writes int
	buf    bytes.Buffer
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	return c.buf.Write(p)
}

func TestWriterConcurrentLinesIntact(t *testing.T) {
	sch := testutil.EventSchema(t)
	var out countingWriter
	w := emit.NewWriter(&out)
	const goroutines, each = 16, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				session := fmt.Sprintf("session-%d", g)
				require.NoError(t, w.Emit(dtmfEvent(session, keys[i%16], i)))
			}
		})
	}
	wg.Wait()
	assert.Equal(t, goroutines*each, out.writes, "one Write per event")
	next := map[string]int{}
	sc := bufio.NewScanner(&out.buf)
	lines := 0
	for sc.Scan() {
		lines++
		require.NoError(t, testutil.ValidateEvent(sch, sc.Bytes()), "%s", sc.Bytes())
		e, err := emit.Decode(sc.Bytes())
		require.NoError(t, err)
		assert.Equal(t, next[e.SessionUUID], e.DurationMS, "a goroutine's events stay in order")
		next[e.SessionUUID]++
	}
	assert.Equal(t, goroutines*each, lines)
}

func TestWriterZeroAllocs(t *testing.T) {
	w := emit.NewWriter(io.Discard)
	e := collected("acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479", "collect-pin-001", "1234", '#', emit.StatusSuccess)
	allocs := testing.AllocsPerRun(1000, func() {
		if err := w.Emit(e); err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
}

func TestFunc(t *testing.T) {
	var got []emit.Event
	var s emit.Sink = emit.Func(func(e emit.Event) error {
		got = append(got, e)
		return nil
	})
	require.NoError(t, s.Emit(dtmfEvent("s", '1', 1)))
	assert.Equal(t, []emit.Event{dtmfEvent("s", '1', 1)}, got)
}

func TestChan(t *testing.T) {
	c := make(chan emit.Event, 2)
	s := emit.NewChan(c)
	for i := range 5 {
		err := s.Emit(dtmfEvent("s", '1', i))
		if i < 2 {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, emit.ErrQueueFull, "Emit never blocks")
		}
	}
	assert.Equal(t, uint64(3), s.Dropped())
	assert.Equal(t, 0, (<-c).DurationMS)
	assert.Equal(t, 1, (<-c).DurationMS)
}

func TestChanConcurrent(t *testing.T) {
	c := make(chan emit.Event, 64)
	s := emit.NewChan(c)
	var received int
	done := make(chan struct{})
	go func() {
		for range c {
			received++
		}
		close(done)
	}()
	var wg sync.WaitGroup
	const goroutines, each = 8, 500
	for range goroutines {
		wg.Go(func() {
			for i := range each {
				_ = s.Emit(dtmfEvent("s", '1', i))
			}
		})
	}
	wg.Wait()
	close(c)
	<-done
	assert.Equal(t, goroutines*each, received+int(s.Dropped()), "every event is received or counted as dropped")
}

// closer is a sink that records its events and whether it was closed.
type closer struct {
	mu     sync.Mutex
	events []emit.Event
	err    error
	closed bool
}

func (c *closer) Emit(e emit.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, e)
	return c.err
}

func (c *closer) Close() error { c.closed = true; return nil }

func TestFanout(t *testing.T) {
	errA := errors.New("sink a failed")
	a, b := &closer{err: errA}, &closer{}
	var buf bytes.Buffer
	f := emit.Fanout{a, emit.NewWriter(&buf), b}
	err := f.Emit(dtmfEvent("s", '9', 3))
	assert.ErrorIs(t, err, errA)
	assert.Len(t, a.events, 1)
	assert.Len(t, b.events, 1, "a failing sink does not stop the others")
	assert.True(t, strings.HasPrefix(buf.String(), `{"event":"dtmf"`))

	err = f.Emit(dtmfEvent("s", 'x', 3))
	assert.ErrorIs(t, err, errA)
	assert.ErrorIs(t, err, emit.ErrDigit, "every failure is reported")

	require.NoError(t, f.Close())
	assert.True(t, a.closed)
	assert.True(t, b.closed)
}
