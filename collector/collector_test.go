package collector

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
)

// The tests run the clock at 1000 Hz, so positions read as milliseconds.
const rate = 1000

// latency is how long after a tone's start the tests' detector confirms it,
// and release how long after its end it reports the release.
const latency, release = 30, 40

type op uint8

const (
	opStart op = iota
	opDown
	opUp
	opAdvance
	opAbort
	opHangup
	opPrompt
)

// step is one call on the collector and the signals it must return.
type step struct {
	op   op
	key  byte
	at   int64 // At of a key event (KeyUp: its release is at-release); AdvanceTo position
	want Signal
	cfg  *Config // opStart: nil means the case's config
}

func down(k byte, at int64, want Signal) step { return step{op: opDown, key: k, at: at, want: want} }
func up(k byte, at int64, want Signal) step   { return step{op: opUp, key: k, at: at, want: want} }
func adv(pos int64, want Signal) step         { return step{op: opAdvance, at: pos, want: want} }
func start(want Signal) step                  { return step{op: opStart, want: want} }

// press is a key-down at at and its key-up 100 ms of tone later.
func press(k byte, at int64, wantDown, wantUp Signal) []step {
	return []step{down(k, at, wantDown), up(k, at-latency+100+release, wantUp)}
}

func seq(parts ...any) []step {
	var out []step
	for _, p := range parts {
		switch v := p.(type) {
		case step:
			out = append(out, v)
		case []step:
			out = append(out, v...)
		}
	}
	return out
}

// play runs steps on c, checking each step's signals, and returns them.
func play(t *testing.T, c *Collector, cfg Config, steps []step) {
	t.Helper()
	for i, s := range steps {
		var got Signal
		var err error
		switch s.op {
		case opStart:
			k := cfg
			if s.cfg != nil {
				k = *s.cfg
			}
			got, err = c.Start("cmd-1", k)
		case opDown:
			got, err = c.Key(detector.Event{Type: detector.KeyDown, Digit: s.key, Start: s.at - latency, At: s.at})
		case opUp:
			end := s.at - release
			got, err = c.Key(detector.Event{Type: detector.KeyUp, Digit: s.key, Start: end - 100, End: end, At: s.at})
		case opAdvance:
			got, err = c.AdvanceTo(s.at)
		case opAbort:
			got = c.Abort()
		case opHangup:
			got = c.Hangup()
		case opPrompt:
			c.PromptDone()
		}
		require.NoError(t, err, "step %d", i)
		assert.Equal(t, s.want, got, "step %d (op %d key %q at %d): signals %v, want %v", i, s.op, s.key, s.at, got, s.want)
	}
}

func cfgWith(f func(*Config)) Config {
	c := DefaultConfig()
	f(&c)
	return c
}

