package webhook_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/emit/webhook"
)

// A webhook sink in front of an endpoint that fails once: the event is
// retried and delivered, and the counts say so.
func Example() {
	var failed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !failed.Swap(true) {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	cfg := webhook.DefaultConfig()
	cfg.URL = srv.URL
	cfg.Workers = 1
	cfg.MinBackoff = 10 * time.Millisecond
	hook, err := webhook.New(cfg)
	if err != nil {
		panic(err)
	}
	_ = hook.Emit(emit.Event{Kind: emit.KindDTMF, SessionUUID: "s1", Digit: '9', DurationMS: 100})
	_ = hook.Close() // drains: waits for the retry
	s := hook.Stats()
	fmt.Printf("emitted=%d delivered=%d retries=%d dropped=%d\n", s.Emitted, s.Delivered, s.Retries, s.Dropped())
	// Output:
	// emitted=1 delivered=1 retries=1 dropped=0
}
