package collector

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unsafe"

	"github.com/dtmfkit/dtmf/detector"
)

// Signal is a set of things the host must know after feeding the collector.
// Several can be reported by one call.
type Signal uint8

const (
	// BargeIn: the first key of a try was confirmed. Stop the prompt.
	BargeIn Signal = 1 << iota
	// Retry: a try ended without a valid entry and the next try has begun.
	// Play the "invalid" message if any and replay the prompt (and, with
	// [Config.WaitForPrompt], call [Collector.PromptDone] when it ends).
	// Keys pressed meanwhile already count for the new try.
	Retry
	// Done: the collection ended; [Collector.Result] holds its outcome.
	Done
)

// Has reports whether s contains every signal of f.
func (s Signal) Has(f Signal) bool { return s&f == f }

// String returns the signals joined by '|' ("barge-in|done"), or "none".
func (s Signal) String() string {
	if s == 0 {
		return "none"
	}
	var parts [4]string
	n := 0
	for _, f := range [...]struct {
		bit  Signal
		name string
	}{{BargeIn, "barge-in"}, {Retry, "retry"}, {Done, "done"}} {
		if s&f.bit != 0 {
			parts[n] = f.name
			n++
		}
	}
	if s&^(BargeIn|Retry|Done) != 0 {
		parts[n] = fmt.Sprintf("%#x", uint8(s&^(BargeIn|Retry|Done)))
		n++
	}
	return strings.Join(parts[:n], "|")
}

// Reason says why a collection ended: what ended its last try.
type Reason uint8

const (
	// ReasonMaxDigits: MaxDigits digits were pressed. Success unless
	// Pattern failed.
	ReasonMaxDigits Reason = 1 + iota
	// ReasonTerminator: a terminator key was pressed after at least
	// MinDigits digits. Success unless Pattern failed.
	ReasonTerminator
	// ReasonInterDigitTimeout: the inter-digit timeout ran out. Success if
	// MinDigits were reached (and Pattern matched), else timeout.
	ReasonInterDigitTimeout
	// ReasonFirstDigitTimeout: no key came in time. Timeout.
	ReasonFirstDigitTimeout
	// ReasonOverallTimeout: Config.OverallTimeout ran out. Success if the
	// current try had MinDigits (and Pattern matched), else timeout.
	ReasonOverallTimeout
	// ReasonTooFewDigits: a terminator key was pressed before MinDigits
	// digits. Failure (invalid input).
	ReasonTooFewDigits
	// ReasonPatternMismatch: the digits did not match Config.Pattern.
	// Failure (invalid input).
	ReasonPatternMismatch
	// ReasonHangup: [Collector.Hangup] was called. Failure.
	ReasonHangup
	// ReasonAbort: [Collector.Abort] was called. Unknown.
	ReasonAbort
)

// String returns the reason in kebab case ("inter-digit-timeout").
func (r Reason) String() string {
	switch r {
	case ReasonMaxDigits:
		return "max-digits"
	case ReasonTerminator:
		return "terminator"
	case ReasonInterDigitTimeout:
		return "inter-digit-timeout"
	case ReasonFirstDigitTimeout:
		return "first-digit-timeout"
	case ReasonOverallTimeout:
		return "overall-timeout"
	case ReasonTooFewDigits:
		return "too-few-digits"
	case ReasonPatternMismatch:
		return "pattern-mismatch"
	case ReasonHangup:
		return "hangup"
	case ReasonAbort:
		return "abort"
	}
	return "invalid"
}

// Status is the outcome of a collection: the `status` field of its
// `digits.collected` event (package dtmf maps a [Result] to that event).
// The zero value is not a valid status.
type Status uint8

const (
	// StatusSuccess: the digits were collected (see [Reason] for how).
	StatusSuccess Status = 1 + iota
	// StatusTimeout: time ran out before the minimum number of digits.
	StatusTimeout
	// StatusFailure: invalid input on the last try, or hang-up.
	StatusFailure
	// StatusUnknown: the host aborted the collection; its outcome cannot be
	// known.
	StatusUnknown
)

// String returns exactly "success", "timeout", "failure" or "unknown" (the
// contract's spelling), and "invalid" for any other value.
func (s Status) String() string {
	switch s {
	case StatusSuccess:
		return "success"
	case StatusTimeout:
		return "timeout"
	case StatusFailure:
		return "failure"
	case StatusUnknown:
		return "unknown"
	}
	return "invalid"
}