func TestCollectorRules(t *testing.T) {
	four := cfgWith(func(c *Config) { c.MinDigits, c.MaxDigits = 4, 4 })
	tests := []struct {
		name  string
		cfg   Config
		steps []step
		want  Result
	}{
		{
			name: "max digits reached ends at the key-down",
			cfg:  four,
			steps: seq(start(0), press('1', 100, BargeIn, 0), press('2', 300, 0, 0), press('3', 500, 0, 0),
				down('4', 700, Done)),
			want: Result{Digits: "1234", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 1, End: 700},
		},
		{
			name:  "terminator ends at once and is not a digit",
			cfg:   DefaultConfig(),
			steps: seq(start(0), press('1', 100, BargeIn, 0), press('2', 300, 0, 0), down('#', 500, Done)),
			want:  Result{Digits: "12", Terminator: '#', Status: StatusSuccess, Reason: ReasonTerminator, Tries: 1, End: 500},
		},
		{
			name:  "terminator before min digits is invalid",
			cfg:   four,
			steps: seq(start(0), press('1', 100, BargeIn, 0), down('#', 500, Done)),
			want:  Result{Digits: "1", Terminator: '#', Status: StatusFailure, Reason: ReasonTooFewDigits, Tries: 1, End: 500},
		},
		{
			name:  "terminator as first key is invalid and still barges in",
			cfg:   DefaultConfig(),
			steps: seq(start(0), down('#', 500, BargeIn|Done)),
			want:  Result{Terminator: '#', Status: StatusFailure, Reason: ReasonTooFewDigits, Tries: 1, End: 500},
		},
		{
			name:  "terminator that is also a valid digit terminates",
			cfg:   cfgWith(func(c *Config) { c.Terminators, c.Pattern = "5", "[0-9]+" }),
			steps: seq(start(0), press('1', 100, BargeIn, 0), down('5', 300, Done)),
			want:  Result{Digits: "1", Terminator: '5', Status: StatusSuccess, Reason: ReasonTerminator, Tries: 1, End: 300},
		},
		{
			name:  "no terminators: # is a digit",
			cfg:   cfgWith(func(c *Config) { c.Terminators, c.MaxDigits = "", 2 }),
			steps: seq(start(0), press('#', 100, BargeIn, 0), down('*', 300, Done)),
			want:  Result{Digits: "#*", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 1, End: 300},
		},
		{
			name:  "first-digit timeout, to the sample",
			cfg:   DefaultConfig(),
			steps: seq(start(0), adv(4999, 0), adv(5000, Done)),
			want:  Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 1, End: 5000},
		},
		{
			name: "inter-digit timeout after min digits is success",
			cfg:  cfgWith(func(c *Config) { c.MinDigits = 2 }),
			// '2' is released at 300-30+100 = 370: the timer runs out at 3370.
			steps: seq(start(0), press('1', 100, BargeIn, 0), press('2', 300, 0, 0), adv(3369, 0), adv(3370, Done)),
			want:  Result{Digits: "12", Status: StatusSuccess, Reason: ReasonInterDigitTimeout, Tries: 1, End: 3370},
		},
		{
			name:  "inter-digit timeout before min digits is a timeout",
			cfg:   four,
			steps: seq(start(0), press('1', 100, BargeIn, 0), adv(3169, 0), adv(3170, Done)),
			want:  Result{Digits: "1", Status: StatusTimeout, Reason: ReasonInterDigitTimeout, Tries: 1, End: 3170},
		},
		{
			name: "key held across the inter-digit timeout",
			cfg:  cfgWith(func(c *Config) { c.MinDigits = 2 }),
			// '2' goes down at 300 and is held for 10 s: no timeout until
			// 3 s after its release at 10270.
			steps: seq(start(0), press('1', 100, BargeIn, 0), down('2', 300, 0), adv(9000, 0),
				up('2', 10270+release, 0), adv(13269, 0), adv(13270, Done)),
			want: Result{Digits: "12", Status: StatusSuccess, Reason: ReasonInterDigitTimeout, Tries: 1, End: 13270},
		},
		{
			name: "key held across the first-digit timeout",
			cfg:  DefaultConfig(),
			// Confirmed at 4900, held until 8000: the first-digit timer
			// stopped at the key-down, the inter-digit timer starts at the
			// release.
			steps: seq(start(0), down('7', 4900, BargeIn), adv(8000, 0), up('7', 8000+release, 0), adv(11000, Done)),
			want:  Result{Digits: "7", Status: StatusSuccess, Reason: ReasonInterDigitTimeout, Tries: 1, End: 11000},
		},
		{
			name:  "a key confirmed at the deadline sample is too late",
			cfg:   DefaultConfig(),
			steps: seq(start(0), down('1', 5000, Done), up('1', 5200, 0)),
			want:  Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 1, End: 5000},
		},
		{
			name:  "a key confirmed one sample before the deadline counts",
			cfg:   cfgWith(func(c *Config) { c.MaxDigits = 1 }),
			steps: seq(start(0), down('1', 4999, BargeIn|Done)),
			want:  Result{Digits: "1", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 1, End: 4999},
		},
		{
			name: "pattern fails on the only try",
			cfg:  cfgWith(func(c *Config) { c.MinDigits, c.MaxDigits, c.Pattern = 4, 4, "1[0-9]{3}" }),
			steps: seq(start(0), press('2', 100, BargeIn, 0), press('3', 300, 0, 0), press('4', 500, 0, 0),
				down('5', 700, Done)),
			want: Result{Digits: "2345", Status: StatusFailure, Reason: ReasonPatternMismatch, Tries: 1, End: 700},
		},
		{
			name: "pattern applies to the whole digit string",
			cfg:  cfgWith(func(c *Config) { c.Pattern = "12" }),
			steps: seq(start(0), press('1', 100, BargeIn, 0), press('2', 300, 0, 0), press('3', 500, 0, 0),
				down('#', 700, Done)),
			want: Result{Digits: "123", Terminator: '#', Status: StatusFailure, Reason: ReasonPatternMismatch, Tries: 1, End: 700},
		},
		{
			name: "pattern fails, second try matches",
			cfg:  cfgWith(func(c *Config) { c.MinDigits, c.MaxDigits, c.Pattern, c.Tries = 2, 2, "1[0-9]", 2 }),
			steps: seq(start(0), press('2', 100, BargeIn, 0), down('3', 300, Retry),
				up('3', 300-latency+100+release, 0), // the retry's first key is still up
				press('1', 900, BargeIn, 0), down('9', 1100, Done)),
			want: Result{Digits: "19", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 2, End: 1100},
		},
		{
			name: "tries all time out",
			cfg:  cfgWith(func(c *Config) { c.Tries = 3 }),
			steps: seq(start(0), adv(5000, Retry), adv(9999, 0), adv(10000, Retry),
				adv(15000, Done)),
			want: Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 3, End: 15000},
		},
		{
			name:  "a jump across several tries reports them together",
			cfg:   cfgWith(func(c *Config) { c.Tries = 3; c.FirstDigitTimeout = time.Second }),
			steps: seq(start(0), adv(60000, Retry|Done)),
			want:  Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 3, End: 3000},
		},
		{
			name: "invalid then timeout ends as timeout",
			cfg:  cfgWith(func(c *Config) { c.MinDigits, c.Tries = 2, 2 }),
			steps: seq(start(0), press('1', 100, BargeIn, 0), down('#', 300, Retry),
				adv(5299, 0), adv(5300, Done)),
			want: Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 2, End: 5300},
		},
		{
			name:  "timeout then invalid ends as failure",
			cfg:   cfgWith(func(c *Config) { c.MinDigits, c.Tries = 2, 2 }),
			steps: seq(start(0), adv(5000, Retry), press('1', 5100, BargeIn, 0), down('#', 5300, Done)),
			want:  Result{Digits: "1", Terminator: '#', Status: StatusFailure, Reason: ReasonTooFewDigits, Tries: 2, End: 5300},
		},
		{
			name: "overall timeout ends the tries",
			cfg: cfgWith(func(c *Config) {
				c.Tries, c.OverallTimeout = 3, 7*time.Second
			}),
			steps: seq(start(0), adv(5000, Retry), adv(6999, 0), adv(7000, Done)),
			want:  Result{Status: StatusTimeout, Reason: ReasonOverallTimeout, Tries: 2, End: 7000},
		},
		{
			name: "overall timeout with min digits is success",
			cfg: cfgWith(func(c *Config) {
				c.MinDigits, c.OverallTimeout = 2, 2*time.Second
			}),
			steps: seq(start(0), press('1', 100, BargeIn, 0), press('2', 300, 0, 0), down('3', 1900, 0),
				adv(2000, Done)),
			want: Result{Digits: "123", Status: StatusSuccess, Reason: ReasonOverallTimeout, Tries: 1, End: 2000},
		},
		{
			name:  "hangup during collection is a failure",
			cfg:   DefaultConfig(),
			steps: seq(start(0), press('4', 100, BargeIn, 0), step{op: opHangup, want: Done}),
			want:  Result{Digits: "4", Status: StatusFailure, Reason: ReasonHangup, Tries: 1, End: 210},
		},
		{
			name:  "abort is unknown",
			cfg:   DefaultConfig(),
			steps: seq(start(0), press('4', 100, BargeIn, 0), adv(1000, 0), step{op: opAbort, want: Done}),
			want:  Result{Digits: "4", Status: StatusUnknown, Reason: ReasonAbort, Tries: 1, End: 1000},
		},
		{
			name:  "wait for prompt holds the first-digit timer",
			cfg:   cfgWith(func(c *Config) { c.WaitForPrompt = true }),
			steps: seq(start(0), adv(60000, 0), step{op: opPrompt}, adv(64999, 0), adv(65000, Done)),
			want:  Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 1, End: 65000},
		},
		{
			name:  "prompt done restarts the first-digit timer",
			cfg:   DefaultConfig(),
			steps: seq(start(0), adv(4000, 0), step{op: opPrompt}, adv(8999, 0), adv(9000, Done)),
			want:  Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 1, End: 9000},
		},
		{
			name: "prompt done after a key changes nothing",
			cfg:  cfgWith(func(c *Config) { c.MinDigits = 2 }),
			steps: seq(start(0), press('1', 100, BargeIn, 0), adv(2000, 0), step{op: opPrompt},
				adv(3170, Done)),
			want: Result{Digits: "1", Status: StatusTimeout, Reason: ReasonInterDigitTimeout, Tries: 1, End: 3170},
		},
		{
			name: "keys before start are ignored without type-ahead",
			cfg:  cfgWith(func(c *Config) { c.MaxDigits = 2 }),
			steps: seq(press('1', 100, 0, 0), press('2', 300, 0, 0), adv(1000, 0), start(0),
				press('3', 1100, BargeIn, 0), down('4', 1300, Done)),
			want: Result{Digits: "34", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 1, End: 1300},
		},
		{
			name: "a key held at start does not count without type-ahead",
			cfg:  cfgWith(func(c *Config) { c.MaxDigits = 2 }),
			steps: seq(down('1', 100, 0), adv(1000, 0), start(0), adv(1500, 0), up('1', 2000, 0),
				adv(5999, 0), adv(6000, Done)),
			want: Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 1, End: 6000},
		},
		{
			name: "type-ahead replays recent keys only",
			cfg:  cfgWith(func(c *Config) { c.TypeAhead, c.MaxDigits = 2*time.Second, 3 }),
			// At start (3000) the window reaches back to 1000: '1' (at 100)
			// is too old, '2' and '3' count.
			steps: seq(press('1', 100, 0, 0), press('2', 1000, 0, 0), press('3', 2500, 0, 0), adv(3000, 0),
				start(BargeIn), down('4', 3200, Done)),
			want: Result{Digits: "234", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 1, End: 3200},
		},
		{
			name: "type-ahead can complete the collection at start",
			cfg:  cfgWith(func(c *Config) { c.TypeAhead = 10 * time.Second }),
			steps: seq(press('1', 100, 0, 0), press('2', 300, 0, 0), press('#', 500, 0, 0), adv(1000, 0),
				start(BargeIn|Done)),
			want: Result{Digits: "12", Terminator: '#', Status: StatusSuccess, Reason: ReasonTerminator, Tries: 1, End: 1000},
		},
		{
			name:  "type-ahead replayed keys arm the inter-digit timer at start",
			cfg:   cfgWith(func(c *Config) { c.TypeAhead = 10 * time.Second }),
			steps: seq(press('1', 100, 0, 0), adv(1000, 0), start(BargeIn), adv(3999, 0), adv(4000, Done)),
			want:  Result{Digits: "1", Status: StatusSuccess, Reason: ReasonInterDigitTimeout, Tries: 1, End: 4000},
		},
		{
			name: "type-ahead key still held counts and holds the timer",
			cfg:  cfgWith(func(c *Config) { c.TypeAhead = 10 * time.Second }),
			steps: seq(down('1', 100, 0), adv(1000, 0), start(BargeIn), adv(9000, 0),
				up('1', 10000+release, 0), adv(12999, 0), adv(13000, Done)),
			want: Result{Digits: "1", Status: StatusSuccess, Reason: ReasonInterDigitTimeout, Tries: 1, End: 13000},
		},
		{
			name: "max digits reached while the key is down: its release is ignored",
			cfg:  cfgWith(func(c *Config) { c.MaxDigits = 1; c.TypeAhead = 10 * time.Second }),
			steps: seq(start(0), down('1', 100, BargeIn|Done), adv(500, 0),
				start(0), // '1' is still down but was consumed: no type-ahead
				up('1', 1000, 0), adv(5499, 0), adv(5500, Done)),
			want: Result{Status: StatusTimeout, Reason: ReasonFirstDigitTimeout, Tries: 1, End: 5500},
		},
		{
			name: "barge-in is reported on the first key of every try",
			cfg:  cfgWith(func(c *Config) { c.MinDigits, c.MaxDigits, c.Tries = 2, 2, 3 }),
			steps: seq(start(0), down('#', 100, BargeIn|Retry), up('#', 300, 0), down('#', 500, BargeIn|Retry),
				up('#', 700, 0), press('1', 900, BargeIn, 0), down('2', 1100, Done)),
			want: Result{Digits: "12", Status: StatusSuccess, Reason: ReasonMaxDigits, Tries: 3, End: 1100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(rate)
			require.NoError(t, err)
			play(t, c, tt.cfg, tt.steps)
			assert.False(t, c.Running(), "collection still running")
			want := tt.want
			want.CommandUID = "cmd-1"
			assert.Equal(t, want, c.Result())
			ev := contractEvent(t, want)
			assert.NoError(t, ev.Validate(), "the result is a valid contract event")
		})
	}
}

