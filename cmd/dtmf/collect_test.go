package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/emit/webhook"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// event is one output line of either kind.
type event struct {
	Event      string `json:"event"`
	Session    string `json:"session_uuid"`
	Digit      string `json:"digit"`
	DurationMS int    `json:"duration_ms"`
	CommandUID string `json:"command_uid"`
	Digits     string `json:"digits"`
	Terminator string `json:"terminator"`
	Status     string `json:"status"`
	OffsetMS   *int   `json:"offset_ms"`
	Channel    *int   `json:"channel"`
}

// parseEvent checks that l (without newline) is one schema-valid event
// and returns it.
func parseEvent(t *testing.T, l string) event {
	t.Helper()
	require.NoError(t, testutil.ValidateEvent(testutil.EventSchema(t), []byte(l)), "line %q", l)
	dec := json.NewDecoder(strings.NewReader(l))
	dec.DisallowUnknownFields() // only the contract's fields and the two extras
	var e event
	require.NoError(t, dec.Decode(&e), "line %q", l)
	return e
}

// parseEvents checks that out is NDJSON of schema-valid events and returns
// them.
func parseEvents(t *testing.T, out string) []event {
	t.Helper()
	var evs []event
	for l := range strings.Lines(out) {
		require.True(t, strings.HasSuffix(l, "\n"), "unterminated line %q", l)
		evs = append(evs, parseEvent(t, strings.TrimSuffix(l, "\n")))
	}
	return evs
}

// withoutCollected returns the lines of out that are not digits.collected.
func withoutCollected(out string) string {
	var b strings.Builder
	for l := range strings.Lines(out) {
		if !strings.Contains(l, `"event":"digits.collected"`) {
			b.WriteString(l)
		}
	}
	return b.String()
}

