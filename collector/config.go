package collector

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"

	"github.com/dtmfkit/dtmf/internal/keypad"
)

// MaxDigits is the largest [Config.MaxDigits].
const MaxDigits = 128

// TypeAheadKeys is how many keys pressed while no collection runs are kept
// for type-ahead ([Config.TypeAhead]); older ones are forgotten.
const TypeAheadKeys = 32

// Config sets one collection, in the terms of FreeSWITCH's
// play_and_get_digits. Start from [DefaultConfig] and override fields;
// [Collector.Start] validates every field. Durations are converted to
// samples of the collector's clock, rounded to nearest.
type Config struct {
	// MinDigits is the fewest digits a try needs, 1 to MaxDigits. Default 1.
	MinDigits int
	// MaxDigits ends a try as soon as this many digits were pressed,
	// MinDigits to 128. Default 128.
	MaxDigits int
	// Terminators lists the keys that end a try at once, each one of
	// 0-9 A-D * # (upper case), in any order, possibly empty, never all 16.
	// A terminator key is never collected as a digit, even if Pattern would
	// accept it. Default "#".
	Terminators string
	// FirstDigitTimeout is how long a try waits for its first key, 10 ms
	// to 1 h, counted from the start of the try (or from
	// [Collector.PromptDone] if WaitForPrompt). Default 5 s.
	FirstDigitTimeout time.Duration
	// InterDigitTimeout is how long a try waits for the next key after a
	// key is released, 10 ms to 1 h. While a key is held it does not run.
	// Default 3 s.
	InterDigitTimeout time.Duration
	// OverallTimeout, if not 0, limits the whole collection, all tries
	// together, counted from Start: 10 ms to 24 h. When it runs out the
	// collection ends with no further try. Default 0 (no limit).
	OverallTimeout time.Duration
	// Pattern, if not empty, is a Go regular expression (package regexp,
	// RE2 syntax) the digits of a try must match as a whole: it is applied
	// as ^(?:Pattern)$. A try whose digits do not match is invalid.
	// Default "" (any digits).
	Pattern string
	// Tries is how many times the caller may enter the digits, 1 to 100:
	// a try that times out or is invalid starts the next one until they
	// are used up. Default 1.
	Tries int
	// TypeAhead, if not 0, lets keys pressed before Start count: keys
	// confirmed at most this long before Start (up to the last
	// [TypeAheadKeys], and not consumed by an earlier collection) are
	// replayed at Start as if pressed then. 0 to 1 h. Default 0 (off: only
	// keys confirmed at or after Start count).
	TypeAhead time.Duration
	// WaitForPrompt holds each try's first-digit timer until the host calls
	// [Collector.PromptDone], so that it counts from the end of the prompt
	// as FreeSWITCH does, however long the prompt plays. A host that sets
	// it must call PromptDone once per try (at the start and after each
	// [Retry]); otherwise only a key, OverallTimeout or Hangup ends the try.
	// Default false (the timer runs from the start of each try).
	WaitForPrompt bool
}

// DefaultConfig returns 1 to 128 digits, terminator "#", first-digit
// timeout 5 s, inter-digit timeout 3 s, no overall limit, no pattern, one
// try, no type-ahead, first-digit timer running from the start of the try.
func DefaultConfig() Config {
	return Config{
		MinDigits:         1,
		MaxDigits:         MaxDigits,
		Terminators:       "#",
		FirstDigitTimeout: 5 * time.Second,
		InterDigitTimeout: 3 * time.Second,
		Tries:             1,
	}
}

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil. It compiles Pattern to check it (which allocates).
func (c Config) Validate() error {
	return c.validate(&fieldNames)
}

// validate is [Config.Validate] with the fields named by names.
func (c Config) validate(names *configNames) error {
	if _, err := c.checkNamed(names); err != nil {
		return err
	}
	_, err := compileNamed(c.Pattern, names)
	return err
}

// configNames names the fields of a [Config] in error messages: by their
// Go names for [Config.Validate], by their keys for [ParseConfig], so that a
// user of either reads the names they wrote.
type configNames struct {
	min, max, term, first, inter, overall, tries, typeahead, pattern string
	// sep joins a name and its value: " " (MinDigits 0) or "=" (min=0).
	sep string
}

var (
	fieldNames = configNames{"MinDigits", "MaxDigits", "Terminators", "FirstDigitTimeout", "InterDigitTimeout",
		"OverallTimeout", "Tries", "TypeAhead", "Pattern", " "}
	specKeys = configNames{"min", "max", "term", "first", "inter", "overall", "tries", "typeahead", "pattern", "="}
)

// check validates every field but Pattern and returns the terminator set.
func (c Config) check() (uint16, error) { return c.checkNamed(&fieldNames) }

