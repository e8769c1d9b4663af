package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dtmfkit/dtmf/emit"
)

// Config sets a webhook [Sink]. Start from [DefaultConfig]
// and set URL.
type Config struct {
	// URL is the absolute http or https address each event is POSTed to.
	URL string
	// Client sends the requests. If nil, the Webhook uses its own client
	// on a transport keeping Workers idle connections, which does not
	// follow redirects (a 3xx answer rejects the event).
	Client *http.Client
	// Header holds extra request headers (authorization, say). Content-Type
	// is always application/json.
	Header http.Header
	// Workers is how many events are in flight at once, 1 to 256. Events
	// of one session_uuid always go through the same worker, one after
	// the other, so they arrive in order. Default 4.
	Workers int
	// Queue is the most events held waiting, 1 to 1<<20, split evenly
	// between workers (at least one slot each). Memory is about 100 bytes
	// per slot, allocated by New. Default 1024.
	Queue int
	// RequestTimeout bounds one attempt, 10 ms to 5 min. Default 5 s.
	RequestTimeout time.Duration
	// MinBackoff is the wait before the first retry, 1 ms to 1 min; each
	// later wait doubles, up to MaxBackoff (MinBackoff to 10 min).
	// Defaults 100 ms and 5 s.
	MinBackoff, MaxBackoff time.Duration
	// GiveUpAfter is how long an event is retried, counted from its first
	// attempt, 0 to 24 h: a retry that would start later is not made and
	// the event is dropped as expired. 0 means a single attempt. While an
	// event is retried the events queued behind it on its worker wait, so
	// GiveUpAfter also bounds that delay. Default 30 s.
	GiveUpAfter time.Duration
	// CloseTimeout is how long Close waits for the queues to drain, 0 to
	// 1 h. Default 5 s.
	CloseTimeout time.Duration
	// OnDrop, if not nil, is called with every event that was queued but
	// will never be delivered, and why: an error wrapping [ErrRejected],
	// [ErrExpired] or [emit.ErrClosed]. It runs on a worker goroutine or in
	// Close, never in Emit (whose error reports a refused event), and must
	// be safe for concurrent use when Workers > 1.
	OnDrop func(emit.Event, error)
	// OnRetry, if not nil, is called each time a failed attempt is about to
	// be retried, with the event, the attempt that failed (1 for the first)
	// and why it failed, before the backoff wait: a host can report a
	// failing endpoint at once rather than when events expire. It runs on
	// a worker goroutine and must be safe for concurrent use when
	// Workers > 1.
	OnRetry func(e emit.Event, attempt int, err error)
}

// DefaultConfig returns 4 workers, a queue of 1024 events, 5 s per
// attempt, backoff from 100 ms doubling to 5 s, giving up after 30 s, and a
// 5 s close deadline. URL is empty and must be set.
func DefaultConfig() Config {
	return Config{
		Workers:        4,
		Queue:          1024,
		RequestTimeout: 5 * time.Second,
		MinBackoff:     100 * time.Millisecond,
		MaxBackoff:     5 * time.Second,
		GiveUpAfter:    30 * time.Second,
		CloseTimeout:   5 * time.Second,
	}
}

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case err != nil:
		return fmt.Errorf("%w: URL %q: %w", ErrConfig, c.URL, err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("%w: URL %q, want an absolute http or https URL", ErrConfig, c.URL)
	case c.Workers < 1 || c.Workers > 256:
		return fmt.Errorf("%w: Workers %d, want 1 to 256", ErrConfig, c.Workers)
	case c.Queue < 1 || c.Queue > 1<<20:
		return fmt.Errorf("%w: Queue %d, want 1 to %d", ErrConfig, c.Queue, 1<<20)
	case c.RequestTimeout < 10*time.Millisecond || c.RequestTimeout > 5*time.Minute:
		return fmt.Errorf("%w: RequestTimeout %v, want 10ms to 5m", ErrConfig, c.RequestTimeout)
	case c.MinBackoff < time.Millisecond || c.MinBackoff > time.Minute:
		return fmt.Errorf("%w: MinBackoff %v, want 1ms to 1m", ErrConfig, c.MinBackoff)
	case c.MaxBackoff < c.MinBackoff || c.MaxBackoff > 10*time.Minute:
		return fmt.Errorf("%w: MaxBackoff %v, want MinBackoff (%v) to 10m", ErrConfig, c.MaxBackoff, c.MinBackoff)
	case c.GiveUpAfter < 0 || c.GiveUpAfter > 24*time.Hour:
		return fmt.Errorf("%w: GiveUpAfter %v, want 0 to 24h", ErrConfig, c.GiveUpAfter)
	case c.CloseTimeout < 0 || c.CloseTimeout > time.Hour:
		return fmt.Errorf("%w: CloseTimeout %v, want 0 to 1h", ErrConfig, c.CloseTimeout)
	}
	return nil
}