// checkGolden compares out with testdata/golden/NAME.golden (rewritten
// with -update).
func checkGolden(t *testing.T, name, out string) {
	t.Helper()
	golden := filepath.Join(goldenDir, name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./cmd/dtmf -update to create it")
	assert.Equal(t, string(want), out)
}

// TestDecodeCollect runs collections over the bundled sample (which dials
// 5551234#) and a stereo variant, compares the output with goldens, and
// checks independently of them: one schema-valid digits.collected per
// channel with the expected digits, terminator and status; its place among
// the dtmf events; its offset against sample.json; and that the dtmf
// events are those of a plain decode.
func TestDecodeCollect(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	n := len(tr.Presses)
	hash := tr.Presses[n-1]
	// A key ends a collection when the detector recognises it, about 30 ms
	// after it starts; a timeout ends it at its exact sample.
	const latency, keyTol, timeTol = 30, 15, 2
	recognised := func(i int) int { return tr.Presses[i].OffsetMS + latency }
	hashEnd := hash.OffsetMS + hash.DurationMS
	stereo := make([]int16, 2*len(pcm))
	agent := agentSide(t, len(pcm))
	for i := range pcm {
		stereo[2*i], stereo[2*i+1] = pcm[i], agent[i]
	}
	stereoPath := writeWAV(t, t.TempDir(), "stereo.wav", wavfile.PCM16, 8000, 2, stereo)

	type result struct {
		channel                    int
		digits, terminator, status string
		after                      int // dtmf events of the channel before it
		offsetMS, tol              int // expected offset_ms, within tol ms
	}
	tests := []struct {
		name string
		path string
		args []string
		want []result
	}{
		{"terminator", samplePath, []string{"--collect", "min=4,max=10,term=#"},
			[]result{{0, "5551234", "#", "success", n - 1, recognised(n - 1), keyTol}}},
		{"terminator-timestamps", samplePath, []string{"--timestamps", "--command-uid", "pin-7", "--collect", "min=4,max=10,term=#"},
			[]result{{0, "5551234", "#", "success", n - 1, recognised(n - 1), keyTol}}},
		// Started after the last key: the first-digit timeout runs out
		// 5 s later, past the end of the 6 s input, over silence.
		{"timeout", samplePath, []string{"--timestamps", "--collect-at", "4.5s", "--collect", "min=4"},
			[]result{{0, "", "", "timeout", n, 9500, 0}}},
		{"pattern", samplePath, []string{"--timestamps", "--collect", "min=4,max=10,term=#,pattern=[0-4]*"},
			[]result{{0, "5551234", "#", "failure", n - 1, recognised(n - 1), keyTol}}},
		// 3.3 s: after the release of the third 5, before the 1.
		{"at", samplePath, []string{"--timestamps", "--collect-at", "3.3s", "--collect", "min=4,term=#"},
			[]result{{0, "1234", "#", "success", n - 1, recognised(n - 1), keyTol}}},
		// The fourth key ends the collection as it is recognised, before
		// its release.
		{"max", samplePath, []string{"--timestamps", "--collect", "max=4"},
			[]result{{0, "5551", "", "success", 3, recognised(3), keyTol}}},
		// No terminator: # is a digit, and the inter-digit timeout runs
		// out 3 s after its release, past the end of the input.
		{"inter-past-end", samplePath, []string{"--timestamps", "--collect", "term=,inter=3s,min=8"},
			[]result{{0, "5551234#", "", "success", n, hashEnd + 3000, timeTol}}},
		// Two tries of 1 s elapse before the first key; the third gets all
		// of them, and fails the pattern.
		{"tries", samplePath, []string{"--timestamps", "--collect", "tries=3,first=1s,min=2,term=#,pattern=9.*"},
			[]result{{0, "5551234", "#", "failure", n - 1, recognised(n - 1), keyTol}}},
		// Too few digits before the terminator.
		{"too-few", samplePath, []string{"--timestamps", "--collect-at", "3.6s", "--collect", "min=4,term=#"},
			[]result{{0, "34", "#", "failure", n - 1, recognised(n - 1), keyTol}}},
		// One collection per channel: the agent's 9 and 0 (2.5 s, 3.3 s)
		// end by the inter-digit timeout, 2 s after the 0's release.
		{"stereo", stereoPath, []string{"--timestamps", "--collect", "min=1,term=#,inter=2s"},
			[]result{{0, "5551234", "#", "success", n - 1, recognised(n - 1), keyTol}, {1, "90", "", "success", 2, 3300 + 90 + 2000, timeTol}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, append(tt.args, tt.path)...)
			require.Equal(t, 0, code, "stderr: %s", errOut)
			assert.Empty(t, errOut)
			evs := parseEvents(t, out)

			// The dtmf events are exactly those of a plain decode.
			plainArgs := []string{tt.path}
			if tt.args[0] == "--timestamps" {
				plainArgs = append([]string{"--timestamps"}, plainArgs...)
			}
			code, plain, _ := decodeRun(t, nil, plainArgs...)
			require.Equal(t, 0, code)
			assert.Equal(t, plain, withoutCollected(out), "collecting changes no dtmf event")

			dtmfSeen := map[int]int{} // per channel
			var got []result
			for _, e := range evs {
				ch := 0
				if e.Channel != nil {
					ch = *e.Channel
				}
				if e.Event == "dtmf" {
					dtmfSeen[ch]++
					continue
				}
				require.Equal(t, "digits.collected", e.Event)
				assert.Equal(t, strings.TrimSuffix(filepath.Base(tt.path), ".wav"), e.Session)
				wantUID := "collect-1"
				if tt.name == "terminator-timestamps" {
					wantUID = "pin-7"
				}
				assert.Equal(t, wantUID, e.CommandUID)
				r := result{channel: ch, digits: e.Digits, terminator: e.Terminator, status: e.Status, after: dtmfSeen[ch]}
				if slices.Contains(tt.args, "--timestamps") {
					require.NotNil(t, e.OffsetMS, "--timestamps adds offset_ms")
					r.offsetMS = *e.OffsetMS
				} else {
					assert.Nil(t, e.OffsetMS, "offset_ms only with --timestamps")
				}
				got = append(got, r)
			}
			require.Len(t, got, len(tt.want), "one digits.collected per channel")
			for i, w := range tt.want {
				g := got[i]
				assert.Equal(t, w.channel, g.channel)
				assert.Equal(t, w.digits, g.digits, "digits")
				assert.Equal(t, w.terminator, g.terminator, "terminator")
				assert.Equal(t, w.status, g.status, "status")
				assert.Equal(t, w.after, g.after, "dtmf events of channel %d before digits.collected", w.channel)
				if slices.Contains(tt.args, "--timestamps") {
					assert.InDelta(t, w.offsetMS, g.offsetMS, float64(w.tol), "offset_ms: when the collection ended")
				}
			}
			checkGolden(t, "decode-collect-"+tt.name, out)
		})
	}
}