// Result is the outcome of one collection: the fields of a
// `digits.collected` event and how it came about.
type Result struct {
	// CommandUID is the id given to Start.
	CommandUID string
	// Digits are the digits of the last try, terminator excluded: what the
	// caller entered even when Status is not success. The string is never
	// modified afterwards.
	Digits string
	// Terminator is the terminator key that ended the last try, or 0.
	Terminator byte
	// Status is success, timeout, failure or unknown (see [Reason]).
	Status Status
	// Reason is what ended the last try.
	Reason Reason
	// Tries is how many tries were begun, 1 to Config.Tries.
	Tries int
	// End is the clock position [samples] at which the collection ended.
	End int64
}

// none is a deadline that never comes.
const none = math.MaxInt64

// Collector gathers key presses into digit strings for one channel, one
// collection at a time, with the semantics of FreeSWITCH's
// play_and_get_digits (see the package documentation for every rule). It is
// a pure state machine on the audio clock: feed it the detector's events
// with [Collector.Key] and the stream position with [Collector.AdvanceTo];
// it has no timers, goroutines or wall clock. Each call returns the
// [Signal]s the host must act on.
//
// A Collector is not safe for concurrent use: use one per channel, from the
// goroutine that feeds it audio. [Collector.Start] allocates the new
// collection's digit buffer (MaxDigits bytes) and compiles a Pattern that
// differs from the previous one; every other method allocates nothing
// (unless it returns an error).
type Collector struct {
	rate int64 // clock rate [samples/s]
	now  int64 // clock position [samples]

	// The key being held, as the events tell: 0 if none. owned: it was
	// counted by the running try. ring: its key-down is the newest
	// type-ahead entry.
	held              byte
	heldOwned, inRing bool

	// Type-ahead: key-downs seen while idle (their positions and keys),
	// oldest at index head. A position is kept as its low 32 bits, which
	// give its age exactly (uint32(now) - ringAt) because advance forgets
	// every entry older than maxTypeAhead, far less than 2³² samples at any
	// rate: 128 bytes less per channel than int64 positions.
	ringAt     [TypeAheadKeys]uint32
	ringKey    [TypeAheadKeys]byte
	head, nTyp int

	// The running collection.
	running      bool
	uid          string
	minD, maxD   int
	term         uint16 // terminator set, bit keyIndex
	first, inter int64  // [samples]
	typeAhead    int64  // [samples]
	waitPrompt   bool
	tries, try   int
	re           *regexp.Regexp
	buf          []byte // digits of the current try; cap MaxDigits
	gotKey       bool   // the current try has seen a key
	firstDL      int64  // deadlines [samples], none if not armed
	interDL      int64
	overallDL    int64

	result Result

	// The compiled pattern of the last Start, reused while it repeats.
	pattern string
	re0     *regexp.Regexp
}

// New returns a collector whose clock counts samples at sampleRate [Hz],
// 1000 to 192000 (the rate of the audio the detector is fed; 1000 makes the
// clock count milliseconds). The clock starts at 0. Errors wrap [ErrConfig].
func New(sampleRate int) (*Collector, error) {
	if sampleRate < 1000 || sampleRate > 192000 {
		return nil, fmt.Errorf("%w: sample rate %d, want 1000 to 192000 Hz", ErrConfig, sampleRate)
	}
	c := &Collector{rate: int64(sampleRate)}
	c.Reset()
	return c, nil
}

// Reset returns c to the state of a fresh [New] with the same rate: clock
// 0, no collection, no key held, type-ahead empty, no result. A running
// collection is discarded without a result: call [Collector.Hangup] or
// [Collector.Abort] first to get one. Use it when the stream positions
// restart (after [detector.Detector.Flush] or Reset).
func (c *Collector) Reset() {
	*c = Collector{rate: c.rate, pattern: c.pattern, re0: c.re0}
	c.clearDeadlines()
}

func (c *Collector) clearDeadlines() { c.firstDL, c.interDL, c.overallDL = none, none, none }