// Stats counts what a [Sink] did with the events given to it. At
// any moment
//
//	Emitted = Delivered + Refused + Rejected + Expired + Abandoned + Pending
//
// and after Close returns Pending is 0. Retried and Retries describe
// delivery effort and are not part of the sum.
type Stats struct {
	Emitted   uint64 // Emit calls
	Delivered uint64 // answered with a 2xx status
	Refused   uint64 // not queued: invalid event, queue full, or closed (Emit said so)
	Rejected  uint64 // answered with a status that is not retried
	Expired   uint64 // still failing when GiveUpAfter ran out
	Abandoned uint64 // queued or being retried when Close's deadline passed
	Pending   uint64 // queued or in flight
	Retried   uint64 // events that needed at least one retry, whatever their fate
	Retries   uint64 // retry attempts, all events together
}

// Dropped returns the events that were not delivered and never will be:
// Refused + Rejected + Expired + Abandoned.
func (s Stats) Dropped() uint64 { return s.Refused + s.Rejected + s.Expired + s.Abandoned }

// Sink is an [emit.Sink] POSTing each event as one JSON object
// (Content-Type application/json, the bytes of [emit.Event.AppendJSON]) to
// a URL. Emit validates the event and queues it without blocking; worker
// goroutines deliver. Events of one session_uuid are delivered in the order they were
// emitted. A connection error, a timeout or a 408, 429 or 5xx answer is
// retried with exponential backoff (MinBackoff doubling up to MaxBackoff)
// until GiveUpAfter; any other non-2xx answer drops the event at once.
// Delivery is at least once: an attempt that timed out may have reached the
// endpoint, and its retry repeats it. Every event queued but not delivered
// is reported to OnDrop and counted in [Stats]. Memory is bounded by
// the queue. A Sink is safe for concurrent use.
type Sink struct {
	url                          string
	client                       *http.Client
	transport                    *http.Transport // ours, closed by Close; nil if the caller's Client
	header                       http.Header
	reqTimeout, minBack, maxBack time.Duration
	giveUp, closeWait            time.Duration
	onDrop                       func(emit.Event, error)
	onRetry                      func(emit.Event, int, error)
	workers                      []chan emit.Event
	ctx                          context.Context // canceled when Close gives up
	cancel                       context.CancelFunc
	wg                           sync.WaitGroup
	mu                           sync.RWMutex // guards closed and the close of the queues against Emit
	closed                       bool
	emitted, delivered, refused  atomic.Uint64
	rejected, expired, abandoned atomic.Uint64
	retried, retries             atomic.Uint64
}

// New starts cfg.Workers goroutines and returns the sink feeding them, or
// an error wrapping [ErrConfig]. It allocates the queues. Call Close to stop
// the goroutines.
func New(cfg Config) (*Sink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	w := &Sink{
		url:        cfg.URL,
		client:     cfg.Client,
		header:     cfg.Header.Clone(),
		reqTimeout: cfg.RequestTimeout,
		minBack:    cfg.MinBackoff,
		maxBack:    cfg.MaxBackoff,
		giveUp:     cfg.GiveUpAfter,
		closeWait:  cfg.CloseTimeout,
		onDrop:     cfg.OnDrop,
		onRetry:    cfg.OnRetry,
		workers:    make([]chan emit.Event, cfg.Workers),
	}
	if w.header == nil {
		w.header = make(http.Header)
	}
	w.header.Set("Content-Type", "application/json")
	if w.client == nil {
		w.transport = http.DefaultTransport.(*http.Transport).Clone()
		w.transport.MaxIdleConnsPerHost = cfg.Workers
		w.client = &http.Client{
			Transport:     w.transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	per := max(1, (cfg.Queue+cfg.Workers-1)/cfg.Workers)
	for i := range w.workers {
		w.workers[i] = make(chan emit.Event, per)
		w.wg.Add(1)
		go w.run(w.workers[i])
	}
	return w, nil
}

// Emit validates e and queues it on its session's worker. It returns the
// validation error, [emit.ErrQueueFull] when that worker's queue is full, or
// [emit.ErrClosed] after Close; the event is then dropped and counted as
// Refused.
// Emit never blocks on the network and does not allocate.
func (w *Sink) Emit(e emit.Event) error {
	w.emitted.Add(1)
	if err := e.Validate(); err != nil {
		w.refused.Add(1)
		return err
	}
	q := w.workers[fnv32(e.SessionUUID)%uint32(len(w.workers))]
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		w.refused.Add(1)
		return emit.ErrClosed
	}
	select {
	case q <- e:
		return nil
	default:
		w.refused.Add(1)
		return emit.ErrQueueFull
	}
}

// fnv32 is FNV-1a over s.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := range len(s) {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func (w *Sink) run(q chan emit.Event) {
	defer w.wg.Done()
	buf := make([]byte, 0, 256)
	for e := range q {
		if w.ctx.Err() != nil {
			w.drop(&w.abandoned, e, emit.ErrClosed)
			continue
		}
		buf = w.deliver(e, buf)
	}
}