func TestCollectorStartWhileRunning(t *testing.T) {
	c, err := New(rate)
	require.NoError(t, err)
	_, err = c.Start("first", DefaultConfig())
	require.NoError(t, err)
	_, err = c.Key(detector.Event{Type: detector.KeyDown, Digit: '1', Start: 70, At: 100})
	require.NoError(t, err)

	_, err = c.Start("second", DefaultConfig())
	assert.ErrorIs(t, err, ErrBusy)
	assert.True(t, c.Running())
	assert.Equal(t, 1, c.Try())

	assert.Equal(t, Done, c.Abort())
	r := c.Result()
	assert.Equal(t, "first", r.CommandUID)
	assert.Equal(t, "1", r.Digits)
	assert.Equal(t, StatusUnknown, r.Status)
	assert.Equal(t, Signal(0), c.Abort(), "nothing left to abort")

	sig, err := c.Start("second", DefaultConfig())
	require.NoError(t, err)
	assert.Equal(t, Signal(0), sig, "the key of the first collection is not type-ahead")
	assert.Equal(t, "first", c.Result().CommandUID, "the last result stays while the next collection runs")
	_, err = c.Key(detector.Event{Type: detector.KeyUp, Digit: '1', Start: 70, End: 200, At: 240})
	require.NoError(t, err)
	sig, err = c.AdvanceTo(240 + 5000)
	require.NoError(t, err)
	assert.Equal(t, Done, sig)
	assert.Equal(t, "second", c.Result().CommandUID)
	assert.Equal(t, StatusTimeout, c.Result().Status)
}