// samples converts d to clock samples, rounded to nearest, without
// overflow for d up to 24 h.
func (c *Collector) samples(d time.Duration) int64 {
	s, r := int64(d/time.Second), int64(d%time.Second)
	return s*c.rate + (r*c.rate+int64(time.Second)/2)/int64(time.Second)
}

// Position returns the clock position [samples].
func (c *Collector) Position() int64 { return c.now }

// Running reports whether a collection is running.
func (c *Collector) Running() bool { return c.running }

// Try returns the number of the running try (1 to Config.Tries), or 0.
func (c *Collector) Try() int {
	if !c.running {
		return 0
	}
	return c.try
}

// Result returns the outcome of the last collection that ended (even while
// a newer one runs), or the zero Result if none has.
func (c *Collector) Result() Result { return c.result }

// Start begins a collection identified by commandUID (non-empty) at the
// current clock position. It returns [ErrBusy] while another runs (end that
// one with [Collector.Abort] first) and an error wrapping [ErrConfig] for an
// empty commandUID or an invalid cfg; either way nothing changes. With
// cfg.TypeAhead, keys pressed shortly before are replayed now, so Start may
// already report [BargeIn] — do not play the prompt then — or even [Done].
// Start allocates the digit buffer, and compiles cfg.Pattern if it differs
// from the last one.
func (c *Collector) Start(commandUID string, cfg Config) (Signal, error) {
	if c.running {
		return 0, ErrBusy
	}
	if commandUID == "" {
		return 0, fmt.Errorf("%w: command uid is empty", ErrConfig)
	}
	term, err := cfg.check()
	if err != nil {
		return 0, err
	}
	if cfg.Pattern != c.pattern || (cfg.Pattern != "" && c.re0 == nil) {
		re, err := compile(cfg.Pattern)
		if err != nil {
			return 0, err
		}
		c.pattern, c.re0 = cfg.Pattern, re
	}
	c.running = true
	c.uid = commandUID
	c.minD, c.maxD = cfg.MinDigits, cfg.MaxDigits
	c.term = term
	c.first, c.inter = c.samples(cfg.FirstDigitTimeout), c.samples(cfg.InterDigitTimeout)
	c.typeAhead = c.samples(cfg.TypeAhead)
	c.waitPrompt = cfg.WaitForPrompt
	c.tries, c.try = cfg.Tries, 1
	c.re = c.re0
	// A fresh buffer per collection: the previous Result's Digits string
	// points into the old one, which is never written again.
	c.buf = make([]byte, 0, cfg.MaxDigits)
	c.clearDeadlines()
	if cfg.OverallTimeout > 0 {
		c.overallDL = c.now + c.samples(cfg.OverallTimeout)
	}
	c.heldOwned = false
	c.startTry()
	return c.replay(), nil
}

// replay feeds the type-ahead keys to a collection that just started. Keys
// it does not use because the collection ended during the replay stay for
// the next collection; the others are forgotten.
func (c *Collector) replay() Signal {
	ringAt, ringKey, head, n, inRing := c.ringAt, c.ringKey, c.head, c.nTyp, c.inRing
	c.head, c.nTyp, c.inRing = 0, 0, false
	if c.typeAhead == 0 {
		return 0
	}
	var sig Signal
	for i := range n {
		at, key := ringAt[(head+i)%TypeAheadKeys], ringKey[(head+i)%TypeAheadKeys]
		if !c.running {
			c.ringAt[c.nTyp], c.ringKey[c.nTyp] = at, key
			c.nTyp++
			c.inRing = inRing // the newest entry is kept
			continue
		}
		if c.age(at) > c.typeAhead {
			continue
		}
		sig |= c.press(key)
		if i == n-1 && inRing && c.running {
			c.heldOwned = true // still down: its release arms the timer
		}
	}
	if c.running && c.gotKey && !c.heldOwned {
		c.interDL = c.now + c.inter // the replayed keys are up
	}
	return sig
}

// startTry clears the digits and arms the first-digit timer.
func (c *Collector) startTry() {
	c.buf = c.buf[:0]
	c.gotKey = false
	c.interDL = none
	c.firstDL = none
	if !c.waitPrompt {
		c.firstDL = c.now + c.first
	}
}