func (w *Sink) drop(counter *atomic.Uint64, e emit.Event, err error) {
	counter.Add(1)
	if w.onDrop != nil {
		w.onDrop(e, err)
	}
}

// deliver sends e until it is delivered, rejected, expired or abandoned,
// and returns the body buffer for reuse.
func (w *Sink) deliver(e emit.Event, buf []byte) []byte {
	buf = e.AppendJSON(buf[:0])
	start := time.Now()
	backoff := w.minBack
	for attempt := 1; ; attempt++ {
		err := w.post(buf)
		switch {
		case err == nil:
			w.delivered.Add(1)
			return buf
		case w.ctx.Err() != nil:
			w.drop(&w.abandoned, e, emit.ErrClosed)
			return buf
		case !retryable(err):
			w.drop(&w.rejected, e, fmt.Errorf("%w: %w", ErrRejected, err))
			return buf
		case time.Since(start)+backoff > w.giveUp:
			w.drop(&w.expired, e, fmt.Errorf("%w after %d attempts in %v: %w", ErrExpired, attempt, time.Since(start).Round(time.Millisecond), err))
			return buf
		}
		if w.onRetry != nil {
			w.onRetry(e, attempt, err)
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-w.ctx.Done():
			t.Stop()
			w.drop(&w.abandoned, e, emit.ErrClosed)
			return buf
		}
		if attempt == 1 {
			w.retried.Add(1)
		}
		w.retries.Add(1)
		backoff = min(2*backoff, w.maxBack)
	}
}

// statusError is a non-2xx answer.
type statusError struct{ code int }

func (e *statusError) Error() string {
	return fmt.Sprintf("status %d %s", e.code, http.StatusText(e.code))
}

// retryable reports whether a failed attempt is worth repeating: any
// transport error (refused connection, reset, timeout), or status 408, 429
// or 5xx.
func retryable(err error) bool {
	se, ok := errors.AsType[*statusError](err)
	if !ok {
		return true
	}
	return se.code == http.StatusRequestTimeout || se.code == http.StatusTooManyRequests || se.code >= 500
}

// post makes one attempt.
func (w *Sink) post(body []byte) error {
	ctx, cancel := context.WithTimeout(w.ctx, w.reqTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range w.header {
		req.Header[k] = v
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	// Read a little of the body so that the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &statusError{resp.StatusCode}
	}
	return nil
}

// Close stops accepting events and waits up to [Config.CloseTimeout]
// for the queues to drain. If the deadline passes, requests in flight and
// backoff waits are canceled and every event not yet delivered is abandoned
// (counted, and reported to OnDrop with [emit.ErrClosed]); Close then waits for
// the workers to exit, which canceled requests let them do at once, and
// returns an error wrapping [emit.ErrCloseTimeout]. Later calls return
// [emit.ErrClosed].
func (w *Sink) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return emit.ErrClosed
	}
	w.closed = true
	for _, q := range w.workers {
		close(q)
	}
	w.mu.Unlock()

	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(w.closeWait)
	defer t.Stop()
	var err error
	select {
	case <-done:
	case <-t.C:
		w.cancel()
		<-done
		err = fmt.Errorf("%w: queues not drained within %v; the rest was abandoned (see Stats)", emit.ErrCloseTimeout, w.closeWait)
	}
	w.cancel()
	if w.transport != nil {
		w.transport.CloseIdleConnections()
	}
	return err
}

// Stats returns the counts so far. Counters are read one by one, so under
// concurrent Emit calls they describe slightly different moments; Pending is
// never negative.
func (w *Sink) Stats() Stats {
	s := Stats{
		Delivered: w.delivered.Load(),
		Refused:   w.refused.Load(),
		Rejected:  w.rejected.Load(),
		Expired:   w.expired.Load(),
		Abandoned: w.abandoned.Load(),
		Retried:   w.retried.Load(),
		Retries:   w.retries.Load(),
	}
	s.Emitted = w.emitted.Load()
	s.Pending = s.Emitted - s.Delivered - s.Refused - s.Rejected - s.Expired - s.Abandoned
	return s
}
