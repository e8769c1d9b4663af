package rfc4733

import "errors"

var (
	// ErrPayloadSize reports a telephone-event payload whose length is not
	// a positive multiple of [PayloadSize]; the wrapped message gives the
	// length.
	ErrPayloadSize = errors.New("rfc4733: payload is not a whole number of 4-byte events")
	// ErrVolume reports an [Event] whose Volume exceeds [MaxVolume], which
	// the 6-bit field cannot carry.
	ErrVolume = errors.New("rfc4733: volume out of range")
)