// collectedOf returns the digits.collected events of out.
func collectedOf(t *testing.T, out string) []event {
	t.Helper()
	var c []event
	for _, e := range parseEvents(t, out) {
		if e.Event == "digits.collected" {
			c = append(c, e)
		}
	}
	return c
}

// TestDecodeCollectEnd: how the end of an input ends a collection. A clean
// end lets the timeouts run out over silence, even for an input with no
// audio at all or a collection starting at its very last sample; an input
// cut short ends it with status unknown; a --collect-at past the end is an
// error for that input, whose dtmf events are still written.
func TestDecodeCollectEnd(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	dir := t.TempDir()
	second := writeWAV(t, dir, "second.wav", wavfile.PCM16, 8000, 1, make([]int16, 8000))
	empty := writeWAV(t, dir, "empty.wav", wavfile.PCM16, 8000, 1, nil)
	cut := filepath.Join(dir, "cut.wav")
	require.NoError(t, os.WriteFile(cut, testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 16, 2),
		testutil.RawChunk("data", uint32(2*len(pcm)), encode(t, wavfile.PCM16, pcm)[:2*30000])), 0o644))
	tests := []struct {
		name     string
		args     []string
		code     int
		msg      string // stderr
		dtmf     string // digits of the dtmf events
		status   string // of the one digits.collected; "" if none
		digits   string
		offsetMS int
	}{
		{"empty input", []string{"--collect", "first=2s", empty}, 0, "", "", "timeout", "", 2000},
		{"at the last sample", []string{"--collect-at", "1s", "--collect", "first=2s", second}, 0, "", "", "timeout", "", 3000},
		{"past the end", []string{"--collect-at", "1001ms", "--collect", "first=2s", second}, 1,
			"dtmf decode: " + second + ": --collect-at 1.001s is past the end of the input (1.000 s): no collection\n", "", "", "", 0},
		{"past the end keeps dtmf", []string{"--collect-at", "1h", "--collect=min=1", samplePath}, 1,
			"dtmf decode: " + samplePath + ": --collect-at 1h0m0s is past the end of the input (5.997 s): no collection\n", tr.Digits, "", "", 0},
		// 30000 samples: the input ends at 3.75 s, inside the 3.
		{"cut short", []string{"--collect", "term=#", cut}, 1,
			"dtmf decode: " + cut + ": truncated: data chunk declares 95950 bytes, input ends after 60000\n", tr.Digits[:5], "unknown", tr.Digits[:5], 3750},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, append([]string{"--timestamps"}, tt.args...)...)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.msg, errOut)
			var digits strings.Builder
			var collected []event
			for _, e := range parseEvents(t, out) {
				if e.Event == "dtmf" {
					digits.WriteString(e.Digit)
				} else {
					collected = append(collected, e)
				}
			}
			assert.Equal(t, tt.dtmf, digits.String())
			if tt.status == "" {
				assert.Empty(t, collected)
				return
			}
			require.Len(t, collected, 1)
			assert.Equal(t, tt.status, collected[0].Status)
			assert.Equal(t, tt.digits, collected[0].Digits)
			require.NotNil(t, collected[0].OffsetMS)
			assert.Equal(t, tt.offsetMS, *collected[0].OffsetMS)
		})
	}
}

// TestDecodeCollectBatch: each input gets its own collection, with the
// input's session.
func TestDecodeCollectBatch(t *testing.T) {
	pcm := loadSample(t)
	dir := t.TempDir()
	a := writeWAV(t, dir, "a.wav", wavfile.PCM16, 8000, 1, pcm)
	b := writeWAV(t, dir, "b.wav", wavfile.ULaw, 8000, 1, pcm[:26000]) // ends after the third 5
	code, out, errOut := decodeRun(t, nil, "--collect", "min=4,term=#", a, b)
	require.Equal(t, 0, code, errOut)
	c := collectedOf(t, out)
	require.Len(t, c, 2)
	assert.Equal(t, event{Event: "digits.collected", Session: "a", CommandUID: "collect-1", Digits: "5551234", Terminator: "#", Status: "success"}, c[0])
	assert.Equal(t, event{Event: "digits.collected", Session: "b", CommandUID: "collect-1", Digits: "555", Status: "timeout"}, c[1])
}