// PromptDone tells the collector that the prompt of the current try has
// finished playing: if the try has had no key yet, its first-digit timer
// restarts from the current position. This is how the first-digit timeout
// counts from the end of the prompt; with [Config.WaitForPrompt] the timer
// does not run at all before. Without a running collection it does nothing.
func (c *Collector) PromptDone() {
	if c.running && !c.gotKey {
		c.firstDL = c.now + c.first
	}
}

// AdvanceTo moves the clock to pos [samples] and fires every deadline up to
// it, in order: a deadline at position p has run out once the clock reaches
// p. A jump across several deadlines handles them all, so it may report
// [Retry] (as many tries as ran out) and [Done] together. It returns an
// error wrapping [ErrClock], changing nothing, if pos is before the clock.
// A host whose audio stops (RTP loss, DTX) calls it to let time pass.
func (c *Collector) AdvanceTo(pos int64) (Signal, error) {
	if pos < c.now {
		return 0, fmt.Errorf("%w: position %d is before the clock at %d", ErrClock, pos, c.now)
	}
	return c.advance(pos), nil
}

func (c *Collector) advance(pos int64) Signal {
	var sig Signal
	for c.running {
		d := min(c.firstDL, c.interDL, c.overallDL)
		if d > pos {
			break
		}
		c.now = max(c.now, d)
		switch {
		case c.overallDL == d:
			sig |= c.endTry(ReasonOverallTimeout, 0)
		case c.firstDL == d:
			sig |= c.endTry(ReasonFirstDigitTimeout, 0)
		default:
			sig |= c.endTry(ReasonInterDigitTimeout, 0)
		}
	}
	c.forget(pos - c.now)
	c.now = pos
	return sig
}

// maxTypeAhead is the longest [Config.TypeAhead]: type-ahead entries older
// than it can never be replayed.
const maxTypeAhead = time.Hour

// age returns how long ago [samples] the type-ahead entry at was pushed.
func (c *Collector) age(at uint32) int64 { return int64(uint32(c.now) - at) }

// forget drops the type-ahead entries that will be older than maxTypeAhead
// once the clock has moved step samples on (all of them if step alone is
// longer), so that every entry's age stays below 2·maxTypeAhead, well
// within the 32 bits that keep it. It costs one comparison when the ring
// is empty.
func (c *Collector) forget(step int64) {
	if c.nTyp == 0 {
		return
	}
	limit := c.samples(maxTypeAhead)
	if step > limit {
		c.nTyp, c.head, c.inRing = 0, 0, false
		return
	}
	for c.nTyp > 0 && c.age(c.ringAt[c.head])+step > limit {
		c.head = (c.head + 1) % TypeAheadKeys
		c.nTyp--
	}
	if c.nTyp == 0 {
		c.head, c.inRing = 0, false
	}
}

// Key feeds one event of the detector (or of any source of key events on
// the same clock). It first advances the clock to ev.At, so deadlines up to
// ev.At fire before the key is considered: a key confirmed at the very
// sample a timeout runs out is too late. Then:
//
//   - KeyDown while a collection runs: the key counts for the current try
//     (see the package documentation); the first of a try reports
//     [BargeIn]. While no collection runs, it is kept for type-ahead.
//   - KeyUp of the key counted last: the inter-digit timer starts from
//     ev.End, the release. Other key-ups change nothing.
//
// A KeyDown while another key is held releases that one at ev.Start. Key
// returns an error wrapping [ErrEvent] for an unknown type or digit, or
// [ErrClock] if ev.At is before the clock; then nothing changes.
func (c *Collector) Key(ev detector.Event) (Signal, error) {
	if keyIndex(ev.Digit) < 0 {
		return 0, fmt.Errorf("%w: digit %q, want one of 0-9 A-D * #", ErrEvent, ev.Digit)
	}
	if ev.Type != detector.KeyDown && ev.Type != detector.KeyUp {
		return 0, fmt.Errorf("%w: type %d, want KeyDown or KeyUp", ErrEvent, ev.Type)
	}
	if ev.At < c.now {
		return 0, fmt.Errorf("%w: event at %d is before the clock at %d", ErrClock, ev.At, c.now)
	}
	sig := c.advance(ev.At)
	switch ev.Type {
	case detector.KeyDown:
		if c.held != 0 {
			c.release(min(ev.Start, ev.At))
		}
		c.held = ev.Digit
		if !c.running {
			c.push(ev.Digit, ev.At)
			break
		}
		c.heldOwned = true
		sig |= c.press(ev.Digit)
	case detector.KeyUp:
		if c.held == ev.Digit {
			c.release(min(ev.End, ev.At))
		}
	}
	return sig | c.advance(ev.At), nil
}

