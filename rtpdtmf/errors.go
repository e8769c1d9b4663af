package rtpdtmf

import "errors"

var (
	// ErrConfig reports an invalid config field; the wrapped message names
	// the field, its value and the allowed range.
	ErrConfig = errors.New("rtpdtmf: invalid config")
	// ErrPacket reports an RTP packet that cannot be parsed or is not RTP
	// version 2. The packet is dropped; the stream's state is unchanged.
	ErrPacket = errors.New("rtpdtmf: invalid RTP packet")
	// ErrPayloadType reports a packet whose payload type is not configured
	// (or whose clock rate differs from the stream's). The packet holds
	// its sequence number, so that it is not taken for a lost one, but
	// carries no audio.
	ErrPayloadType = errors.New("rtpdtmf: unknown payload type")
	// ErrPayload reports a payload that does not fit its payload type: an
	// odd L16 length, a telephone-event payload that is not a whole number
	// of events, or a payload longer than the configured maximum. The
	// packet holds its sequence number but carries no audio.
	ErrPayload = errors.New("rtpdtmf: invalid payload")
)
