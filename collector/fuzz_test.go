package collector

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// fuzzConfigs are the valid configurations a fuzz input chooses from.
var fuzzConfigs = []Config{
	DefaultConfig(),
	cfgWith(func(c *Config) { c.MinDigits, c.MaxDigits, c.Tries = 4, 4, 3 }),
	cfgWith(func(c *Config) { c.Terminators, c.MaxDigits, c.Pattern = "*#", 6, "1[0-9]*" }),
	cfgWith(func(c *Config) { c.TypeAhead, c.MinDigits, c.Tries = 3*time.Second, 2, 2 }),
	cfgWith(func(c *Config) {
		c.OverallTimeout, c.WaitForPrompt, c.Tries, c.FirstDigitTimeout = 4*time.Second, true, 5, 500*time.Millisecond
	}),
	cfgWith(func(c *Config) { c.Terminators, c.MaxDigits, c.InterDigitTimeout = "", 3, 100*time.Millisecond }),
}

// hostilePatterns are the patterns a hostile config chooses from: none,
// valid ones, and ones that do not compile.
var hostilePatterns = []string{"", "1[0-9]*", "[0-9]{2,4}", "(12|34)#?", "(", "[", "a**", `\8`, "*"}

// hostileConfig builds a collection config from 8 bytes of in, every field
// possibly out of its range: digit counts 0 to 135, terminators of any
// bytes, timeouts from -10 ms to about 1 h 10 min (some exactly 0), tries
// 0 to 103, a pattern of hostilePatterns.
func hostileConfig(in []byte) Config {
	b := func(i int) int { return int(in[i%len(in)]) }
	dur := func(v int) time.Duration {
		if v%7 == 0 {
			return 0
		}
		return time.Duration(v-1)*17*time.Second - 10*time.Millisecond
	}
	var term []byte
	for i := range b(2) % 4 {
		k := byte(b(3 + i))
		if k < 200 {
			k = detector.Keys[k%16]
		}
		term = append(term, k)
	}
	return Config{
		MinDigits:         b(0) % 136,
		MaxDigits:         b(1) % 136,
		Terminators:       string(term),
		FirstDigitTimeout: dur(b(4)),
		InterDigitTimeout: dur(b(5)),
		OverallTimeout:    dur(b(6)) % (25 * time.Hour),
		Pattern:           hostilePatterns[b(7)%len(hostilePatterns)],
		Tries:             b(6) % 104,
		TypeAhead:         dur(b(3)) / 2,
		WaitForPrompt:     b(5)%3 == 0,
	}
}

// Fuzz input dialects: the first byte of an input chooses how the rest is
// read.
const (
	// dialectWellFormed reads a stream a detector and a host could produce:
	// key-downs and key-ups in order (a held key is released before the
	// next goes down), the clock moving forward, Start, Abort, PromptDone.
	dialectWellFormed = iota
	// dialectHostile reads arbitrary calls: events of any type and digit
	// byte, at positions before the clock, with starts and ends anywhere;
	// clock moves backwards; configs with any field out of range and
	// patterns that do not compile; empty command uids; Start while
	// running; Hangup and Reset at any moment.
	dialectHostile
	dialects
)