func TestCollectorResultDigitsStayValid(t *testing.T) {
	// A result's Digits must not change when the next collection writes
	// its own digits.
	c, err := New(rate)
	require.NoError(t, err)
	cfg := cfgWith(func(c *Config) { c.MaxDigits = 3 })
	var results []Result
	pos := int64(0)
	for _, digits := range []string{"123", "456", "789"} {
		_, err := c.Start("c", cfg)
		require.NoError(t, err)
		for i := range len(digits) {
			pos += 200
			_, err := c.Key(detector.Event{Type: detector.KeyDown, Digit: digits[i], Start: pos - 30, At: pos})
			require.NoError(t, err)
			_, err = c.Key(detector.Event{Type: detector.KeyUp, Digit: digits[i], Start: pos - 30, End: pos + 70, At: pos + 110})
			require.NoError(t, err)
		}
		require.False(t, c.Running())
		results = append(results, c.Result())
	}
	for i, want := range []string{"123", "456", "789"} {
		assert.Equal(t, want, results[i].Digits)
	}
}

func TestCollectorTypeAheadKeepsWhatItDoesNotUse(t *testing.T) {
	// "12345" typed ahead with MaxDigits 2: the first collection takes
	// "12", the next "34", the third "5" and then times out.
	c, err := New(rate)
	require.NoError(t, err)
	cfg := cfgWith(func(c *Config) { c.TypeAhead = time.Minute; c.MaxDigits = 2 })
	play(t, c, cfg, seq(press('1', 100, 0, 0), press('2', 300, 0, 0), press('3', 500, 0, 0),
		press('4', 700, 0, 0), press('5', 900, 0, 0), adv(2000, 0), start(BargeIn|Done)))
	assert.Equal(t, "12", c.Result().Digits)
	play(t, c, cfg, seq(start(BargeIn|Done)))
	assert.Equal(t, "34", c.Result().Digits)
	play(t, c, cfg, seq(start(BargeIn), adv(4999, 0), adv(5000, Done)))
	assert.Equal(t, "5", c.Result().Digits)
	assert.Equal(t, ReasonInterDigitTimeout, c.Result().Reason)
}

