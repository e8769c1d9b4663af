package emit

import "strconv"

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
// "digits.collected".
func (k Kind) String() string {
	switch k {
	case KindDTMF:
		return "dtmf"
	case KindDigitsCollected:
		return "digits.collected"
	}
	return "invalid"
}

// Status is the outcome of a digit collection.
type Status uint8

const (
	// StatusSuccess: the required digits were collected or a terminator was
	// pressed.
	StatusSuccess Status = 1 + iota
	// StatusTimeout: time ran out before the minimum number of digits.
	StatusTimeout
	// StatusFailure: the collection could not complete (e.g. hang-up).
	StatusFailure
	// StatusUnknown: the outcome could not be determined.
	StatusUnknown
)

// String returns exactly "success", "timeout", "failure" or "unknown".
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

// Extra fields beyond the contract, written only when their bit is set in
// [Event.Extras].
const (
	// ExtraOffset adds "offset_ms": the press start in ms from stream start.
	ExtraOffset uint8 = 1 << iota
	// ExtraChannel adds "channel": the audio channel (0-based) of a
	// multi-channel source.
	ExtraChannel
)

// Event is either contract event; Kind says which fields are meaningful.
type Event struct {
	Kind        Kind
	SessionUUID string
	// dtmf
	Digit      byte // '0'-'9', 'A'-'D', '*', '#'
	DurationMS int
	// digits.collected
	CommandUID string
	Digits     string
	Terminator byte // 0 if none
	Status     Status
	// Extras, written only if flagged in Extras.
	Extras   uint8
	OffsetMS int64
	Channel  int
}

// AppendJSON appends the event as one JSON object (no newline) with the
// contract's field names in the contract's order, followed by any flagged
// extras, and returns the extended buffer. It allocates only if b lacks
// capacity.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"event":`...)
	switch e.Kind {
	case KindDTMF:
		b = append(b, `"dtmf","session_uuid":`...)
		b = strconv.AppendQuote(b, e.SessionUUID)
		b = append(b, `,"digit":"`...)
		b = append(b, e.Digit)
		b = append(b, `","duration_ms":`...)
		b = strconv.AppendInt(b, int64(e.DurationMS), 10)
	case KindDigitsCollected:
		b = append(b, `"digits.collected","session_uuid":`...)
		b = strconv.AppendQuote(b, e.SessionUUID)
		b = append(b, `,"command_uid":`...)
		b = strconv.AppendQuote(b, e.CommandUID)
		b = append(b, `,"digits":`...)
		b = strconv.AppendQuote(b, e.Digits)
		b = append(b, `,"terminator":"`...)
		if e.Terminator != 0 {
			b = append(b, e.Terminator)
		}
		b = append(b, `","status":"`...)
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