// keyPCM returns 16-bit little-endian samples: pause ms of silence, then
// the key for 100 ms, then 200 ms of silence (enough for the release to be
// confirmed).
func keyPCM(t *testing.T, key byte, pause float64) []byte {
	t.Helper()
	s := synth.New(8000, uint64(key))
	s.Silence(pause)
	require.NoError(t, s.Add(synth.Tone{Digit: key, Duration: 100, LowLevel: -10, HighLevel: -9}))
	s.Silence(200)
	return encode(t, wavfile.PCM16, s.PCM())
}

// live runs "dtmf decode args..." on a pipe, as a live source would feed
// it. write sends audio in 20 ms frames; next returns the next output line,
// failing if none comes while the input is still open; finish closes the
// input and returns the exit code and the lines written after that.
type live struct {
	t      *testing.T
	in     *io.PipeWriter
	lines  chan string
	done   chan int
	stderr *bytes.Buffer
}

func startLive(t *testing.T, args ...string) *live {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	l := &live{t: t, in: inW, lines: make(chan string, 64), done: make(chan int, 1), stderr: new(bytes.Buffer)}
	go func() {
		code := run(append([]string{"decode"}, args...), inR, outW, l.stderr)
		outW.Close()
		l.done <- code
	}()
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			l.lines <- sc.Text()
		}
		close(l.lines)
	}()
	t.Cleanup(func() {
		// After a failed check the decoder may still be writing: let it
		// end.
		inW.Close()
		go func() {
			for range l.lines {
			}
		}()
	})
	return l
}

func (l *live) write(b []byte) {
	l.t.Helper()
	for len(b) > 0 {
		n := min(320, len(b))
		_, err := l.in.Write(b[:n])
		require.NoError(l.t, err)
		b = b[n:]
	}
}

func (l *live) next() string {
	l.t.Helper()
	select {
	case s, ok := <-l.lines:
		require.True(l.t, ok, "output ended early")
		parseEvent(l.t, s)
		return s
	case <-time.After(20 * time.Second):
		l.t.Fatal("no event line while the input is open")
	}
	return ""
}

func (l *live) finish() (int, []string) {
	l.t.Helper()
	require.NoError(l.t, l.in.Close())
	var rest []string
	for s := range l.lines {
		parseEvent(l.t, s)
		rest = append(rest, s)
	}
	return <-l.done, rest
}

// TestDecodeCollectLive: on live stdin, digits.collected is written the
// moment the collection ends, while the input is still open: at the
// terminator's recognition, before that key's dtmf; at a timeout, as soon
// as the audio has reached it.
func TestDecodeCollectLive(t *testing.T) {
	t.Run("terminator", func(t *testing.T) {
		l := startLive(t, "--timestamps", "--collect", "term=#", "-")
		l.write(keyPCM(t, '7', 100))
		assert.Equal(t, `{"event":"dtmf","session_uuid":"stdin","digit":"7","duration_ms":100,"offset_ms":100}`, l.next())
		l.write(keyPCM(t, '#', 100))
		collected := parseEvent(t, l.next())
		assert.Equal(t, "digits.collected", collected.Event)
		assert.Equal(t, "7", collected.Digits)
		assert.Equal(t, "#", collected.Terminator)
		assert.Equal(t, "success", collected.Status)
		require.NotNil(t, collected.OffsetMS)
		assert.InDelta(t, 500+30, *collected.OffsetMS, 15, "ends as # is recognised")
		assert.Equal(t, `{"event":"dtmf","session_uuid":"stdin","digit":"#","duration_ms":100,"offset_ms":500}`, l.next())
		code, rest := l.finish()
		assert.Equal(t, 0, code, l.stderr.String())
		assert.Empty(t, rest)
	})
	t.Run("timeout", func(t *testing.T) {
		l := startLive(t, "--timestamps", "--collect", "first=500ms", "-")
		l.write(make([]byte, 2*8000*600/1000)) // 600 ms of silence
		assert.Equal(t, `{"event":"digits.collected","session_uuid":"stdin","command_uid":"collect-1","digits":"","terminator":"","status":"timeout","offset_ms":500}`, l.next())
		l.write(keyPCM(t, '1', 0))
		assert.Equal(t, `{"event":"dtmf","session_uuid":"stdin","digit":"1","duration_ms":100,"offset_ms":600}`, l.next())
		code, rest := l.finish()
		assert.Equal(t, 0, code, l.stderr.String())
		assert.Empty(t, rest)
	})
	t.Run("end of input", func(t *testing.T) {
		// The input ends 200 ms after the release of the 4: the inter-digit
		// timeout runs out over silence after it, at 400+3000 ms.
		l := startLive(t, "--timestamps", "--collect", "min=1", "-")
		l.write(keyPCM(t, '4', 300))
		assert.Equal(t, `{"event":"dtmf","session_uuid":"stdin","digit":"4","duration_ms":100,"offset_ms":300}`, l.next())
		code, rest := l.finish()
		assert.Equal(t, 0, code, l.stderr.String())
		assert.Equal(t, []string{`{"event":"digits.collected","session_uuid":"stdin","command_uid":"collect-1","digits":"4","terminator":"","status":"success","offset_ms":3400}`}, rest)
	})
}