func TestCollectorTypeAheadIsBounded(t *testing.T) {
	c, err := New(rate)
	require.NoError(t, err)
	var steps []step
	for i := range TypeAheadKeys + 8 {
		steps = append(steps, press('0'+byte(i%10), int64(100+200*i), 0, 0)...)
	}
	cfg := cfgWith(func(c *Config) { c.TypeAhead = time.Hour; c.Terminators = "" })
	play(t, c, cfg, append(steps, adv(20000, 0), start(BargeIn), step{op: opHangup, want: Done}))
	var want []byte
	for i := 8; i < TypeAheadKeys+8; i++ {
		want = append(want, '0'+byte(i%10))
	}
	assert.Equal(t, string(want), c.Result().Digits, "the newest keys are kept")
}

func TestCollectorErrors(t *testing.T) {
	c, err := New(rate)
	require.NoError(t, err)
	_, err = c.AdvanceTo(100)
	require.NoError(t, err)

	_, err = c.AdvanceTo(99)
	assert.ErrorIs(t, err, ErrClock)
	_, err = c.Key(detector.Event{Type: detector.KeyDown, Digit: '1', At: 50})
	assert.ErrorIs(t, err, ErrClock)
	_, err = c.Key(detector.Event{Type: detector.KeyDown, Digit: 'a', At: 200})
	assert.ErrorIs(t, err, ErrEvent)
	_, err = c.Key(detector.Event{Type: 7, Digit: '1', At: 200})
	assert.ErrorIs(t, err, ErrEvent)
	assert.Equal(t, int64(100), c.Position(), "rejected calls change nothing")

	_, err = c.Start("", DefaultConfig())
	assert.ErrorIs(t, err, ErrConfig)
	_, err = c.Start("x", Config{})
	assert.ErrorIs(t, err, ErrConfig)
	_, err = c.Start("x", cfgWith(func(c *Config) { c.Pattern = "(" }))
	assert.ErrorIs(t, err, ErrConfig)
	assert.False(t, c.Running())

	for _, r := range []int{0, 999, 192001, -8000} {
		_, err := New(r)
		assert.ErrorIs(t, err, ErrConfig, "rate %d", r)
	}
}

