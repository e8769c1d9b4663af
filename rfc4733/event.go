package rfc4733

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Field layout of one event (see the package doc for the diagram).
const (
	// PayloadSize is the length in bytes of one event.
	PayloadSize = 4

	eventOffset    = 0
	flagsOffset    = 1
	durationOffset = 2

	endBit      = 0x80 // E: the event has ended
	reservedBit = 0x40 // R: zero on send, ignored on receipt (§2.3.4)
	volumeMask  = 0x3f // volume, -dBm0

	// MaxVolume is the largest volume, -63 dBm0 (the quietest).
	MaxVolume = 63
	// MaxDuration is the longest duration one packet can carry, in
	// timestamp units (8.19 s at 8000 Hz); longer events are sent as
	// segments (§2.5.1.3).
	MaxDuration = 0xffff
)

// Event is one telephone-event as carried in an RTP payload.
type Event struct {
	// Code is the event code: 0-15 for DTMF keys (see [Digit]), 16 for
	// flash, others for the tones of RFC 4734.
	Code uint8
	// End is the E bit: this packet reports the event's final duration.
	End bool
	// Volume is the tone's power level as -dBm0, 0 to [MaxVolume]: larger
	// is quieter. Zero for events without a volume.
	Volume uint8
	// Duration is how long the event has lasted so far, in RTP timestamp
	// units from the packet's timestamp.
	Duration uint16
}

// Count returns how many events payload packs (RFC 4733 §2.5.1.5 allows
// several consecutive events in one packet), or an error wrapping
// [ErrPayloadSize] unless its length is a positive multiple of
// [PayloadSize]. It allocates nothing unless it fails.
func Count(payload []byte) (int, error) {
	if len(payload) == 0 || len(payload)%PayloadSize != 0 {
		return 0, fmt.Errorf("%w: %d bytes", ErrPayloadSize, len(payload))
	}
	return len(payload) / PayloadSize, nil
}

// Unmarshal parses one event from b, which must be exactly [PayloadSize]
// bytes (use [Count] and 4-byte slices for packets packing several). The
// reserved bit is ignored, as §2.3.4 requires. It allocates nothing unless
// it fails with an error wrapping [ErrPayloadSize]; then e is unchanged.
func (e *Event) Unmarshal(b []byte) error {
	if len(b) != PayloadSize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrPayloadSize, len(b), PayloadSize)
	}
	e.Code = b[eventOffset]
	e.End = b[flagsOffset]&endBit != 0
	e.Volume = b[flagsOffset] & volumeMask
	e.Duration = binary.BigEndian.Uint16(b[durationOffset:])
	return nil
}

// MarshalSize returns [PayloadSize].
func (e Event) MarshalSize() int { return PayloadSize }

// MarshalTo writes e into the first [PayloadSize] bytes of b (R bit zero)
// and returns the number of bytes written. It fails with io.ErrShortBuffer
// if b is shorter, or an error wrapping [ErrVolume] if e.Volume exceeds
// [MaxVolume]; then b is unchanged. It allocates nothing unless it fails.
func (e Event) MarshalTo(b []byte) (int, error) {
	if len(b) < PayloadSize {
		return 0, io.ErrShortBuffer
	}
	if e.Volume > MaxVolume {
		return 0, fmt.Errorf("%w: %d, want 0 to %d", ErrVolume, e.Volume, MaxVolume)
	}
	b[eventOffset] = e.Code
	flags := e.Volume
	if e.End {
		flags |= endBit
	}
	b[flagsOffset] = flags
	binary.BigEndian.PutUint16(b[durationOffset:], e.Duration)
	return PayloadSize, nil
}

// Append appends e's 4 bytes to b and returns the extended slice, or b
// unchanged and an error wrapping [ErrVolume] if e.Volume exceeds
// [MaxVolume]. It allocates only if b lacks capacity.
func (e Event) Append(b []byte) ([]byte, error) {
	var tmp [PayloadSize]byte
	if _, err := e.MarshalTo(tmp[:]); err != nil {
		return b, err
	}
	return append(b, tmp[:]...), nil
}

// String returns e in a form like "5 E vol=10 dur=960", or "event 16 ..."
// for codes that are not DTMF keys.
func (e Event) String() string {
	end := ""
	if e.End {
		end = " E"
	}
	if d, ok := Digit(e.Code); ok {
		return fmt.Sprintf("%c%s vol=%d dur=%d", d, end, e.Volume, e.Duration)
	}
	return fmt.Sprintf("event %d%s vol=%d dur=%d", e.Code, end, e.Volume, e.Duration)
}

// Volume returns the volume field for a tone at level dBm0: -dBm0 rounded
// to the nearest integer and limited to 0 (levels above 0 dBm0) to
// [MaxVolume] (levels below -63 dBm0, and NaN).
func Volume(dBm0 float64) uint8 {
	v := math.Round(-dBm0)
	switch {
	case math.IsNaN(v) || v >= MaxVolume:
		return MaxVolume
	case v <= 0:
		return 0
	}
	return uint8(v)
}

// Level returns the level [dBm0] a volume field stands for: -volume.
func Level(volume uint8) float64 { return -float64(volume & volumeMask) }
