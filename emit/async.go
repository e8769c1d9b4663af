package emit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// AsyncConfig sets an [Async] sink. Start from [DefaultAsyncConfig].
type AsyncConfig struct {
	// Queue is the most events held waiting for delivery, 1 to 1<<20.
	// Memory is about 100 bytes per slot, allocated once by NewAsync.
	// Default 1024.
	Queue int
	// CloseTimeout is how long Close waits for the queue to drain, 0 to
	// 1 h; events still queued then are abandoned. Default 5 s.
	CloseTimeout time.Duration
	// OnDrop, if not nil, is called with each event the wrapped sink
	// failed to take (with its error) and each event abandoned at Close
	// (with [ErrClosed]). It runs on the delivery goroutine or in Close,
	// never in Emit: an event refused by Emit is reported by Emit's error.
	OnDrop func(Event, error)
}

// DefaultAsyncConfig returns a queue of 1024 events and a 5 s close
// deadline.
func DefaultAsyncConfig() AsyncConfig {
	return AsyncConfig{Queue: 1024, CloseTimeout: 5 * time.Second}
}

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil.
func (c AsyncConfig) Validate() error {
	if c.Queue < 1 || c.Queue > 1<<20 {
		return fmt.Errorf("%w: Queue %d, want 1 to %d", ErrConfig, c.Queue, 1<<20)
	}
	if c.CloseTimeout < 0 || c.CloseTimeout > time.Hour {
		return fmt.Errorf("%w: CloseTimeout %v, want 0 to 1h", ErrConfig, c.CloseTimeout)
	}
	return nil
}

// AsyncStats counts what an [Async] sink did with the events given to it.
// Emitted = Delivered + Failed + Refused + Abandoned + Pending at any moment;
// after Close returns, Pending is 0 unless the wrapped sink is still stuck
// in an Emit call.
type AsyncStats struct {
	Emitted   uint64 // Emit calls
	Delivered uint64 // taken by the wrapped sink (its Emit returned nil)
	Failed    uint64 // the wrapped sink's Emit returned an error
	Refused   uint64 // not queued: queue full or sink closed (Emit said so)
	Abandoned uint64 // still queued when Close's deadline passed
	Pending   uint64 // queued, or being delivered
}

// Dropped returns the events that were not delivered and never will be:
// Failed + Refused + Abandoned.
func (s AsyncStats) Dropped() uint64 { return s.Failed + s.Refused + s.Abandoned }

// Async is a [Sink] that decouples the audio goroutine from a slow sink:
// Emit copies the event into a bounded queue and returns at once, and one
// goroutine delivers the queue in order to the wrapped sink. When the queue
// is full Emit drops the event, counts it and returns [ErrQueueFull]; it
// never waits for the wrapped sink. Async is safe for concurrent use; the
// wrapped sink is called from one goroutine only.
type Async struct {
	dst    Sink
	onDrop func(Event, error)
	wait   time.Duration

	mu     sync.RWMutex // guards closed and the close of q against Emit
	closed bool
	q      chan Event
	done   chan struct{}
	stop   atomic.Bool // Close gave up: abandon what is left

	emitted, delivered, failed, refused, abandoned atomic.Uint64
}

// NewAsync starts a goroutine delivering to dst and returns the sink feeding
// it, or an error wrapping [ErrConfig]. It allocates the queue; Emit
// allocates nothing. Call Close to stop the goroutine. Close does not close
// dst.
func NewAsync(dst Sink, cfg AsyncConfig) (*Async, error) {
	if dst == nil {
		return nil, fmt.Errorf("%w: dst is nil", ErrConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &Async{
		dst:    dst,
		onDrop: cfg.OnDrop,
		wait:   cfg.CloseTimeout,
		q:      make(chan Event, cfg.Queue),
		done:   make(chan struct{}),
	}
	go a.run()
	return a, nil
}

// Emit queues e and returns nil, or drops it and returns [ErrQueueFull] (or
// [ErrClosed] after Close). It never blocks on the wrapped sink and does not
// allocate.
func (a *Async) Emit(e Event) error {
	a.emitted.Add(1)
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.closed {
		a.refused.Add(1)
		return ErrClosed
	}
	select {
	case a.q <- e:
		return nil
	default:
		a.refused.Add(1)
		return ErrQueueFull
	}
}

func (a *Async) run() {
	defer close(a.done)
	for e := range a.q {
		if a.stop.Load() {
			a.abandon(e)
			continue
		}
		if err := a.dst.Emit(e); err != nil {
			a.failed.Add(1)
			if a.onDrop != nil {
				a.onDrop(e, err)
			}
			continue
		}
		a.delivered.Add(1)
	}
}

func (a *Async) abandon(e Event) {
	a.abandoned.Add(1)
	if a.onDrop != nil {
		a.onDrop(e, ErrClosed)
	}
}

// Close stops accepting events and waits up to [AsyncConfig.CloseTimeout]
// for the queue to drain. If the deadline passes, the events still queued
// are abandoned (counted in [AsyncStats].Abandoned, and reported to OnDrop)
// and Close returns an error wrapping [ErrCloseTimeout]; an Emit of the wrapped sink in progress then is
// left to finish on its own. Later calls return [ErrClosed].
func (a *Async) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return ErrClosed
	}
	a.closed = true
	close(a.q)
	a.mu.Unlock()

	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case <-a.done:
		return nil
	case <-t.C:
	}
	a.stop.Store(true)
	for e := range a.q { // the goroutine may take some too; both abandon
		a.abandon(e)
	}
	return fmt.Errorf("%w: queue not drained within %v; the rest was abandoned (see Stats)", ErrCloseTimeout, a.wait)
}

// Stats returns the counts so far. Counters are read one by one, so under
// concurrent Emit calls they describe slightly different moments; Pending is
// never negative.
func (a *Async) Stats() AsyncStats {
	s := AsyncStats{
		Delivered: a.delivered.Load(),
		Failed:    a.failed.Load(),
		Refused:   a.refused.Load(),
		Abandoned: a.abandoned.Load(),
	}
	s.Emitted = a.emitted.Load() // last: it only grows, so Pending ≥ 0
	s.Pending = s.Emitted - s.Delivered - s.Failed - s.Refused - s.Abandoned
	return s
}