// TestDecodeCollectUsage: bad collection and webhook flags are usage
// errors, with one line naming the flag and the problem.
func TestDecodeCollectUsage(t *testing.T) {
	f := writeWAV(t, t.TempDir(), "x.wav", wavfile.PCM16, 8000, 1, make([]int16, 800))
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown key", []string{"--collect", "digits=4"}, `dtmf decode: --collect "digits=4": invalid config: unknown key "digits"`},
		{"not key=value", []string{"--collect", "min4"}, `dtmf decode: --collect "min4": invalid config: "min4" is not key=value`},
		{"min over max", []string{"--collect", "min=5,max=4"}, `dtmf decode: --collect "min=5,max=4": invalid config: max=4, want min (5) to 128 (`},
		{"bad number", []string{"--collect", "min=four"}, `dtmf decode: --collect "min=four": invalid config: min=four: want a whole number (`},
		{"bad duration", []string{"--collect", "first=5"}, `dtmf decode: --collect "first=5": invalid config: first=5: want a duration such as 5s, 2500ms or 1m (`},
		{"bad pattern", []string{"--collect", "pattern=[0-9"}, `dtmf decode: --collect "pattern=[0-9": invalid config: pattern="[0-9": missing closing ] (`},
		{"empty", []string{"--collect", ""}, `dtmf decode: --collect "": no settings: give at least one key=value (--collect min=1 for the defaults)`},
		{"wait", []string{"--collect", "wait=true"}, `dtmf decode: --collect "wait=true": wait=true waits for a prompt to end, and dtmf decode plays none: start the collection where the prompt ends with --collect-at`},
		{"collect-at alone", []string{"--collect-at", "1s"}, "dtmf decode: --collect-at and --command-uid need --collect"},
		{"command-uid alone", []string{"--command-uid", "x"}, "dtmf decode: --collect-at and --command-uid need --collect"},
		{"negative collect-at", []string{"--collect=min=1", "--collect-at", "-1s"}, "dtmf decode: --collect-at -1s: want a duration ≥ 0"},
		{"empty command-uid", []string{"--collect=min=1", "--command-uid="}, `dtmf decode: --command-uid "": want a non-empty UTF-8 string`},
		{"bad utf-8 command-uid", []string{"--collect=min=1", "--command-uid=\xff"}, `dtmf decode: --command-uid "\xff": want a non-empty UTF-8 string`},
		{"webhook not http", []string{"--webhook", "ftp://example.com/x"}, `dtmf decode: --webhook: URL "ftp://example.com/x", want an absolute http or https URL`},
		{"webhook relative", []string{"--webhook", "/events"}, `dtmf decode: --webhook: URL "/events", want an absolute http or https URL`},
		{"webhook-timeout alone", []string{"--webhook-timeout", "1s"}, "dtmf decode: --webhook-timeout needs --webhook"},
		{"webhook-timeout too short", []string{"--webhook", "http://127.0.0.1:9/", "--webhook-timeout", "1ms"}, "dtmf decode: --webhook-timeout 1ms: want 10ms to 1h"},
		{"webhook-timeout too long", []string{"--webhook", "http://127.0.0.1:9/", "--webhook-timeout", "2h"}, "dtmf decode: --webhook-timeout 2h0m0s: want 10ms to 1h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, append(tt.args, f)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.True(t, strings.HasPrefix(errOut, tt.msg), "stderr %q", errOut)
			assert.True(t, strings.HasSuffix(errOut, " (run \"dtmf decode -h\" for usage)\n"), "stderr %q", errOut)
			assert.Equal(t, 1, strings.Count(errOut, "\n"))
		})
	}
	t.Run("help", func(t *testing.T) {
		code, out, _ := decodeRun(t, nil, "-h")
		assert.Equal(t, 0, code)
		for _, s := range []string{"-collect settings", "-collect-at", "-command-uid id", "-webhook URL", "-webhook-timeout",
			"min=4,max=10,term=#", `"digits.collected"`, "pattern=RE", "wait=", "dtmf decode: webhook: 9 events: 9 delivered, 0 dropped"} {
			assert.Contains(t, out, s)
		}
	})
}