func TestCollectorReset(t *testing.T) {
	c, err := New(8000)
	require.NoError(t, err)
	_, err = c.Key(detector.Event{Type: detector.KeyDown, Digit: '1', At: 800})
	require.NoError(t, err)
	_, err = c.Start("x", cfgWith(func(c *Config) { c.TypeAhead = time.Second }))
	require.NoError(t, err)
	c.Reset()
	fresh, err := New(8000)
	require.NoError(t, err)
	assert.Equal(t, fresh, c)
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		ok   bool
	}{
		{"default", func(*Config) {}, true},
		{"min 0", func(c *Config) { c.MinDigits = 0 }, false},
		{"min 129", func(c *Config) { c.MinDigits, c.MaxDigits = 129, 129 }, false},
		{"max below min", func(c *Config) { c.MinDigits, c.MaxDigits = 4, 3 }, false},
		{"max 128", func(c *Config) { c.MinDigits, c.MaxDigits = 128, 128 }, true},
		{"max 129", func(c *Config) { c.MaxDigits = 129 }, false},
		{"no terminators", func(c *Config) { c.Terminators = "" }, true},
		{"lower-case terminator", func(c *Config) { c.Terminators = "a" }, false},
		{"terminator not a key", func(c *Config) { c.Terminators = "#x" }, false},
		{"repeated terminator", func(c *Config) { c.Terminators = "##*" }, true},
		{"fifteen terminators", func(c *Config) { c.Terminators = "0123456789ABCD*" }, true},
		{"all sixteen terminators", func(c *Config) { c.Terminators = "0123456789ABCD*#" }, false},
		{"first 9ms", func(c *Config) { c.FirstDigitTimeout = 9 * time.Millisecond }, false},
		{"first 10ms", func(c *Config) { c.FirstDigitTimeout = 10 * time.Millisecond }, true},
		{"first 1h", func(c *Config) { c.FirstDigitTimeout = time.Hour }, true},
		{"first over 1h", func(c *Config) { c.FirstDigitTimeout = time.Hour + 1 }, false},
		{"inter 0", func(c *Config) { c.InterDigitTimeout = 0 }, false},
		{"overall negative", func(c *Config) { c.OverallTimeout = -1 }, false},
		{"overall 5ms", func(c *Config) { c.OverallTimeout = 5 * time.Millisecond }, false},
		{"overall 24h", func(c *Config) { c.OverallTimeout = 24 * time.Hour }, true},
		{"tries 0", func(c *Config) { c.Tries = 0 }, false},
		{"tries 100", func(c *Config) { c.Tries = 100 }, true},
		{"tries 101", func(c *Config) { c.Tries = 101 }, false},
		{"type-ahead negative", func(c *Config) { c.TypeAhead = -time.Second }, false},
		{"pattern bad", func(c *Config) { c.Pattern = "[0-9" }, false},
		{"pattern good", func(c *Config) { c.Pattern = `\d{4}|\*[0-9]+` }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfgWith(tt.mod)
			err := c.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrConfig)
		})
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		in   string
		want Config
		ok   bool
	}{
		{"", DefaultConfig(), true},
		{"min=4,max=4", cfgWith(func(c *Config) { c.MinDigits, c.MaxDigits = 4, 4 }), true},
		{"term=,tries=3,first=10s,inter=2500ms,overall=1m,typeahead=2s,wait=true",
			cfgWith(func(c *Config) {
				c.Terminators, c.Tries, c.FirstDigitTimeout, c.InterDigitTimeout = "", 3, 10*time.Second, 2500*time.Millisecond
				c.OverallTimeout, c.TypeAhead, c.WaitForPrompt = time.Minute, 2*time.Second, true
			}), true},
		{"max=4,pattern=[0-9]{1,3},x", cfgWith(func(c *Config) { c.MaxDigits, c.Pattern = 4, "[0-9]{1,3},x" }), true},
		{"min=x", Config{}, false},
		{"min=0", Config{}, false},
		{"color=red", Config{}, false},
		{"min", Config{}, false},
		{"first=5", Config{}, false},
		{"pattern=(", Config{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseConfig(tt.in)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			back, err := ParseConfig(got.String())
			require.NoError(t, err, "String %q parses", got.String())
			assert.Equal(t, got, back, "String round-trips")
		})
	}
}