// FuzzCollector drives a collector with a fuzz input read in one of two
// dialects (see dialectWellFormed, dialectHostile) and checks, after every
// call, the properties that hold for any input:
//
//   - nothing panics;
//   - a call that fails returns no signal, changes nothing at all, wraps
//     exactly the documented sentinel (ErrEvent, ErrClock, ErrConfig or
//     ErrBusy, chosen as documented) and says so on one line; a
//     well-formed call never fails;
//   - the clock never goes backwards (but at Reset);
//   - BargeIn and Retry come only while collecting, Try stays within
//     1..Tries while running and is 0 otherwise, Running matches;
//   - every collection ends with exactly one Done (or is discarded by
//     Reset); a Done without Retry follows at most Tries-1 retries; its
//     result satisfies checkResult (status in the set, valid contract
//     event, digits at most MaxDigits and at least MinDigits on success,
//     terminators where they belong, status consistent with the reason)
//     and has 1 to Tries tries.
func FuzzCollector(f *testing.F) {
	wf := func(b ...byte) []byte { return append([]byte{dialectWellFormed}, b...) }
	h := func(b ...byte) []byte { return append([]byte{dialectHostile}, b...) }
	f.Add(wf(3, 0, 0, 5, 1, 1, 5, 2, 1, 5, 3, 1))
	f.Add(wf(3, 1, 0, 5, 255, 2, 255, 2, 255, 2, 255))
	f.Add(wf(0, 3, 1, 0, 14, 1, 3, 3, 2, 40, 0, 1, 1, 0, 14, 1))
	f.Add(wf(3, 4, 2, 250, 5, 2, 200, 0, 9, 1, 4, 3, 5))
	f.Add(h(2, 4, 4, 1, 35, 9, 9, 9, 9, 0, 1, 5, 0, 7, 0, 1, 2, 6, 0, 2, 9, 0, 1, 14, 0, 1, 5))
	f.Add(h(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 255, 3, 40, 0, 2, 200, 200, 1, 0, 0, 8, 2))
	f.Add(h(2, 1, 1, 1, 2, 3, 2, 1, 0, 0, 1, 12, 0, 5, 1, 0, 0, 1, 128, 0, 1, 1, 2, 200, 100, 6, 2, 3, 3, 3, 3, 3, 3, 3, 3))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := New(rate)
		require.NoError(t, err)
		d := &fuzzDriver{t: t, c: c, in: in}
		step := d.wellFormed
		if d.next()%dialects == dialectHostile {
			step = d.hostile
		}
		for len(d.in) > 0 {
			step()
		}
		d.after("Hangup", *c, c.Hangup(), nil)
		require.False(t, c.Running())
		require.Equal(t, d.starts, d.dones, "one result per collection")
	})
}

// fuzzDriver is the state of one FuzzCollector run: the input left, the
// collector, and what the harness knows it should be doing.
type fuzzDriver struct {
	t  *testing.T
	c  *Collector
	in []byte

	cfg        Config // of the running collection
	collecting bool
	startPos   int64
	starts     int
	dones      int
	retries    int // Retry signals of the running collection

	held   byte // well-formed dialect: the key held down, or 0
	heldAt int64
}

// next consumes one byte of input (0 once it is used up).
func (d *fuzzDriver) next() byte {
	if len(d.in) == 0 {
		return 0
	}
	b := d.in[0]
	d.in = d.in[1:]
	return b
}

// after checks the outcome of one call; before is the state it started
// from.
func (d *fuzzDriver) after(name string, before Collector, sig Signal, err error) {
	t, c := d.t, d.c
	t.Helper()
	if err != nil {
		if sig != 0 {
			t.Fatalf("%s: signal %v with error %v", name, sig, err)
		}
		if !reflect.DeepEqual(before, *c) {
			t.Fatalf("%s: failed with %v but changed the collector:\nbefore %+v\nafter  %+v", name, err, before, *c)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s: error on two lines: %q", name, err)
		}
		return
	}
	if c.Position() < before.now {
		t.Fatalf("%s: clock went back from %d to %d", name, before.now, c.Position())
	}
	if sig&(Retry|BargeIn) != 0 && !d.collecting {
		t.Fatalf("%s: %v without a collection", name, sig)
	}
	if sig&Retry != 0 {
		d.retries++ // a jump may fold several retries into one signal
	}
	if sig&Done != 0 {
		if !d.collecting || c.Running() {
			t.Fatalf("%s: Done, collecting %v, running %v", name, d.collecting, c.Running())
		}
		d.collecting = false
		d.dones++
		r := c.Result()
		checkResult(t, r, d.cfg, d.startPos, c.Position())
		if sig&Retry == 0 {
			assert.LessOrEqual(t, d.retries, r.Tries-1, "%s: retries before the result", name)
		}
		assert.LessOrEqual(t, r.Tries, d.cfg.Tries)
		assert.GreaterOrEqual(t, r.Tries, 1)
		d.retries = 0
	}
	if c.Running() != d.collecting {
		t.Fatalf("%s: running %v, expected %v", name, c.Running(), d.collecting)
	}
	if tr := c.Try(); (d.collecting && (tr < 1 || tr > d.cfg.Tries)) || (!d.collecting && tr != 0) {
		t.Fatalf("%s: Try %d of %d", name, tr, d.cfg.Tries)
	}
}

