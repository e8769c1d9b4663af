package main

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/emit/webhook"
)

// webhookConfig returns the settings of the --webhook sink: url, and
// timeout (--webhook-timeout, 10 ms to 1 h) as both the retry budget of an
// event and the close deadline; one attempt takes at most the default 5 s,
// or timeout if shorter.
func webhookConfig(url string, timeout time.Duration) (webhook.Config, error) {
	c := webhook.DefaultConfig()
	if timeout < 10*time.Millisecond || timeout > time.Hour {
		return c, fmt.Errorf("--webhook-timeout %v: want 10ms to 1h", timeout)
	}
	c.URL = url
	c.GiveUpAfter = timeout
	c.CloseTimeout = timeout
	c.RequestTimeout = min(c.RequestTimeout, timeout)
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("--webhook: %s", strings.TrimPrefix(err.Error(), webhook.ErrConfig.Error()+": "))
	}
	return c, nil
}

// webhookSink is the --webhook sink: an [webhook.Sink] that a decoder,
// faster than real time, cannot overrun. The Webhook drops an event when
// its session's queue is full, which suits a media server but would lose
// events of a long batch: Emit waits while as many events are pending as
// one worker's queue holds, so the queue always has room. Once an event
// has expired (the endpoint failed for all of --webhook-timeout) it no
// longer waits, so that a dead endpoint does not hold the decoder for a
// timeout per event: the events are then dropped at once and counted.
//
// Emit is called from one goroutine (the decoder's); close from the same
// one after the last Emit.
type webhookSink struct {
	w    *webhook.Sink
	room uint64 // fewest events one worker's queue holds

	mu    sync.Mutex
	first error // why the first lost event was lost
}

// newWebhookSink starts the webhook.
func newWebhookSink(cfg webhook.Config) (*webhookSink, error) {
	s := &webhookSink{room: uint64(max(1, cfg.Queue/cfg.Workers))}
	cfg.OnDrop = func(_ emit.Event, err error) { s.lost(err) }
	w, err := webhook.New(cfg)
	if err != nil {
		return nil, err
	}
	s.w = w
	return s, nil
}

// lost records why an event was lost, if it is the first. It is safe for
// concurrent use (OnDrop runs on the webhook's workers).
func (s *webhookSink) lost(err error) {
	s.mu.Lock()
	if s.first == nil {
		s.first = err
	}
	s.mu.Unlock()
}

// Emit waits until the webhook's queue has room (see [webhookSink]), then
// queues e.
func (s *webhookSink) Emit(e emit.Event) error {
	for {
		st := s.w.Stats()
		if st.Pending < s.room || st.Expired > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	err := s.w.Emit(e)
	if err != nil {
		s.lost(err)
	}
	return err
}

// close closes the webhook, waiting up to --webhook-timeout for the events
// still queued, and returns a one-line summary and whether any event was
// lost.
func (s *webhookSink) close() (string, bool) {
	_ = s.w.Close() // a deadline passed shows in the counts
	st := s.w.Stats()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d delivered", plural(st.Emitted, "event", "events"), st.Delivered)
	lost := st.Dropped() + st.Pending
	fmt.Fprintf(&b, ", %d dropped", lost)
	if lost > 0 {
		fmt.Fprintf(&b, " (%d rejected, %d expired, %d abandoned at exit, %d refused)",
			st.Rejected, st.Expired, st.Abandoned+st.Pending, st.Refused)
		s.mu.Lock()
		if s.first != nil {
			fmt.Fprintf(&b, "; first: %v", s.first)
		}
		s.mu.Unlock()
	}
	if st.Retried > 0 {
		fmt.Fprintf(&b, "; %d retried (%s)", st.Retried, plural(st.Retries, "retry", "retries"))
	}
	return b.String(), lost > 0
}

// plural returns "1 one" or "n many".
func plural(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