func TestKeyIndexMatchesKeypad(t *testing.T) {
	for i := range len(detector.Keys) {
		assert.Equal(t, i, keyIndex(detector.Keys[i]), "key %q", detector.Keys[i])
	}
	n := 0
	for b := range 256 {
		if keyIndex(byte(b)) >= 0 {
			n++
		}
	}
	assert.Equal(t, 16, n, "exactly the 16 keys have an index")
}

func TestStrings(t *testing.T) {
	assert.Equal(t, "none", Signal(0).String())
	assert.Equal(t, "barge-in|retry|done", (BargeIn | Retry | Done).String())
	assert.Equal(t, "done|0x80", (Done | 0x80).String())
	seen := map[string]bool{}
	for r := ReasonMaxDigits; r <= ReasonAbort; r++ {
		s := r.String()
		assert.NotEqual(t, "invalid", s, "reason %d", r)
		assert.False(t, seen[s], "reason %q repeats", s)
		seen[s] = true
	}
	assert.Equal(t, "invalid", (ReasonAbort + 1).String())
	assert.Equal(t, "invalid", Reason(0).String())
	assert.True(t, (BargeIn | Done).Has(Done))
	assert.False(t, BargeIn.Has(BargeIn|Done))
}

func TestSamplesRounding(t *testing.T) {
	c, err := New(8000)
	require.NoError(t, err)
	assert.Equal(t, int64(40000), c.samples(5*time.Second))
	assert.Equal(t, int64(1), c.samples(63*time.Microsecond), "0.504 samples rounds up")
	assert.Equal(t, int64(0), c.samples(62*time.Microsecond), "0.496 samples rounds down")
	big, err := New(192000)
	require.NoError(t, err)
	assert.Equal(t, int64(24*3600*192000), big.samples(24*time.Hour), "no overflow at 24 h and 192 kHz")
}

func TestCollectorZeroAllocs(t *testing.T) {
	c, err := New(8000)
	require.NoError(t, err)
	cfg := cfgWith(func(c *Config) { c.Terminators = "" })
	_, err = c.Start("x", cfg)
	require.NoError(t, err)
	pos := int64(0)
	allocs := testing.AllocsPerRun(100, func() {
		pos += 800
		_, _ = c.Key(detector.Event{Type: detector.KeyDown, Digit: '5', Start: pos - 240, At: pos})
		_, _ = c.AdvanceTo(pos + 160)
		_, _ = c.Key(detector.Event{Type: detector.KeyUp, Digit: '5', Start: pos - 240, End: pos + 400, At: pos + 640})
		_, _ = c.AdvanceTo(pos + 700)
	})
	require.True(t, c.Running(), "101 digits of at most 128: the collection still runs")
	assert.Zero(t, allocs, "Key and AdvanceTo during a collection")

	// A whole collection with a pattern: Start allocates the digit buffer,
	// nothing else does, including the pattern match and the result.
	cfg = cfgWith(func(c *Config) { c.Pattern = "[0-9]{3}"; c.Tries = 2 })
	allocs = testing.AllocsPerRun(100, func() {
		_, _ = c.Start("y", cfg)
		for _, d := range []byte("12#345#") {
			pos += 800
			_, _ = c.Key(detector.Event{Type: detector.KeyDown, Digit: d, Start: pos - 240, At: pos})
			_, _ = c.Key(detector.Event{Type: detector.KeyUp, Digit: d, Start: pos - 240, End: pos + 400, At: pos + 640})
		}
	})
	c.Abort()
	require.Equal(t, "345", c.Result().Digits)
	require.Equal(t, 2, c.Result().Tries)
	assert.Equal(t, 1.0, allocs, "one allocation per collection: the digit buffer")
}