// checkNamed is check with the fields named by n.
func (c Config) checkNamed(n *configNames) (uint16, error) {
	const hour = time.Hour
	bad := func(name string, value any, want string, a ...any) (uint16, error) {
		return 0, fmt.Errorf("%w: %s%s%v, want "+want, append([]any{ErrConfig, name, n.sep, value}, a...)...)
	}
	switch {
	case c.MinDigits < 1 || c.MinDigits > MaxDigits:
		return bad(n.min, c.MinDigits, "1 to %d", MaxDigits)
	case c.MaxDigits < c.MinDigits || c.MaxDigits > MaxDigits:
		return bad(n.max, c.MaxDigits, "%s (%d) to %d", n.min, c.MinDigits, MaxDigits)
	case c.FirstDigitTimeout < 10*time.Millisecond || c.FirstDigitTimeout > hour:
		return bad(n.first, c.FirstDigitTimeout, "10ms to 1h")
	case c.InterDigitTimeout < 10*time.Millisecond || c.InterDigitTimeout > hour:
		return bad(n.inter, c.InterDigitTimeout, "10ms to 1h")
	case c.OverallTimeout != 0 && (c.OverallTimeout < 10*time.Millisecond || c.OverallTimeout > 24*hour):
		return bad(n.overall, c.OverallTimeout, "0 (none) or 10ms to 24h")
	case c.Tries < 1 || c.Tries > 100:
		return bad(n.tries, c.Tries, "1 to 100")
	case c.TypeAhead < 0 || c.TypeAhead > hour:
		return bad(n.typeahead, c.TypeAhead, "0 (off) to 1h")
	}
	var set uint16
	for i := range len(c.Terminators) {
		k := keyIndex(c.Terminators[i])
		if k < 0 {
			return bad(n.term, strconv.Quote(c.Terminators), "keys of 0-9 A-D * # (%q is not one)", c.Terminators[i])
		}
		set |= 1 << k
	}
	if set == 0xffff {
		return 0, fmt.Errorf("%w: %s%s%q holds all 16 keys, leaving none to collect", ErrConfig, n.term, n.sep, c.Terminators)
	}
	return set, nil
}

// compile returns the anchored regexp for pattern, nil for "".
func compile(pattern string) (*regexp.Regexp, error) { return compileNamed(pattern, &fieldNames) }

// compileNamed is compile naming the field by n. The error gives the
// syntax problem and the part of the user's pattern it lies in, not the
// anchored expression compiled.
func compileNamed(pattern string, n *configNames) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	if _, err := syntax.Parse(pattern, syntax.Perl); err != nil {
		msg := err.Error()
		var se *syntax.Error
		if errors.As(err, &se) {
			msg = se.Code.String()
			if se.Expr != "" && se.Expr != pattern {
				msg += " in " + strconv.Quote(se.Expr)
			}
		}
		return nil, fmt.Errorf("%w: %s%s%q: %s", ErrConfig, n.pattern, n.sep, pattern, msg)
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	if err != nil { // the pattern alone parsed: only a size limit is left
		return nil, fmt.Errorf("%w: %s%s%q: too complex", ErrConfig, n.pattern, n.sep, pattern)
	}
	return re, nil
}

// keyIndex returns the position of key d in detector.Keys
// ("123A456B789C*0#D"), or -1.
func keyIndex(d byte) int { return keypad.Index(d) }

// String formats c in the syntax [ParseConfig] reads, fields in a fixed
// order, Pattern last:
//
//	min=4,max=4,term=#,first=5s,inter=3s,overall=0s,tries=3,typeahead=0s,wait=false,pattern=1[0-9]*
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "min=%d,max=%d,term=%s,first=%v,inter=%v,overall=%v,tries=%d,typeahead=%v,wait=%t",
		c.MinDigits, c.MaxDigits, c.Terminators, c.FirstDigitTimeout, c.InterDigitTimeout,
		c.OverallTimeout, c.Tries, c.TypeAhead, c.WaitForPrompt)
	if c.Pattern != "" {
		b.WriteString(",pattern=")
		b.WriteString(c.Pattern)
	}
	return b.String()
}

// ParseConfig reads a collection's settings from a command line: comma
// separated key=value pairs overriding [DefaultConfig], any subset in any
// order. Keys: min, max (digit counts), term (terminator keys, may be
// empty), first, inter, overall, typeahead (Go durations such as 5s or
// 2500ms), tries, wait (true or false) and pattern, which must come last
// and takes the rest of the string, commas included:
//
//	min=4,max=4,term=#,first=10s,tries=3,pattern=[0-9]{4}
//
// The empty string gives DefaultConfig. The result is validated; errors
// wrap [ErrConfig] and name the key as written (min=0, want 1 to 128),
// never a Go field name.
func ParseConfig(s string) (Config, error) {
	c := DefaultConfig()
	for s != "" {
		var kv string
		if strings.HasPrefix(s, "pattern=") {
			kv, s = s, ""
		} else {
			kv, s, _ = strings.Cut(s, ",")
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return Config{}, fmt.Errorf("%w: %q is not key=value", ErrConfig, kv)
		}
		var want string // what v should have been, if it was not
		switch k {
		case "min":
			c.MinDigits, want = parseCount(v)
		case "max":
			c.MaxDigits, want = parseCount(v)
		case "term":
			c.Terminators = v
		case "first":
			c.FirstDigitTimeout, want = parseDuration(v)
		case "inter":
			c.InterDigitTimeout, want = parseDuration(v)
		case "overall":
			c.OverallTimeout, want = parseDuration(v)
		case "typeahead":
			c.TypeAhead, want = parseDuration(v)
		case "tries":
			c.Tries, want = parseCount(v)
		case "wait":
			var err error
			if c.WaitForPrompt, err = strconv.ParseBool(v); err != nil {
				want = "true or false"
			}
		case "pattern":
			c.Pattern = v
		default:
			return Config{}, fmt.Errorf("%w: unknown key %q, want min, max, term, first, inter, overall, typeahead, tries, wait or pattern", ErrConfig, k)
		}
		if want != "" {
			return Config{}, fmt.Errorf("%w: %s=%s: want %s", ErrConfig, k, v, want)
		}
	}
	if err := c.validate(&specKeys); err != nil {
		return Config{}, err
	}
	return c, nil
}

// parseCount reads a whole number of digits or tries; want is what v
// should have been if it is not one.
func parseCount(v string) (n int, want string) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, "a whole number"
	}
	return n, ""
}

// parseDuration reads a Go duration; want is what v should have been if it
// is not one.
func parseDuration(v string) (d time.Duration, want string) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, "a duration such as 5s, 2500ms or 1m"
	}
	return d, ""
}
