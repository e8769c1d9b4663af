package emit

import (
	"errors"
	"fmt"
)

// ErrInvalidEvent reports an event that does not satisfy the contract. Every
// decoding and validation error wraps it, and most wrap one of the more
// specific errors below as well.
var ErrInvalidEvent = errors.New("emit: invalid event")

// Decoding and validation errors. Each wraps [ErrInvalidEvent]; the message
// names the field and the offending value.
var (
	// ErrSyntax reports input that is not a JSON object.
	ErrSyntax = fmt.Errorf("%w: not a JSON object", ErrInvalidEvent)
	// ErrEventName reports an "event" other than "dtmf" or
	// "digits.collected" (or an Event whose Kind is neither).
	ErrEventName = fmt.Errorf("%w: unknown event name", ErrInvalidEvent)
	// ErrMissingField reports a required field that is absent.
	ErrMissingField = fmt.Errorf("%w: missing field", ErrInvalidEvent)
	// ErrFieldType reports a field of the wrong JSON type (a number where a
	// string is required, a fraction where an integer is, null, ...).
	ErrFieldType = fmt.Errorf("%w: wrong field type", ErrInvalidEvent)
	// ErrDigit reports a digit, digits or terminator value holding something
	// other than the 16 keys 0-9, A-D, *, #.
	ErrDigit = fmt.Errorf("%w: bad digit", ErrInvalidEvent)
	// ErrStatus reports a status other than success, timeout, failure or
	// unknown.
	ErrStatus = fmt.Errorf("%w: bad status", ErrInvalidEvent)
	// ErrFieldValue reports any other value out of range: an empty
	// session_uuid or command_uid, a negative duration_ms, a string that is
	// not valid UTF-8, an integer too large.
	ErrFieldValue = fmt.Errorf("%w: bad field value", ErrInvalidEvent)
)

// Delivery errors of the sinks.
var (
	// ErrQueueFull is returned by Emit of a queueing sink ([Async], [Chan],
	// the webhook of package emit/webhook) when its bounded queue is full:
	// the event was dropped and counted, and Emit did not block.
	ErrQueueFull = errors.New("emit: queue full, event dropped")
	// ErrClosed is returned by Emit after Close, and given to an OnDrop
	// callback for events abandoned when Close's deadline passed.
	ErrClosed = errors.New("emit: sink closed")
	// ErrCloseTimeout is returned by Close when its deadline passed before
	// every queued event was delivered; the sink's Stats count the abandoned
	// events, each of which was also reported to OnDrop.
	ErrCloseTimeout = errors.New("emit: close deadline passed")
	// ErrConfig reports an invalid [AsyncConfig] field; the message names
	// the field, its value and the allowed range.
	ErrConfig = errors.New("emit: invalid config")
)