// key feeds ev, which must be accepted.
func (d *fuzzDriver) key(ev detector.Event) {
	before := *d.c
	sig, err := d.c.Key(ev)
	require.NoError(d.t, err, "%+v", ev)
	require.Equal(d.t, ev.At, d.c.Position())
	d.after("Key", before, sig, err)
}

// start calls Start(uid, k) and checks that it fails exactly as documented.
func (d *fuzzDriver) start(uid string, k Config) {
	before := *d.c
	verr := k.Validate()
	sig, err := d.c.Start(uid, k)
	switch {
	case before.running:
		require.ErrorIs(d.t, err, ErrBusy)
	case uid == "" || verr != nil:
		require.ErrorIs(d.t, err, ErrConfig)
		if verr != nil && uid != "" {
			require.Equal(d.t, verr.Error(), err.Error())
		}
	default:
		require.NoError(d.t, err, "%+v", k)
		d.cfg, d.collecting, d.startPos, d.retries = k, true, d.c.Position(), 0
		d.starts++
	}
	d.after("Start", before, sig, err)
}

// wellFormed reads one call of the well-formed dialect.
func (d *fuzzDriver) wellFormed() {
	c := d.c
	switch d.next() % 6 {
	case 0: // key down (releasing a held key first, as the detector does)
		k := detector.Keys[d.next()%16]
		if d.held != 0 {
			pos := c.Position() + 40
			d.key(detector.Event{Type: detector.KeyUp, Digit: d.held, Start: d.heldAt, End: pos - 35, At: pos})
		}
		pos := c.Position() + 40 + int64(d.next())
		d.key(detector.Event{Type: detector.KeyDown, Digit: k, Start: pos - 30, At: pos})
		d.held, d.heldAt = k, pos-30
	case 1: // key up
		if d.held == 0 {
			return
		}
		pos := c.Position() + 40 + 10*int64(d.next())
		d.key(detector.Event{Type: detector.KeyUp, Digit: d.held, Start: d.heldAt, End: pos - 35, At: pos})
		d.held = 0
	case 2: // the clock moves
		before := *c
		pos := c.Position() + 37*int64(d.next())
		sig, err := c.AdvanceTo(pos)
		require.NoError(d.t, err)
		d.after("AdvanceTo", before, sig, err)
	case 3:
		d.start("cmd", fuzzConfigs[int(d.next())%len(fuzzConfigs)])
	case 4:
		d.after("Abort", *c, c.Abort(), nil)
	case 5:
		before := *c
		c.PromptDone()
		d.after("PromptDone", before, 0, nil)
	}
}

