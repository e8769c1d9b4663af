package main

import (
	"fmt"
	"io"
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

	mu     sync.Mutex
	first  error     // why the first lost event was lost
	warned bool      // the first failure has been reported on stderr
	stderr io.Writer // where the first failure is reported
	url    string
}

// newWebhookSink starts the webhook. The first failed attempt is reported
// at once on stderr, in one line, so that a dead endpoint is not silent for
// the --webhook-timeout its events take to expire; the summary follows at
// exit ([webhookSink.close]).
func newWebhookSink(cfg webhook.Config, stderr io.Writer) (*webhookSink, error) {
	s := &webhookSink{room: uint64(max(1, cfg.Queue/cfg.Workers)), stderr: stderr, url: cfg.URL}
	cfg.OnDrop = func(_ emit.Event, err error) { s.lost(err); s.warn(err, false) }
	cfg.OnRetry = func(_ emit.Event, _ int, err error) { s.warn(err, true) }
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

// warn writes the first failure of the endpoint to stderr, once: that it
// is failing, why, and whether the event is being retried. It is safe for
// concurrent use (it runs on the webhook's workers).
func (s *webhookSink) warn(err error, retrying bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.warned {
		return
	}
	s.warned = true
	what := "dropping the event"
	if retrying {
		what = "retrying for up to --webhook-timeout; a summary follows at exit"
	}
	fmt.Fprintf(s.stderr, "dtmf decode: webhook: %s is failing (%v): %s\n", s.url, err, what)
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

// lockedWriter serialises writes to w: the webhook's workers report the
// first failure on the stderr that the decoder writes its errors to.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
