package emit

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/dtmfkit/dtmf/internal/keypad"
)

// Kind tells the two events of the contract apart.
type Kind uint8

const (
	// KindDTMF is the `dtmf` event: one key press.
	KindDTMF Kind = 1 + iota
	// KindDigitsCollected is the `digits.collected` event: one collection's
	// result.
	KindDigitsCollected
)

// String returns the event name of the contract: "dtmf" or
// "digits.collected", and "invalid" for any other value.
func (k Kind) String() string {
	switch k {
	case KindDTMF:
		return "dtmf"
	case KindDigitsCollected:
		return "digits.collected"
	}
	return "invalid"
}

// Status is the outcome of a digit collection: the `status` field of
// `digits.collected`. The zero value is not a valid status.
type Status uint8

const (
	// StatusSuccess: the required digits were collected or a terminator was
	// pressed.
	StatusSuccess Status = 1 + iota
	// StatusTimeout: time ran out before the minimum number of digits.
	StatusTimeout
	// StatusFailure: the collection could not complete (e.g. hang-up, or
	// invalid input on the last try).
	StatusFailure
	// StatusUnknown: the outcome could not be determined (the host aborted
	// the collection).
	StatusUnknown
)

// String returns exactly "success", "timeout", "failure" or "unknown", and
// "invalid" for any other value.
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

// ParseStatus returns the Status whose String is s, or an error wrapping
// [ErrStatus].
func ParseStatus(s string) (Status, error) {
	switch s {
	case "success":
		return StatusSuccess, nil
	case "timeout":
		return StatusTimeout, nil
	case "failure":
		return StatusFailure, nil
	case "unknown":
		return StatusUnknown, nil
	}
	return 0, fmt.Errorf("%w: %q, want success, timeout, failure or unknown", ErrStatus, s)
}

// Extra fields beyond the contract, written only when their bit is set in
// [Event.Extras]. The contract's schema admits additional fields; consumers
// that do not ask for these never see them.
const (
	// ExtraOffset adds "offset_ms" after the contract's fields: for `dtmf`
	// the press start, for `digits.collected` the moment the collection
	// ended, in ms from the start of the stream.
	ExtraOffset uint8 = 1 << iota
	// ExtraChannel adds "channel": the audio channel (0-based) of a
	// multi-channel source.
	ExtraChannel

	extraAll = ExtraOffset | ExtraChannel
)

// Event is either contract event; Kind says which fields are meaningful.
// The zero value is invalid (Kind 0). Events hold only strings and scalars:
// copying one is cheap and never aliases mutable memory, so sinks may queue
// them by value.
type Event struct {
	// Kind selects the event.
	Kind Kind
	// SessionUUID is `session_uuid`: the call or stream, non-empty UTF-8.
	SessionUUID string

	// Digit is the `digit` of a `dtmf` event: '0'-'9', 'A'-'D', '*' or '#'.
	Digit byte
	// DurationMS is the `duration_ms` of a `dtmf` event, ≥ 0.
	DurationMS int

	// CommandUID is the `command_uid` of `digits.collected`, non-empty.
	CommandUID string
	// Digits is the `digits` of `digits.collected`: keys from the 16, may
	// be empty.
	Digits string
	// Terminator is the `terminator` of `digits.collected`: a key, or 0 for
	// none (written as "").
	Terminator byte
	// Status is the `status` of `digits.collected`.
	Status Status

	// Extras selects extra fields (ExtraOffset, ExtraChannel); 0 writes
	// exactly the contract's fields.
	Extras uint8
	// OffsetMS is written as "offset_ms" if Extras has ExtraOffset; ≥ 0.
	OffsetMS int64
	// Channel is written as "channel" if Extras has ExtraChannel; ≥ 0.
	Channel int
}

// isKey reports whether c is one of the 16 DTMF keys in the contract's
// spelling (upper-case A-D).
func isKey(c byte) bool { return keypad.IsKey(c) }

