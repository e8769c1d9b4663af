package emit

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// Sink receives events. Emit is called on the audio path, once per event,
// with the event by value; an implementation must not block for long (wrap a
// slow one in [NewAsync]) and may keep the event, since events alias no
// mutable memory. The sinks of this package are safe for concurrent use by
// many goroutines, so one sink can serve every channel of a process.
type Sink interface {
	// Emit delivers or queues e, or reports why it could not.
	Emit(e Event) error
}

// Func adapts a function to [Sink]: Emit(e) calls f(e). It is as safe for
// concurrent use as f is.
type Func func(Event) error

// Emit calls f(e).
func (f Func) Emit(e Event) error { return f(e) }

// Writer is a [Sink] writing NDJSON: each event as one line of contract
// JSON ([Event.AppendJSON] plus '\n'), in one Write call, so that lines from
// many goroutines never interleave. It is safe for concurrent use; a mutex
// serializes writes. Emit validates each event first and allocates nothing
// after the first few events (its line buffer is reused).
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer writing to w. The Writer does not buffer: wrap
// w in a [bufio.Writer] for throughput, and flush it yourself.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, buf: make([]byte, 0, 256)}
}

// Emit writes e as one line. It returns the error of [Event.Validate] (and
// writes nothing) for an invalid event, and otherwise the error of the
// underlying Write.
func (w *Writer) Emit(e Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = e.AppendJSON(w.buf[:0])
	w.buf = append(w.buf, '\n')
	if _, err := w.w.Write(w.buf); err != nil {
		return fmt.Errorf("emit: write: %w", err)
	}
	return nil
}

// Chan is a [Sink] sending events on a Go channel without blocking: when the
// channel's buffer is full (or nobody receives on an unbuffered one) the
// event is dropped, counted, and Emit returns [ErrQueueFull]. Give the
// channel a buffer sized for bursts. The channel belongs to the caller, who
// must not close it while Emit may run (a send on a closed channel panics).
// Chan is safe for concurrent use.
type Chan struct {
	c       chan<- Event
	dropped atomic.Uint64
}

// NewChan returns a Chan sending on c.
func NewChan(c chan<- Event) *Chan { return &Chan{c: c} }

// Emit sends e if the channel can take it at once.
func (s *Chan) Emit(e Event) error {
	select {
	case s.c <- e:
		return nil
	default:
		s.dropped.Add(1)
		return ErrQueueFull
	}
}

// Dropped returns how many events Emit dropped because the channel was full.
func (s *Chan) Dropped() uint64 { return s.dropped.Load() }

// Fanout is a [Sink] that emits every event to each of its sinks in order.
// It is as safe for concurrent use as its sinks are (all of this package's
// are).
type Fanout []Sink

// Emit emits e to every sink, even after one fails, and returns nil or the
// failures joined with [errors.Join] (which allocates only then).
func (f Fanout) Emit(e Event) error {
	var errs error
	for _, s := range f {
		if err := s.Emit(e); err != nil {
			errs = errors.Join(errs, err)
		}
	}
	return errs
}

// Close closes every sink that implements [io.Closer], in order, and returns
// their errors joined.
func (f Fanout) Close() error {
	var errs error
	for _, s := range f {
		if c, ok := s.(io.Closer); ok {
			errs = errors.Join(errs, c.Close())
		}
	}
	return errs
}
