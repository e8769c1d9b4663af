package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/emit/webhook"
	"github.com/dtmfkit/dtmf/internal/testutil"
)

// hookServer is a webhook endpoint on loopback. respond decides the status
// of the n-th request (from 1); only 2xx answers record the event.
type hookServer struct {
	*httptest.Server
	t        *testing.T
	sch      *jsonschema.Schema
	respond  func(n int64, r *http.Request) int
	requests atomic.Int64

	mu       sync.Mutex
	received map[string][]int // session → duration_ms (sequence numbers) in arrival order
	auth     []string
}

// keys are the 16 keys, in the order the tests cycle through them.
const keys = "0123456789ABCD*#"

func dtmfEvent(session string, digit byte, ms int) emit.Event {
	return emit.Event{Kind: emit.KindDTMF, SessionUUID: session, Digit: digit, DurationMS: ms}
}

func newHookServer(t *testing.T, respond func(n int64, r *http.Request) int) *hookServer {
	h := &hookServer{t: t, sch: testutil.EventSchema(t), respond: respond, received: map[string][]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) serve(w http.ResponseWriter, r *http.Request) {
	n := h.requests.Add(1)
	body, err := io.ReadAll(r.Body)
	if !assert.NoError(h.t, err) {
		return
	}
	assert.Equal(h.t, http.MethodPost, r.Method)
	assert.Equal(h.t, "application/json", r.Header.Get("Content-Type"))
	assert.NoError(h.t, testutil.ValidateEvent(h.sch, body), "%s", body)
	e, err := emit.Decode(body)
	if !assert.NoError(h.t, err) {
		return
	}
	code := h.respond(n, r)
	if code >= 200 && code < 300 {
		h.mu.Lock()
		h.received[e.SessionUUID] = append(h.received[e.SessionUUID], e.DurationMS)
		h.auth = append(h.auth, r.Header.Get("Authorization"))
		h.mu.Unlock()
	}
	w.WriteHeader(code)
}

func (h *hookServer) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.received {
		n += len(s)
	}
	return n
}

func fastHook(url string) webhook.Config {
	cfg := webhook.DefaultConfig()
	cfg.URL = url
	cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, 8*time.Millisecond
	cfg.GiveUpAfter = 2 * time.Second
	cfg.RequestTimeout = time.Second
	cfg.CloseTimeout = 10 * time.Second
	return cfg
}

func checkHookSum(t *testing.T, s webhook.Stats) {
	t.Helper()
	assert.Equal(t, s.Emitted, s.Delivered+s.Refused+s.Rejected+s.Expired+s.Abandoned+s.Pending, "%+v", s)
}