// Validate reports whether e satisfies the contract, returning nil or an
// error wrapping [ErrInvalidEvent] and one of [ErrEventName], [ErrDigit],
// [ErrStatus] or [ErrFieldValue] that names the field. It checks only the
// fields of e's Kind, plus the flagged extras. It allocates only when it
// returns an error.
func (e *Event) Validate() error {
	if err := checkString("session_uuid", e.SessionUUID); err != nil {
		return err
	}
	switch e.Kind {
	case KindDTMF:
		if !isKey(e.Digit) {
			return fmt.Errorf("%w: digit %q, want one of 0-9 A-D * #", ErrDigit, e.Digit)
		}
		if e.DurationMS < 0 {
			return fmt.Errorf("%w: duration_ms %d, want ≥ 0", ErrFieldValue, e.DurationMS)
		}
	case KindDigitsCollected:
		if err := checkString("command_uid", e.CommandUID); err != nil {
			return err
		}
		for i := range len(e.Digits) {
			if !isKey(e.Digits[i]) {
				return fmt.Errorf("%w: digits %q holds %q at %d, want only 0-9 A-D * #", ErrDigit, e.Digits, e.Digits[i], i)
			}
		}
		if e.Terminator != 0 && !isKey(e.Terminator) {
			return fmt.Errorf("%w: terminator %q, want one of 0-9 A-D * # or none", ErrDigit, e.Terminator)
		}
		switch e.Status {
		case StatusSuccess, StatusTimeout, StatusFailure, StatusUnknown:
		default:
			return fmt.Errorf("%w: status %d, want StatusSuccess to StatusUnknown", ErrStatus, e.Status)
		}
	default:
		return fmt.Errorf("%w: Kind %d, want KindDTMF or KindDigitsCollected", ErrEventName, e.Kind)
	}
	if e.Extras&^extraAll != 0 {
		return fmt.Errorf("%w: Extras %#x has unknown bits, want a combination of ExtraOffset and ExtraChannel", ErrFieldValue, e.Extras)
	}
	if e.Extras&ExtraOffset != 0 && e.OffsetMS < 0 {
		return fmt.Errorf("%w: offset_ms %d, want ≥ 0", ErrFieldValue, e.OffsetMS)
	}
	if e.Extras&ExtraChannel != 0 && e.Channel < 0 {
		return fmt.Errorf("%w: channel %d, want ≥ 0", ErrFieldValue, e.Channel)
	}
	return nil
}

func checkString(field, s string) error {
	if s == "" {
		return fmt.Errorf("%w: %s is empty", ErrFieldValue, field)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s %q is not valid UTF-8", ErrFieldValue, field, s)
	}
	return nil
}

// AppendJSON appends the event as one JSON object (no newline) with the
// contract's field names in the contract's order, followed by any flagged
// extras, and returns the extended buffer:
//
//	{"event":"dtmf","session_uuid":"…","digit":"5","duration_ms":120}
//	{"event":"digits.collected","session_uuid":"…","command_uid":"…","digits":"1234","terminator":"#","status":"success"}
//
// Strings are escaped as JSON requires (quotes, backslashes, control
// characters; U+2028 and U+2029 too); invalid UTF-8 is written as U+FFFD.
// AppendJSON does not validate e: an invalid event (see [Event.Validate])
// still yields well-formed JSON, but not a contract event. It allocates only
// if b lacks capacity.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"event":`...)
	switch e.Kind {
	case KindDTMF:
		b = append(b, `"dtmf","session_uuid":`...)
		b = appendString(b, e.SessionUUID)
		b = append(b, `,"digit":`...)
		b = appendKey(b, e.Digit)
		b = append(b, `,"duration_ms":`...)
		b = strconv.AppendInt(b, int64(e.DurationMS), 10)
	case KindDigitsCollected:
		b = append(b, `"digits.collected","session_uuid":`...)
		b = appendString(b, e.SessionUUID)
		b = append(b, `,"command_uid":`...)
		b = appendString(b, e.CommandUID)
		b = append(b, `,"digits":`...)
		b = appendString(b, e.Digits)
		b = append(b, `,"terminator":`...)
		b = appendKey(b, e.Terminator)
		b = append(b, `,"status":"`...)
		b = append(b, e.Status.String()...)
		b = append(b, '"')
	default:
		b = append(b, `"invalid"`...)
	}
	if e.Extras&ExtraOffset != 0 {
		b = append(b, `,"offset_ms":`...)
		b = strconv.AppendInt(b, e.OffsetMS, 10)
	}
	if e.Extras&ExtraChannel != 0 {
		b = append(b, `,"channel":`...)
		b = strconv.AppendInt(b, int64(e.Channel), 10)
	}
	return append(b, '}')
}

// MarshalJSON implements [encoding/json.Marshaler]: it validates e and
// returns [Event.AppendJSON] in a new slice.
func (e Event) MarshalJSON() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e.AppendJSON(make([]byte, 0, 160)), nil
}

// appendKey appends a one-key JSON string, or "" for 0. Any other byte goes
// through appendString so that the output stays well-formed.
func appendKey(b []byte, c byte) []byte {
	switch {
	case c == 0:
		return append(b, `""`...)
	case isKey(c):
		return append(b, '"', c, '"')
	}
	var one [1]byte
	one[0] = c
	return appendString(b, string(one[:]))
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