// hookServer is a webhook endpoint recording what it receives.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	types  []string
}

// newHookServer answers each request with status(n), n counting requests
// from 0.
func newHookServer(t *testing.T, status func(n int) int) *hookServer {
	t.Helper()
	h := &hookServer{}
	n := 0
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		h.mu.Lock()
		code := status(n)
		n++
		if err == nil && code/100 == 2 {
			h.bodies = append(h.bodies, string(b))
			h.types = append(h.types, r.Header.Get("Content-Type"))
		}
		h.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.bodies)
}

// TestDecodeWebhook: with --webhook the events go to the endpoint, none to
// stdout: exactly the lines a stdout run prints, in order, one per
// request, as application/json; stderr gets the one-line summary.
func TestDecodeWebhook(t *testing.T) {
	pcm := loadSample(t)
	other := writeWAV(t, t.TempDir(), "other.wav", wavfile.ALaw, 8000, 1, pcm)
	args := []string{"--timestamps", "--collect", "min=4,max=10,term=#"}
	code, want, errOut := decodeRun(t, nil, append(args, samplePath, other)...)
	require.Equal(t, 0, code, errOut)
	wantLines := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	require.Len(t, wantLines, 18)

	t.Run("delivered", func(t *testing.T) {
		h := newHookServer(t, func(int) int { return http.StatusNoContent })
		code, out, errOut := decodeRun(t, nil, append(args, "--webhook", h.URL, samplePath, other)...)
		assert.Equal(t, 0, code)
		assert.Empty(t, out, "events go to the webhook instead of stdout")
		assert.Equal(t, "dtmf decode: webhook: 18 events: 18 delivered, 0 dropped\n", errOut)
		got := h.received()
		for _, b := range got {
			parseEvent(t, b)
		}
		// Each session's events arrive in order; the two files' sessions
		// may interleave.
		bySession := func(lines []string, session string) []string {
			var s []string
			for _, l := range lines {
				if strings.Contains(l, `"session_uuid":"`+session+`"`) {
					s = append(s, l)
				}
			}
			return s
		}
		assert.ElementsMatch(t, wantLines, got)
		for _, session := range []string{"sample", "other"} {
			assert.Equal(t, bySession(wantLines, session), bySession(got, session), "order of session %s", session)
		}
		h.mu.Lock()
		for _, ct := range h.types {
			assert.Equal(t, "application/json", ct)
		}
		h.mu.Unlock()
	})
	t.Run("retried", func(t *testing.T) {
		// The first two attempts fail with 503: the first event is retried.
		h := newHookServer(t, func(n int) int {
			if n < 2 {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		})
		code, out, errOut := decodeRun(t, nil, append(args, "--webhook", h.URL, samplePath)...)
		assert.Equal(t, 0, code)
		assert.Empty(t, out)
		assert.Equal(t, "dtmf decode: webhook: "+h.URL+" is failing (status 503 Service Unavailable): retrying for up to --webhook-timeout; a summary follows at exit\n"+
			"dtmf decode: webhook: 9 events: 9 delivered, 0 dropped; 1 retried (2 retries)\n", errOut)
		assert.Equal(t, wantLines[:9], h.received())
	})
}

// TestDecodeWebhookLost: events that never reach the endpoint make the
// exit status 1, and the summary says how many and why.
func TestDecodeWebhookLost(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // connections are now refused
	rejecting := newHookServer(t, func(int) int { return http.StatusNotFound })
	tests := []struct {
		name, url, counts, first, warn string
	}{
		// Each event is retried for 200 ms; at exit the command waits
		// 200 ms more, then abandons the rest.
		// The first event normally expires after its second attempt, at
		// about 100 ms; on a very slow machine the close deadline may
		// abandon it first.
		{"dead", deadURL, "9 events: 0 delivered, 9 dropped (0 rejected, ",
			`; first: (webhook: delivery gave up after .*connection refused|emit: sink closed)`,
			`(connection refused\): retrying for up to --webhook-timeout; a summary follows at exit|sink closed\): dropping the event)\n$`},
		{"rejecting", rejecting.URL, "9 events: 0 delivered, 9 dropped (9 rejected, 0 expired, 0 abandoned at exit, 0 refused)",
			`; first: webhook: endpoint rejected the event: status 404 Not Found\n`,
			`\(webhook: endpoint rejected the event: status 404 Not Found\): dropping the event\n$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, "--collect=min=1", "--webhook", tt.url, "--webhook-timeout", "200ms", samplePath)
			assert.Equal(t, 1, code)
			assert.Empty(t, out)
			lines := strings.SplitAfter(errOut, "\n")
			require.Len(t, lines, 3, "the first failure, the summary: %q", errOut) // and "" after the last \n
			assert.True(t, strings.HasPrefix(lines[0], "dtmf decode: webhook: "+tt.url+" is failing ("), "stderr %q", errOut)
			assert.Regexp(t, tt.warn, lines[0])
			assert.True(t, strings.HasPrefix(lines[1], "dtmf decode: webhook: "+tt.counts), "stderr %q", errOut)
			assert.Regexp(t, tt.first, lines[1])
		})
	}
}

// TestWebhookSinkWaits: the --webhook sink holds the decoder back instead
// of dropping events when the endpoint is slower than decoding: 40 events
// through a queue of 2 all arrive, in order. A bare webhook.Sink drops most
// of them, which shows the test can fail.
func TestWebhookSinkWaits(t *testing.T) {
	events := make([]emit.Event, 40)
	for i := range events {
		events[i] = emit.Event{Kind: emit.KindDTMF, SessionUUID: "s", Digit: '0' + byte(i%10), DurationMS: i}
	}
	slow := func(int) int { time.Sleep(2 * time.Millisecond); return http.StatusOK }
	cfg := func(url string) webhook.Config {
		c, err := webhookConfig(url, 5*time.Second)
		require.NoError(t, err)
		c.Queue, c.Workers = 2, 1
		return c
	}

	h := newHookServer(t, slow)
	s, err := newWebhookSink(cfg(h.URL), io.Discard)
	require.NoError(t, err)
	for _, e := range events {
		require.NoError(t, s.Emit(e))
	}
	summary, lost := s.close()
	assert.False(t, lost)
	assert.Equal(t, "40 events: 40 delivered, 0 dropped", summary)
	got := h.received()
	require.Len(t, got, len(events))
	for i, e := range events {
		assert.Equal(t, string(e.AppendJSON(nil)), got[i])
	}

	bare := newHookServer(t, slow)
	w, err := webhook.New(cfg(bare.URL))
	require.NoError(t, err)
	refused := 0
	for _, e := range events {
		if w.Emit(e) != nil {
			refused++
		}
	}
	require.NoError(t, w.Close())
	assert.Positive(t, refused, "without waiting, a queue of 2 overflows")
}

// TestWebhookSinkDeadEndpoint: once an event has expired, the sink stops
// waiting for room, so a dead endpoint costs about one timeout, not one per
// event: the rest are dropped at once and counted.
func TestWebhookSinkDeadEndpoint(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	c, err := webhookConfig(url, 50*time.Millisecond)
	require.NoError(t, err)
	c.Queue, c.Workers = 2, 1
	s, err := newWebhookSink(c, io.Discard)
	require.NoError(t, err)
	for i := range 30 {
		_ = s.Emit(emit.Event{Kind: emit.KindDTMF, SessionUUID: "s", Digit: '1', DurationMS: i})
	}
	summary, lost := s.close()
	assert.True(t, lost)
	assert.True(t, strings.HasPrefix(summary, "30 events: 0 delivered, 30 dropped ("), summary)
	st := s.w.Stats()
	assert.Positive(t, st.Expired, "the first events expired")
	assert.Positive(t, st.Refused, "later ones were refused, not waited for")
	assert.Equal(t, uint64(30), st.Dropped())
	assert.Contains(t, summary, fmt.Sprintf("%d expired", st.Expired))
}

// TestWebhookSinkOneEvent: the summary counts in the singular too.
func TestWebhookSinkOneEvent(t *testing.T) {
	h := newHookServer(t, func(n int) int {
		if n == 0 {
			return http.StatusTooManyRequests
		}
		return http.StatusOK
	})
	c, err := webhookConfig(h.URL, 5*time.Second)
	require.NoError(t, err)
	c.MinBackoff = time.Millisecond
	s, err := newWebhookSink(c, io.Discard)
	require.NoError(t, err)
	require.NoError(t, s.Emit(emit.Event{Kind: emit.KindDTMF, SessionUUID: "s", Digit: '#', DurationMS: 80}))
	summary, lost := s.close()
	assert.False(t, lost)
	assert.Equal(t, "1 event: 1 delivered, 0 dropped; 1 retried (1 retry)", summary)
	assert.Equal(t, []string{`{"event":"dtmf","session_uuid":"s","digit":"#","duration_ms":80}`}, h.received())
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader on other
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDecodeWebhookFailingSaysSoAtOnce: with a dead endpoint and a long
// --webhook-timeout, the first failed attempt is reported on stderr while
// the input is still open — not when the events expire — and the summary
// still comes at exit.
func TestDecodeWebhookFailingSaysSoAtOnce(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	inR, inW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"decode", "--webhook", url, "--webhook-timeout", "1s", "-"}, inR, io.Discard, &stderr)
	}()
	_, err := inW.Write(keyPCM(t, '5', 50))
	require.NoError(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), " is failing (") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	got := stderr.String()
	require.NoError(t, inW.Close())
	code := <-done
	assert.Equal(t, "dtmf decode: webhook: "+url+" is failing (", got[:min(len(got), len("dtmf decode: webhook: "+url+" is failing ("))], "reported while the input is open")
	assert.Contains(t, got, "retrying for up to --webhook-timeout")
	assert.Equal(t, 1, strings.Count(got, "\n"), "one line: %q", got)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "dtmf decode: webhook: 1 event: 0 delivered, 1 dropped")
}

// TestDecodeCollectPIN: the README's "4 digits then #". With max=4 the 4th
// digit ends the collection and the # is a stray dtmf event after it; with
// max=5,term=#,pattern=[0-9]{4} the # ends it as terminator; 5 digits are
// an invalid entry; 4 digits and silence succeed without a terminator.
func TestDecodeCollectPIN(t *testing.T) {
	dir := t.TempDir()
	wav := func(digits string) string {
		path := filepath.Join(dir, strings.ReplaceAll(digits, "#", "H")+".wav")
		code, _, errOut := genRun(t, "--digits", digits, "--tone", "80", "--pause", "120", "--manifest", "none", path)
		require.Equal(t, 0, code, errOut)
		return path
	}
	const pin = "min=4,max=5,term=#,pattern=[0-9]{4}"
	tests := []struct {
		name, digits, spec string
		want               event
		hashAfter          bool // a dtmf # comes after the digits.collected
	}{
		{"max=4 leaves the # out", "1234#", "min=4,max=4,term=#", event{Digits: "1234", Terminator: "", Status: "success"}, true},
		{"4 digits then #", "1234#", pin, event{Digits: "1234", Terminator: "#", Status: "success"}, true},
		{"5 digits", "12345#", pin, event{Digits: "12345", Terminator: "", Status: "failure"}, true},
		{"4 digits, no #", "1234", pin, event{Digits: "1234", Terminator: "", Status: "success"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, "--collect", tt.spec, wav(tt.digits))
			require.Equal(t, 0, code, errOut)
			evs := parseEvents(t, out)
			var got *event
			hashAfter := false
			for i := range evs {
				if evs[i].Event == "digits.collected" {
					got = &evs[i]
				} else if got != nil && evs[i].Digit == "#" {
					hashAfter = true
				}
			}
			require.NotNil(t, got)
			assert.Equal(t, tt.want.Digits, got.Digits)
			assert.Equal(t, tt.want.Terminator, got.Terminator)
			assert.Equal(t, tt.want.Status, got.Status)
			assert.Equal(t, tt.hashAfter, hashAfter, "a dtmf # after the result")
		})
	}
}