// produce emits `each` events for each of `sessions` sessions from one
// goroutine per session, numbering each session's events from 0.
func produce(t *testing.T, s emit.Sink, sessions, each int) (refused int64) {
	t.Helper()
	var n atomic.Int64
	var wg sync.WaitGroup
	for g := range sessions {
		wg.Go(func() {
			session := fmt.Sprintf("session-%02d", g)
			for i := range each {
				if s.Emit(dtmfEvent(session, keys[i%16], i)) != nil {
					n.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return n.Load()
}

func TestWebhookHealthyInOrder(t *testing.T) {
	h := newHookServer(t, func(int64, *http.Request) int { return http.StatusNoContent })
	cfg := fastHook(h.URL)
	cfg.Header = http.Header{"Authorization": {"Bearer t0ken"}}
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	const sessions, each = 24, 40
	require.Zero(t, produce(t, w, sessions, each))
	require.NoError(t, w.Close())
	s := w.Stats()
	assert.Equal(t, webhook.Stats{Emitted: sessions * each, Delivered: sessions * each}, s)
	checkOrder(t, h, sessions, each)
	for _, a := range h.auth {
		assert.Equal(t, "Bearer t0ken", a)
	}
}

// checkOrder asserts that every session's events arrived once each, in
// order.
func checkOrder(t *testing.T, h *hookServer, sessions, each int) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	assert.Len(t, h.received, sessions)
	want := make([]int, each)
	for i := range want {
		want[i] = i
	}
	for s, got := range h.received {
		assert.Equal(t, want, got, "session %s", s)
	}
}

func TestWebhookFlappingRetriesInOrder(t *testing.T) {
	// Every third request fails with 503, every seventh with 429: all
	// events get through, retried, each session in order.
	h := newHookServer(t, func(n int64, _ *http.Request) int {
		switch {
		case n%3 == 0:
			return http.StatusServiceUnavailable
		case n%7 == 0:
			return http.StatusTooManyRequests
		}
		return http.StatusOK
	})
	cfg := fastHook(h.URL)
	var onRetry atomic.Uint64
	cfg.OnRetry = func(_ emit.Event, attempt int, err error) {
		assert.GreaterOrEqual(t, attempt, 1)
		assert.Error(t, err)
		onRetry.Add(1)
	}
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	const sessions, each = 12, 30
	require.Zero(t, produce(t, w, sessions, each))
	require.NoError(t, w.Close())
	s := w.Stats()
	checkHookSum(t, s)
	assert.Equal(t, uint64(sessions*each), s.Delivered)
	assert.Positive(t, s.Retried)
	assert.Equal(t, s.Retries, onRetry.Load(), "OnRetry is called once per retry")
	assert.Equal(t, uint64(h.requests.Load())-s.Delivered, s.Retries, "every request beyond the first of an event is a retry")
	checkOrder(t, h, sessions, each)
}

func TestWebhookFailingEndpointExpires(t *testing.T) {
	h := newHookServer(t, func(int64, *http.Request) int { return http.StatusInternalServerError })
	var expired atomic.Int64
	cfg := fastHook(h.URL)
	cfg.GiveUpAfter = 60 * time.Millisecond
	cfg.OnDrop = func(_ emit.Event, err error) {
		assert.ErrorIs(t, err, webhook.ErrExpired)
		assert.ErrorContains(t, err, "500")
		expired.Add(1)
	}
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	require.Zero(t, produce(t, w, 4, 2))
	require.NoError(t, w.Close())
	s := w.Stats()
	checkHookSum(t, s)
	assert.Equal(t, uint64(8), s.Expired)
	assert.Equal(t, int64(8), expired.Load(), "every lost event is reported")
	assert.LessOrEqual(t, s.Retried, uint64(8))
	assert.Positive(t, s.Retries, "with 1 ms backoff and 60 ms to go, events are retried")
	assert.Equal(t, uint64(h.requests.Load()), 8+s.Retries, "one first attempt per event, the rest are retries")
	assert.Zero(t, h.total())
}

func TestWebhookDeadEndpoint(t *testing.T) {
	h := newHookServer(t, func(int64, *http.Request) int { return http.StatusOK })
	url := h.URL
	h.Close() // connection refused from now on
	cfg := fastHook(url)
	cfg.GiveUpAfter = 50 * time.Millisecond
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	require.Zero(t, produce(t, w, 3, 4))
	require.NoError(t, w.Close())
	s := w.Stats()
	checkHookSum(t, s)
	assert.Equal(t, uint64(12), s.Expired)
	assert.Zero(t, s.Delivered)
	assert.Positive(t, s.Retries)
}

func TestWebhookSingleAttempt(t *testing.T) {
	h := newHookServer(t, func(int64, *http.Request) int { return http.StatusBadGateway })
	cfg := fastHook(h.URL)
	cfg.GiveUpAfter = 0
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	require.Zero(t, produce(t, w, 2, 3))
	require.NoError(t, w.Close())
	s := w.Stats()
	assert.Equal(t, webhook.Stats{Emitted: 6, Expired: 6}, s)
	assert.Equal(t, int64(6), h.requests.Load())
}

func TestWebhookRejected(t *testing.T) {
	h := newHookServer(t, func(n int64, _ *http.Request) int {
		if n%2 == 0 {
			return http.StatusBadRequest
		}
		return http.StatusOK
	})
	var rejected atomic.Int64
	cfg := fastHook(h.URL)
	cfg.Workers = 1 // requests in emission order, so n says which event
	cfg.OnDrop = func(_ emit.Event, err error) {
		assert.ErrorIs(t, err, webhook.ErrRejected)
		assert.ErrorContains(t, err, "400")
		rejected.Add(1)
	}
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	require.Zero(t, produce(t, w, 1, 10))
	require.NoError(t, w.Close())
	s := w.Stats()
	assert.Equal(t, webhook.Stats{Emitted: 10, Delivered: 5, Rejected: 5}, s, "4xx is not retried")
	assert.Equal(t, int64(5), rejected.Load())
}

func TestWebhookRequestTimeoutRetried(t *testing.T) {
	// The first attempt of each event hangs past RequestTimeout: the
	// Webhook gives up on it and retries.
	var seen sync.Map
	h := newHookServer(t, func(_ int64, r *http.Request) int {
		return http.StatusOK
	})
	slow := h.Config.Handler
	h.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, again := seen.LoadOrStore(string(body), true); !again {
			<-r.Context().Done() // hang until the client gives up
			return
		}
		r.Body = io.NopCloser(bytesReader(body))
		slow.ServeHTTP(w, r)
	})
	cfg := fastHook(h.URL)
	cfg.RequestTimeout = 100 * time.Millisecond
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	require.Zero(t, produce(t, w, 4, 3))
	require.NoError(t, w.Close())
	s := w.Stats()
	checkHookSum(t, s)
	assert.Equal(t, uint64(12), s.Delivered)
	assert.GreaterOrEqual(t, s.Retried, uint64(12))
	// Delivery is at least once: on a loaded machine a retry that was
	// answered too late is sent again. Order holds all the same.
	h.mu.Lock()
	defer h.mu.Unlock()
	for session, got := range h.received {
		var once []int
		for i, v := range got {
			if i == 0 || v != got[i-1] {
				once = append(once, v)
			}
		}
		assert.Equal(t, []int{0, 1, 2}, once, "session %s", session)
	}
}

func TestWebhookSlowEndpointBoundedQueue(t *testing.T) {
	// One worker, four slots, a 20 ms endpoint, 60 events at once: Emit
	// refuses what does not fit instead of waiting, and the counts add up.
	h := newHookServer(t, func(int64, *http.Request) int {
		time.Sleep(20 * time.Millisecond)
		return http.StatusOK
	})
	cfg := fastHook(h.URL)
	cfg.Workers, cfg.Queue = 1, 4
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	refused := produce(t, w, 1, 60)
	require.NoError(t, w.Close())
	s := w.Stats()
	checkHookSum(t, s)
	assert.Equal(t, uint64(refused), s.Refused)
	// 4 queued and 1 in flight while the producer runs (more if it is
	// descheduled for a while): had Emit waited for room, none would be
	// refused.
	assert.Positive(t, refused)
	assert.Equal(t, 60-uint64(refused), s.Delivered)
	assert.Equal(t, int(s.Delivered), h.total())
	h.mu.Lock()
	got := h.received["session-00"]
	h.mu.Unlock()
	for i := 1; i < len(got); i++ {
		assert.Less(t, got[i-1], got[i], "what is delivered stays in order")
	}
}

func TestWebhookCloseDeadlineAbandons(t *testing.T) {
	release := make(chan struct{})
	h := newHookServer(t, func(_ int64, r *http.Request) int {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return http.StatusOK
	})
	defer close(release)
	var abandoned atomic.Int64
	cfg := fastHook(h.URL)
	cfg.CloseTimeout = 50 * time.Millisecond
	cfg.OnDrop = func(_ emit.Event, err error) {
		assert.ErrorIs(t, err, emit.ErrClosed)
		abandoned.Add(1)
	}
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	require.Zero(t, produce(t, w, 8, 5))
	err = w.Close()
	assert.ErrorIs(t, err, emit.ErrCloseTimeout)
	s := w.Stats()
	checkHookSum(t, s)
	assert.Zero(t, s.Pending, "Close waits for the workers once it has canceled them")
	assert.Equal(t, uint64(40), s.Abandoned)
	assert.Equal(t, int64(40), abandoned.Load())
	assert.ErrorIs(t, w.Emit(dtmfEvent("s", '1', 1)), emit.ErrClosed)
	assert.Equal(t, uint64(1), w.Stats().Refused)
}

func TestWebhookRefusesInvalidEvents(t *testing.T) {
	h := newHookServer(t, func(int64, *http.Request) int { return http.StatusOK })
	w, err := webhook.New(fastHook(h.URL))
	require.NoError(t, err)
	assert.ErrorIs(t, w.Emit(emit.Event{Kind: emit.KindDTMF, SessionUUID: "s", Digit: 'x'}), emit.ErrDigit)
	require.NoError(t, w.Close())
	assert.Equal(t, webhook.Stats{Emitted: 1, Refused: 1}, w.Stats())
	assert.Zero(t, h.requests.Load())
}

func TestWebhookManyProducersRace(t *testing.T) {
	// Run with -race: many goroutines emitting to one Webhook at once,
	// against a flapping endpoint, with Stats read concurrently.
	h := newHookServer(t, func(n int64, _ *http.Request) int {
		if n%5 == 0 {
			return http.StatusInternalServerError
		}
		return http.StatusAccepted
	})
	cfg := fastHook(h.URL)
	cfg.Workers = 8
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				checkHookSum(t, w.Stats())
			}
		}
	})
	const sessions, each = 64, 10
	require.Zero(t, produce(t, w, sessions, each))
	require.NoError(t, w.Close())
	close(stop)
	readers.Wait()
	assert.Equal(t, uint64(sessions*each), w.Stats().Delivered)
	checkOrder(t, h, sessions, each)
}

