package collector

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// fuzzConfigs are the configurations a fuzz input chooses from.
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

// FuzzCollector drives a collector with an arbitrary, well-formed stream of
// key events, clock advances and host calls, and checks properties that
// must hold for any input: one result per collection, retries = tries - 1,
// results consistent with their reason and config, and valid contract
// events.
func FuzzCollector(f *testing.F) {
	f.Add([]byte{3, 0, 0, 5, 1, 1, 5, 2, 1, 5, 3, 1})
	f.Add([]byte{3, 1, 0, 5, 255, 2, 255, 2, 255, 2, 255})
	f.Add([]byte{0, 3, 1, 0, 14, 1, 3, 3, 2, 40, 0, 1, 1, 0, 14, 1})
	f.Add([]byte{3, 4, 2, 250, 5, 2, 200, 0, 9, 1, 4, 3, 5})
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := New(rate)
		require.NoError(t, err)
		var (
			pos        int64
			held       byte
			heldAt     int64
			cfg        Config
			starts     int
			startPos   int64
			dones      int
			retries    int
			collecting bool
		)
		next := func() byte {
			if len(in) == 0 {
				return 0
			}
			b := in[0]
			in = in[1:]
			return b
		}
		check := func(sig Signal) {
			if sig&Retry != 0 {
				require.True(t, collecting, "retry without a collection")
				retries++ // a jump may fold several retries into one signal
			}
			if sig&Done == 0 {
				return
			}
			require.True(t, collecting, "done without a collection")
			require.False(t, c.Running())
			collecting = false
			dones++
			checkResult(t, c.Result(), cfg, startPos, pos)
			if sig&Retry == 0 {
				assert.LessOrEqual(t, retries, c.Result().Tries-1)
			}
			assert.LessOrEqual(t, c.Result().Tries, cfg.Tries)
			retries = 0
		}
		for len(in) > 0 {
			switch next() % 6 {
			case 0: // key down (releasing a held key first, as the detector does)
				k := detector.Keys[next()%16]
				if held != 0 {
					pos += 40
					sig, err := c.Key(detector.Event{Type: detector.KeyUp, Digit: held, Start: heldAt, End: pos - 35, At: pos})
					require.NoError(t, err)
					check(sig)
				}
				pos += 40 + int64(next())
				sig, err := c.Key(detector.Event{Type: detector.KeyDown, Digit: k, Start: pos - 30, At: pos})
				require.NoError(t, err)
				held, heldAt = k, pos-30
				check(sig)
			case 1: // key up
				if held == 0 {
					continue
				}
				pos += 40 + 10*int64(next())
				sig, err := c.Key(detector.Event{Type: detector.KeyUp, Digit: held, Start: heldAt, End: pos - 35, At: pos})
				require.NoError(t, err)
				held = 0
				check(sig)
			case 2: // the clock moves
				pos += 37 * int64(next())
				sig, err := c.AdvanceTo(pos)
				require.NoError(t, err)
				check(sig)
			case 3: // start
				k := fuzzConfigs[int(next())%len(fuzzConfigs)]
				sig, err := c.Start("cmd", k)
				if collecting {
					require.ErrorIs(t, err, ErrBusy)
					continue
				}
				require.NoError(t, err)
				cfg, collecting, startPos = k, true, pos
				starts++
				check(sig)
			case 4:
				check(c.Abort())
			case 5:
				c.PromptDone()
			}
		}
		check(c.Hangup())
		assert.False(t, c.Running())
		assert.Equal(t, starts, dones, "one result per collection")
	})
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