// contractEvent is the `digits.collected` event of r (as package dtmf
// makes it), its status looked up by name in the contract's set.
func contractEvent(t *testing.T, r Result) emit.Event {
	t.Helper()
	status, err := emit.ParseStatus(r.Status.String())
	require.NoError(t, err, "status %v is not one of the contract's", r.Status)
	return emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: "s", CommandUID: r.CommandUID,
		Digits: r.Digits, Terminator: r.Terminator, Status: status}
}

// Status names are exactly the contract's, in the same order as emit's.
func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{StatusSuccess: "success", StatusTimeout: "timeout", StatusFailure: "failure", StatusUnknown: "unknown", 0: "invalid", 5: "invalid"} {
		assert.Equal(t, want, s.String())
	}
}

// TestParseConfigErrorsSpeakInKeys: a command-line user reads the keys they
// wrote, with what was wanted, and nothing of the Go side (field names,
// strconv, the anchored expression compiled).
func TestParseConfigErrorsSpeakInKeys(t *testing.T) {
	tests := []struct{ in, want string }{
		{"min=4,max=2", "collector: invalid config: max=2, want min (4) to 128"},
		{"min=0", "collector: invalid config: min=0, want 1 to 128"},
		{"min=x", "collector: invalid config: min=x: want a whole number"},
		{"tries=200", "collector: invalid config: tries=200, want 1 to 100"},
		{"first=5", "collector: invalid config: first=5: want a duration such as 5s, 2500ms or 1m"},
		{"inter=1ms", "collector: invalid config: inter=1ms, want 10ms to 1h"},
		{"wait=maybe", "collector: invalid config: wait=maybe: want true or false"},
		{"term=x", `collector: invalid config: term="x", want keys of 0-9 A-D * # ('x' is not one)`},
		{"pattern=[0-9", `collector: invalid config: pattern="[0-9": missing closing ]`},
		{"pattern=1(2", `collector: invalid config: pattern="1(2": missing closing )`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseConfig(tt.in)
			require.ErrorIs(t, err, ErrConfig)
			assert.Equal(t, tt.want, err.Error())
			for _, leak := range []string{"strconv", "Atoi", "Digits", "Timeout", "^(?:", "regexp"} {
				assert.NotContains(t, err.Error(), leak)
			}
		})
	}
	// The Go API keeps the Go names.
	c := DefaultConfig()
	c.MinDigits, c.MaxDigits = 4, 2
	assert.EqualError(t, c.Validate(), "collector: invalid config: MaxDigits 2, want MinDigits (4) to 128")
}

// TestCollectorTypeAheadAges: a type-ahead key is replayed while it is at
// most TypeAhead old, whatever the clock's value, and never once older —
// in particular not when the clock has moved on by a multiple of 2³²
// samples, which the ring's 32-bit positions alone could not tell from no
// time at all.
func TestCollectorTypeAheadAges(t *testing.T) {
	const hz = 192000 // the fastest clock: 2³² samples are 6.2 h
	hour := int64(hz * 3600)
	key := func(c *Collector, at int64) {
		t.Helper()
		_, err := c.Key(detector.Event{Type: detector.KeyDown, Digit: '7', Start: at - 100, At: at})
		require.NoError(t, err)
		_, err = c.Key(detector.Event{Type: detector.KeyUp, Digit: '7', Start: at - 100, End: at + 9000, At: at + 9600})
		require.NoError(t, err)
	}
	cfg := DefaultConfig()
	cfg.TypeAhead = time.Hour
	tests := []struct {
		name   string
		origin int64   // clock value of the key press
		steps  []int64 // clock advances after it, before Start
		replay bool
	}{
		{"59 min", 5, []int64{59 * 60 * hz}, true},
		{"exactly 1 h after the key-down", 5, []int64{hour - 9600}, true},
		{"1 h and a sample", 5, []int64{hour - 9600 + 1}, false},
		{"2^32 samples in one step", 5, []int64{1<<32 - 9600}, false},
		{"2^32 samples in small steps", 5, slices.Repeat([]int64{1 << 20}, 1<<12), false},
		{"2^33 samples, origin far out", 1 << 40, []int64{1<<33 - 9600}, false},
		{"30 min, origin far out", 1<<40 + 12345, slices.Repeat([]int64{hz}, 1800), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(hz)
			require.NoError(t, err)
			_, err = c.AdvanceTo(tt.origin)
			require.NoError(t, err)
			key(c, tt.origin)
			pos := tt.origin + 9600
			for _, s := range tt.steps {
				pos += s
				_, err := c.AdvanceTo(pos)
				require.NoError(t, err)
			}
			sig, err := c.Start("x", cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.replay, sig.Has(BargeIn), "replayed")
		})
	}
}