// push records a key-down seen while idle for type-ahead.
func (c *Collector) push(d byte, at int64) {
	if c.nTyp == TypeAheadKeys {
		c.head = (c.head + 1) % TypeAheadKeys
		c.nTyp--
	}
	i := (c.head + c.nTyp) % TypeAheadKeys
	c.ringAt[i], c.ringKey[i] = uint32(at), d
	c.nTyp++
	c.inRing = true
}

// release ends the hold of the held key at position end.
func (c *Collector) release(end int64) {
	if c.heldOwned && c.running && c.gotKey {
		c.interDL = end + c.inter
	}
	c.held, c.heldOwned, c.inRing = 0, false, false
}

// press counts key d for the running try.
func (c *Collector) press(d byte) Signal {
	var sig Signal
	if !c.gotKey {
		c.gotKey = true
		c.firstDL = none
		sig = BargeIn
	}
	c.interDL = none // runs again from the release
	if c.term&(1<<keyIndex(d)) != 0 {
		if len(c.buf) < c.minD {
			return sig | c.endTry(ReasonTooFewDigits, d)
		}
		return sig | c.endTry(ReasonTerminator, d)
	}
	c.buf = append(c.buf, d)
	if len(c.buf) >= c.maxD {
		return sig | c.endTry(ReasonMaxDigits, 0)
	}
	return sig
}

// digits returns the current try's digits as a string sharing c.buf: valid
// until c.buf is next written.
func (c *Collector) digits() string {
	if len(c.buf) == 0 {
		return ""
	}
	return unsafe.String(&c.buf[0], len(c.buf))
}

// endTry ends the current try for reason (term: the terminator pressed, or
// 0) and either starts the next try or ends the collection.
func (c *Collector) endTry(reason Reason, term byte) Signal {
	var status Status
	switch reason {
	case ReasonMaxDigits, ReasonTerminator, ReasonInterDigitTimeout, ReasonOverallTimeout:
		switch {
		case len(c.buf) < c.minD:
			status = StatusTimeout // only the timeouts get here
		case c.re != nil && !c.re.MatchString(c.digits()):
			status, reason = StatusFailure, ReasonPatternMismatch
		default:
			return c.finish(StatusSuccess, reason, term)
		}
	case ReasonFirstDigitTimeout:
		status = StatusTimeout
	case ReasonTooFewDigits, ReasonPatternMismatch:
		status = StatusFailure
	case ReasonHangup:
		status = StatusFailure
	case ReasonAbort:
		status = StatusUnknown
	}
	if reason == ReasonOverallTimeout || reason == ReasonHangup || reason == ReasonAbort || c.try >= c.tries {
		return c.finish(status, reason, term)
	}
	c.try++
	c.heldOwned = false
	c.startTry()
	return Retry
}

// finish ends the collection with the current try's digits.
func (c *Collector) finish(status Status, reason Reason, term byte) Signal {
	c.result = Result{
		CommandUID: c.uid,
		Digits:     c.digits(),
		Terminator: term,
		Status:     status,
		Reason:     reason,
		Tries:      c.try,
		End:        c.now,
	}
	c.buf = nil // the result owns the bytes now: never write them again
	c.running = false
	c.heldOwned = false
	c.uid = ""
	c.clearDeadlines()
	return Done
}

// Abort ends the running collection with status unknown (its digits so far,
// no terminator) and returns [Done]; without one it returns 0. It is how a
// host cancels a collection, or replaces it with a new one.
func (c *Collector) Abort() Signal {
	if !c.running {
		return 0
	}
	return c.endTry(ReasonAbort, 0)
}

// Hangup reports that the channel hung up (or the stream ended): the running
// collection, if any, ends with status failure and [Done] is returned, and
// the type-ahead keys are forgotten. The clock is kept; call
// [Collector.Reset] if positions restart.
func (c *Collector) Hangup() Signal {
	c.nTyp, c.head, c.inRing = 0, 0, false
	c.held, c.heldOwned = 0, false
	if !c.running {
		return 0
	}
	return c.endTry(ReasonHangup, 0)
}
