package collector

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// hostilePatterns are the patterns a FuzzCollectorHostile config chooses
// from: none, valid ones, and ones that do not compile.
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

// FuzzCollectorHostile drives a collector with arbitrary calls, unlike
// FuzzCollector whose event streams are well formed: events of any type
// and digit byte, at positions before the clock, with starts and ends
// anywhere; clock moves backwards; configs with any field out of range and
// patterns that do not compile; empty command uids; Start while running;
// Reset at any moment. Properties: nothing panics; a call that fails
// returns no signal, wraps exactly the documented sentinel (ErrEvent,
// ErrClock, ErrConfig or ErrBusy, chosen as documented) and changes
// nothing at all; the clock never goes backwards but at Reset; Try stays
// within 1..Tries while running; every collection ends with exactly one
// Done (or is discarded by Reset), whose result satisfies checkResult:
// status in the set, event valid, digits at most MaxDigits and at least
// MinDigits on success, terminators where they belong.
func FuzzCollectorHostile(f *testing.F) {
	f.Add([]byte{2, 4, 4, 1, 35, 9, 9, 9, 9, 0, 1, 5, 0, 7, 0, 1, 2, 6, 0, 2, 9, 0, 1, 14, 0, 1, 5})
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 255, 3, 40, 0, 2, 200, 200, 1, 0, 0, 8, 2})
	f.Add([]byte{2, 1, 1, 1, 2, 3, 2, 1, 0, 0, 1, 12, 0, 5, 1, 0, 0, 1, 128, 0, 1, 1, 2, 200, 100, 6, 2, 3, 3, 3, 3, 3, 3, 3, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := New(rate)
		require.NoError(t, err)
		var (
			cfg        Config
			collecting bool
			startPos   int64
			starts     int
			dones      int
		)
		next := func() byte {
			if len(in) == 0 {
				return 0
			}
			v := in[0]
			in = in[1:]
			return v
		}
		delta := func() int64 { return int64(int8(next())) * 37 }
		// after checks the outcome of one call; before is the state it
		// started from.
		after := func(name string, before Collector, sig Signal, err error) {
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
			if sig&(Retry|BargeIn) != 0 && !collecting {
				t.Fatalf("%s: %v without a collection", name, sig)
			}
			if sig&Done != 0 {
				if !collecting || c.Running() {
					t.Fatalf("%s: Done, collecting %v, running %v", name, collecting, c.Running())
				}
				collecting = false
				dones++
				checkResult(t, c.Result(), cfg, startPos, c.Position())
				assert.LessOrEqual(t, c.Result().Tries, cfg.Tries)
				assert.GreaterOrEqual(t, c.Result().Tries, 1)
			}
			if c.Running() != collecting {
				t.Fatalf("%s: running %v, expected %v", name, c.Running(), collecting)
			}
			if tr := c.Try(); (collecting && (tr < 1 || tr > cfg.Tries)) || (!collecting && tr != 0) {
				t.Fatalf("%s: Try %d of %d", name, tr, cfg.Tries)
			}
		}
		for len(in) > 0 {
			before := *c
			switch next() % 8 {
			case 0, 1: // a key event, well formed or not
				typ := detector.EventType(next() % 4)
				d := next()
				if d < 224 {
					d = detector.Keys[d%16]
				}
				at := c.Position() + delta()
				ev := detector.Event{Type: typ, Digit: d, At: at, Start: at + delta(), End: at + delta()}
				sig, err := c.Key(ev)
				switch {
				case keyIndex(d) < 0 || (typ != detector.KeyDown && typ != detector.KeyUp):
					require.ErrorIs(t, err, ErrEvent, "%+v", ev)
				case at < before.now:
					require.ErrorIs(t, err, ErrClock, "%+v", ev)
				default:
					require.NoError(t, err, "%+v", ev)
					require.Equal(t, at, c.Position())
				}
				after("Key", before, sig, err)
			case 2: // the clock moves, maybe backwards
				pos := c.Position() + 4*delta()
				sig, err := c.AdvanceTo(pos)
				if pos < before.now {
					require.ErrorIs(t, err, ErrClock)
				} else {
					require.NoError(t, err)
					require.Equal(t, pos, c.Position())
				}
				after("AdvanceTo", before, sig, err)
			case 3: // start, with any config and maybe no uid
				var k Config
				if sel := next(); sel < 128 {
					k = fuzzConfigs[int(sel)%len(fuzzConfigs)]
				} else {
					var raw [8]byte
					for i := range raw {
						raw[i] = next()
					}
					k = hostileConfig(raw[:])
				}
				uid := "cmd"
				if next()%5 == 0 {
					uid = ""
				}
				verr := k.Validate()
				sig, err := c.Start(uid, k)
				switch {
				case before.running:
					require.ErrorIs(t, err, ErrBusy)
				case uid == "" || verr != nil:
					require.ErrorIs(t, err, ErrConfig)
					if verr != nil && uid != "" {
						require.Equal(t, verr.Error(), err.Error())
					}
				default:
					require.NoError(t, err, "%+v", k)
					cfg, collecting, startPos = k, true, c.Position()
					starts++
				}
				after("Start", before, sig, err)
			case 4:
				after("Abort", before, c.Abort(), nil)
			case 5:
				c.PromptDone()
				after("PromptDone", before, 0, nil)
			case 6:
				after("Hangup", before, c.Hangup(), nil)
			case 7: // positions restart: a running collection is discarded
				if next()%4 != 0 {
					continue
				}
				c.Reset()
				if collecting {
					collecting = false
					starts--
				}
				require.Zero(t, c.Position())
				require.Equal(t, Result{}, c.Result())
				startPos = 0
			}
		}
		after("Hangup", *c, c.Hangup(), nil)
		require.False(t, c.Running())
		require.Equal(t, starts, dones, "one result per collection")
	})
}
