package emit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Decode parses one event from JSON and validates it against the contract.
// It accepts exactly the objects the contract's schema accepts, with two
// exceptions: the extras this package defines, "offset_ms" and "channel",
// must be non-negative integers when present (they fill [Event.Extras]), and
// integers must fit in 64 bits (int for duration_ms). Other unknown fields
// are ignored, as the schema allows; when a name repeats, the last one wins.
// Integers may be written in any JSON number form with no fraction (120,
// 120.0, 1.2e2).
//
// Errors wrap [ErrInvalidEvent] and one of [ErrSyntax], [ErrEventName],
// [ErrMissingField], [ErrFieldType], [ErrDigit], [ErrStatus] or
// [ErrFieldValue]; fields are checked in the contract's order, so the error
// names the first bad one. Decode allocates.
func Decode(data []byte) (Event, error) {
	var e Event
	if err := e.decode(data); err != nil {
		return Event{}, err
	}
	return e, nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] with [Decode]'s
// checks. On error e is left unchanged.
func (e *Event) UnmarshalJSON(data []byte) error {
	var d Event
	if err := d.decode(data); err != nil {
		return err
	}
	*e = d
	return nil
}

type object map[string]json.RawMessage

func (e *Event) decode(data []byte) error {
	var m object
	if err := json.Unmarshal(data, &m); err != nil {
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return fmt.Errorf("%w: got a JSON %s", ErrSyntax, te.Value)
		}
		return fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if m == nil {
		return fmt.Errorf("%w: got null", ErrSyntax)
	}
	name, err := m.str("event")
	if err != nil {
		return err
	}
	switch name {
	case "dtmf":
		e.Kind = KindDTMF
	case "digits.collected":
		e.Kind = KindDigitsCollected
	default:
		return fmt.Errorf("%w: event %q, want \"dtmf\" or \"digits.collected\"", ErrEventName, name)
	}
	if e.SessionUUID, err = m.str("session_uuid"); err != nil {
		return err
	}
	if e.SessionUUID == "" {
		return fmt.Errorf("%w: session_uuid is empty", ErrFieldValue)
	}
	switch e.Kind {
	case KindDTMF:
		d, err := m.str("digit")
		if err != nil {
			return err
		}
		if len(d) != 1 || !isKey(d[0]) {
			return fmt.Errorf("%w: digit %q, want one of 0-9 A-D * #", ErrDigit, d)
		}
		e.Digit = d[0]
		n, err := m.integer("duration_ms", 0, math.MaxInt)
		if err != nil {
			return err
		}
		e.DurationMS = int(n)
	case KindDigitsCollected:
		if e.CommandUID, err = m.str("command_uid"); err != nil {
			return err
		}
		if e.CommandUID == "" {
			return fmt.Errorf("%w: command_uid is empty", ErrFieldValue)
		}
		if e.Digits, err = m.str("digits"); err != nil {
			return err
		}
		for i := range len(e.Digits) {
			if !isKey(e.Digits[i]) {
				return fmt.Errorf("%w: digits %q holds %q at %d, want only 0-9 A-D * #", ErrDigit, e.Digits, e.Digits[i], i)
			}
		}
		t, err := m.str("terminator")
		if err != nil {
			return err
		}
		switch {
		case t == "":
		case len(t) == 1 && isKey(t[0]):
			e.Terminator = t[0]
		default:
			return fmt.Errorf("%w: terminator %q, want one of 0-9 A-D * # or \"\"", ErrDigit, t)
		}
		s, err := m.str("status")
		if err != nil {
			return err
		}
		if e.Status, err = ParseStatus(s); err != nil {
			return err
		}
	}
	if _, ok := m["offset_ms"]; ok {
		if e.OffsetMS, err = m.integer("offset_ms", 0, math.MaxInt64); err != nil {
			return err
		}
		e.Extras |= ExtraOffset
	}
	if _, ok := m["channel"]; ok {
		n, err := m.integer("channel", 0, math.MaxInt)
		if err != nil {
			return err
		}
		e.Channel = int(n)
		e.Extras |= ExtraChannel
	}
	return e.Validate()
}

// jsonType names the JSON type of a raw value by its first byte.
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func (m object) field(name string) (json.RawMessage, error) {
	raw, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrMissingField, name)
	}
	return raw, nil
}

func (m object) str(name string) (string, error) {
	raw, err := m.field(name)
	if err != nil {
		return "", err
	}
	if t := jsonType(raw); t != "string" {
		return "", fmt.Errorf("%w: %s is a %s, want a string", ErrFieldType, name, t)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrFieldType, name, err)
	}
	return s, nil
}

// integer returns field name as an integer in [lo, hi]. A number with a
// fraction is a type error (the schema's "integer"); one outside [lo, hi] a
// value error.
func (m object) integer(name string, lo, hi int64) (int64, error) {
	raw, err := m.field(name)
	if err != nil {
		return 0, err
	}
	if t := jsonType(raw); t != "number" {
		return 0, fmt.Errorf("%w: %s is a %s, want an integer", ErrFieldType, name, t)
	}
	text := string(bytes.TrimSpace(raw))
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(text, 64)
		switch {
		case ferr == nil && f != math.Trunc(f):
			return 0, fmt.Errorf("%w: %s is %s, want an integer", ErrFieldType, name, text)
		case ferr == nil && f >= -(1<<63) && f < 1<<63:
			n = int64(f)
		default:
			return 0, fmt.Errorf("%w: %s is %s, want %d to %d", ErrFieldValue, name, text, lo, hi)
		}
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%w: %s is %d, want %d to %d", ErrFieldValue, name, n, lo, hi)
	}
	return n, nil
}