// hostile reads one call of the hostile dialect.
func (d *fuzzDriver) hostile() {
	t, c := d.t, d.c
	delta := func() int64 { return int64(int8(d.next())) * 37 }
	before := *c
	switch d.next() % 8 {
	case 0, 1: // a key event, well formed or not
		typ := detector.EventType(d.next() % 4)
		digit := d.next()
		if digit < 224 {
			digit = detector.Keys[digit%16]
		}
		at := c.Position() + delta()
		ev := detector.Event{Type: typ, Digit: digit, At: at, Start: at + delta(), End: at + delta()}
		sig, err := c.Key(ev)
		switch {
		case keyIndex(digit) < 0 || (typ != detector.KeyDown && typ != detector.KeyUp):
			require.ErrorIs(t, err, ErrEvent, "%+v", ev)
		case at < before.now:
			require.ErrorIs(t, err, ErrClock, "%+v", ev)
		default:
			require.NoError(t, err, "%+v", ev)
			require.Equal(t, at, c.Position())
		}
		d.after("Key", before, sig, err)
	case 2: // the clock moves, maybe backwards
		pos := c.Position() + 4*delta()
		sig, err := c.AdvanceTo(pos)
		if pos < before.now {
			require.ErrorIs(t, err, ErrClock)
		} else {
			require.NoError(t, err)
			require.Equal(t, pos, c.Position())
		}
		d.after("AdvanceTo", before, sig, err)
	case 3: // start, with any config and maybe no uid
		var k Config
		if sel := d.next(); sel < 128 {
			k = fuzzConfigs[int(sel)%len(fuzzConfigs)]
		} else {
			var raw [8]byte
			for i := range raw {
				raw[i] = d.next()
			}
			k = hostileConfig(raw[:])
		}
		uid := "cmd"
		if d.next()%5 == 0 {
			uid = ""
		}
		d.start(uid, k)
	case 4:
		d.after("Abort", before, c.Abort(), nil)
	case 5:
		c.PromptDone()
		d.after("PromptDone", before, 0, nil)
	case 6:
		d.after("Hangup", before, c.Hangup(), nil)
	case 7: // positions restart: a running collection is discarded
		if d.next()%4 != 0 {
			return
		}
		c.Reset()
		if d.collecting {
			d.collecting = false
			d.starts--
		}
		require.Zero(t, c.Position())
		require.Equal(t, Result{}, c.Result())
		d.startPos, d.retries = 0, 0
	}
}

func checkResult(t *testing.T, r Result, cfg Config, startPos, pos int64) {
	t.Helper()
	ev := contractEvent(t, r)
	require.NoError(t, ev.Validate(), "the result is not a valid digits.collected event")
	assert.LessOrEqual(t, len(r.Digits), cfg.MaxDigits)
	assert.GreaterOrEqual(t, r.End, startPos)
	assert.LessOrEqual(t, r.End, pos)
	assert.False(t, strings.ContainsAny(r.Digits, cfg.Terminators), "digits %q hold a terminator of %q", r.Digits, cfg.Terminators)
	if r.Terminator != 0 {
		assert.Contains(t, cfg.Terminators, string(r.Terminator))
	}
	matches := cfg.Pattern == "" || regexp.MustCompile("^(?:"+cfg.Pattern+")$").MatchString(r.Digits)
	switch r.Status {
	case StatusSuccess:
		assert.GreaterOrEqual(t, len(r.Digits), cfg.MinDigits)
		assert.True(t, matches, "success with digits %q not matching %q", r.Digits, cfg.Pattern)
	case StatusTimeout:
		assert.Less(t, len(r.Digits), cfg.MinDigits)
	case StatusFailure, StatusUnknown:
	default:
		t.Fatalf("status %v", r.Status)
	}
	switch r.Reason {
	case ReasonMaxDigits:
		assert.Len(t, r.Digits, cfg.MaxDigits)
		assert.Equal(t, StatusSuccess, r.Status)
		assert.Zero(t, r.Terminator)
	case ReasonTerminator:
		assert.NotZero(t, r.Terminator)
		assert.Equal(t, StatusSuccess, r.Status)
	case ReasonTooFewDigits:
		assert.NotZero(t, r.Terminator)
		assert.Less(t, len(r.Digits), cfg.MinDigits)
		assert.Equal(t, StatusFailure, r.Status)
	case ReasonPatternMismatch:
		assert.False(t, matches)
		assert.Equal(t, StatusFailure, r.Status)
	case ReasonFirstDigitTimeout:
		assert.Empty(t, r.Digits)
		assert.Equal(t, StatusTimeout, r.Status)
	case ReasonInterDigitTimeout, ReasonOverallTimeout:
		assert.Zero(t, r.Terminator)
		assert.Contains(t, []Status{StatusSuccess, StatusTimeout}, r.Status)
	case ReasonHangup:
		assert.Equal(t, StatusFailure, r.Status)
	case ReasonAbort:
		assert.Equal(t, StatusUnknown, r.Status)
	default:
		t.Fatalf("reason %v", r.Reason)
	}
}