func TestWebhookEmitZeroAllocs(t *testing.T) {
	h := newHookServer(t, func(int64, *http.Request) int { return http.StatusOK })
	cfg := fastHook(h.URL)
	cfg.Queue = 1 << 14
	w, err := webhook.New(cfg)
	require.NoError(t, err)
	defer w.Close()
	e := dtmfEvent("acW68-f47ac10b", '5', 120)
	allocs := testing.AllocsPerRun(200, func() { _ = w.Emit(e) })
	assert.Zero(t, allocs)
}

func TestWebhookConfig(t *testing.T) {
	good := fastHook("http://127.0.0.1:9/hook")
	require.NoError(t, good.Validate())
	tests := map[string]func(*webhook.Config){
		"empty URL":         func(c *webhook.Config) { c.URL = "" },
		"relative URL":      func(c *webhook.Config) { c.URL = "/hook" },
		"ftp URL":           func(c *webhook.Config) { c.URL = "ftp://host/x" },
		"bad URL":           func(c *webhook.Config) { c.URL = "http://[::1" },
		"no workers":        func(c *webhook.Config) { c.Workers = 0 },
		"too many workers":  func(c *webhook.Config) { c.Workers = 257 },
		"no queue":          func(c *webhook.Config) { c.Queue = 0 },
		"short request":     func(c *webhook.Config) { c.RequestTimeout = time.Millisecond },
		"no backoff":        func(c *webhook.Config) { c.MinBackoff = 0 },
		"max below min":     func(c *webhook.Config) { c.MaxBackoff = c.MinBackoff / 2 },
		"negative give-up":  func(c *webhook.Config) { c.GiveUpAfter = -1 },
		"long close":        func(c *webhook.Config) { c.CloseTimeout = 2 * time.Hour },
		"negative close":    func(c *webhook.Config) { c.CloseTimeout = -time.Second },
		"give-up over 24 h": func(c *webhook.Config) { c.GiveUpAfter = 25 * time.Hour },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			c := good
			mod(&c)
			assert.ErrorIs(t, c.Validate(), webhook.ErrConfig)
			_, err := webhook.New(c)
			assert.ErrorIs(t, err, webhook.ErrConfig)
		})
	}
}

func bytesReader(b []byte) io.Reader { return &byteReader{b: b} }

type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
