package rtpdtmf

import (
	"fmt"
	"time"

	"github.com/dtmfkit/dtmf/detector"
)

// Encoding is how a payload type carries the stream.
type Encoding uint8

const (
	// PCMU is G.711 µ-law, one byte per sample (static payload type 0).
	PCMU Encoding = 1 + iota
	// PCMA is G.711 A-law, one byte per sample (static payload type 8).
	PCMA
	// L16 is 16-bit linear PCM, big-endian (RFC 3551 §4.5.11); with two
	// channels the first is analysed.
	L16
	// TelephoneEvent is the RFC 4733 telephone-event payload.
	TelephoneEvent
	// ComfortNoise is RFC 3389 comfort noise (static payload type 13): a
	// packet that marks silence, decoded as such.
	ComfortNoise
)

// String returns the encoding name as SDP writes it ("PCMU", "PCMA", "L16",
// "telephone-event", "CN").
func (e Encoding) String() string {
	switch e {
	case PCMU:
		return "PCMU"
	case PCMA:
		return "PCMA"
	case L16:
		return "L16"
	case TelephoneEvent:
		return "telephone-event"
	case ComfortNoise:
		return "CN"
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

// PayloadType binds an RTP payload type number to an encoding, as an SDP
// a=rtpmap line does.
type PayloadType struct {
	// Number is the RTP payload type, 0 to 127.
	Number uint8
	// Encoding is what the payload carries.
	Encoding Encoding
	// ClockRate is the RTP clock rate [Hz], 1000 to 192000, or 0 for the
	// stream's [Config.ClockRate]. Types at another rate than the stream's
	// are not decoded (one SSRC has one clock, RFC 3550 §5.1).
	ClockRate int
	// Channels is the number of interleaved channels, 1 or 2 (L16 only;
	// 0 means 1).
	Channels int
}

// DefaultEventPayloadType is the telephone-event payload type most SIP
// stacks offer, used unless configured otherwise.
const DefaultEventPayloadType = 101

// StaticPayloadTypes returns the static audio payload types of RFC 3551
// §6 this package decodes: 0 PCMU/8000, 8 PCMA/8000, 13 CN/8000, 10
// L16/44100/2 and 11 L16/44100. It allocates the returned slice.
func StaticPayloadTypes() []PayloadType {
	return []PayloadType{
		{Number: 0, Encoding: PCMU, ClockRate: 8000},
		{Number: 8, Encoding: PCMA, ClockRate: 8000},
		{Number: 13, Encoding: ComfortNoise, ClockRate: 8000},
		{Number: 10, Encoding: L16, ClockRate: 44100, Channels: 2},
		{Number: 11, Encoding: L16, ClockRate: 44100, Channels: 1},
	}
}

// Config sets up a [Receiver]. Start from [DefaultConfig] and override
// fields; [NewReceiver] validates all of them.
type Config struct {
	// ClockRate is the stream's RTP clock rate and audio sample rate [Hz],
	// 8000 to 48000. Payload types at other rates are not decoded.
	// Default 8000.
	ClockRate int

	// Detector configures the in-band detector; its SampleRate is set to
	// ClockRate. Default [detector.DefaultConfig].
	Detector detector.Config

	// PayloadTypes maps payload type numbers to encodings. Later entries
	// override earlier ones with the same number. Default: the
	// [StaticPayloadTypes] and telephone-event at
	// [DefaultEventPayloadType] at the stream's clock rate.
	PayloadTypes []PayloadType

	// ReorderWindow is how many packets past a missing one are held
	// before the missing one is declared lost, 0 to 31. Packets reordered
	// by up to this many places are put back in order; a loss costs this
	// many packets of extra delay. Default 3 (60 ms at 20 ms per packet).
	ReorderWindow int

	// MaxConceal is the longest stretch of lost audio [time] concealed by
	// repeating the last 20 ms, 0 to 200 ms; the rest of a longer loss is
	// silence. One or two lost 20 ms packets inside a key then neither
	// drop nor split it; longer concealment would lengthen a key whose end
	// was lost by as much. Default 40 ms.
	MaxConceal time.Duration

	// MaxGap is the largest timestamp gap [time] between consecutive audio
	// packets that is filled (silence suppression, loss), 20 ms to 60 s;
	// a larger jump, or a jump backwards by more than a packet, resets
	// the stream's state (a key still down is released first). Default
	// 10 s.
	MaxGap time.Duration

	// EventTimeout is how long [time] a telephone-event may go without an
	// update before it is ended at its last reported duration (its end
	// packets were lost), 50 ms to 5 s, measured on the stream's clock.
	// Default 250 ms: five update intervals of 50 ms.
	EventTimeout time.Duration

	// DuplicateWindow is how far apart [time] the starts of an in-band key
	// and a telephone-event of the same digit may lie and still be one
	// key sent both ways, 0 to 500 ms. A key-up is held back by this much
	// while the other mechanism could still report the key. Default 60 ms:
	// a sender's RFC 4733 timestamp and the tone's onset in the audio
	// differ by its detection or packetization delay.
	DuplicateWindow time.Duration

	// MaxPayloadSize is the largest payload [bytes] accepted, 160 to
	// 65535; larger payloads are rejected with [ErrPayload]. It bounds the
	// memory a stream holds: ReorderWindow+1 payloads and one decoded
	// packet. Default 4096 (20 ms of L16 stereo at 48 kHz is 3840).
	MaxPayloadSize int
}

// DefaultConfig returns the documented defaults: 8000 Hz, the default
// detector, the static payload types and telephone-event 101, a reorder
// window of 3 packets, 40 ms concealment, 10 s largest gap, 250 ms event
// timeout, 60 ms duplicate window and 4096-byte payloads.
func DefaultConfig() Config {
	return Config{
		ClockRate:       8000,
		Detector:        detector.DefaultConfig(),
		PayloadTypes:    append(StaticPayloadTypes(), PayloadType{Number: DefaultEventPayloadType, Encoding: TelephoneEvent}),
		ReorderWindow:   3,
		MaxConceal:      40 * time.Millisecond,
		MaxGap:          10 * time.Second,
		EventTimeout:    250 * time.Millisecond,
		DuplicateWindow: 60 * time.Millisecond,
		MaxPayloadSize:  4096,
	}
}

// maxReorderWindow bounds ReorderWindow: the held packets live in a ring of
// ringSize slots indexed by sequence number.
const (
	maxReorderWindow = 31
	ringSize         = 32
)

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil. The detector config is validated with ClockRate as its rate.
func (c Config) Validate() error {
	if c.ClockRate < 8000 || c.ClockRate > 48000 {
		return fmt.Errorf("%w: ClockRate %d Hz: want a value in [8000, 48000]", ErrConfig, c.ClockRate)
	}
	dc := c.Detector
	dc.SampleRate = c.ClockRate
	if err := dc.Validate(); err != nil {
		return fmt.Errorf("%w: Detector: %w", ErrConfig, err)
	}
	for i, pt := range c.PayloadTypes {
		if err := pt.validate(); err != nil {
			return fmt.Errorf("%w: PayloadTypes[%d]: %w", ErrConfig, i, err)
		}
	}
	ints := []struct {
		name   string
		v      int
		lo, hi int
	}{
		{"ReorderWindow", c.ReorderWindow, 0, maxReorderWindow},
		{"MaxPayloadSize", c.MaxPayloadSize, 160, 65535},
	}
	for _, k := range ints {
		if k.v < k.lo || k.v > k.hi {
			return fmt.Errorf("%w: %s %d: want a value in [%d, %d]", ErrConfig, k.name, k.v, k.lo, k.hi)
		}
	}
	durs := []struct {
		name   string
		v      time.Duration
		lo, hi time.Duration
	}{
		{"MaxConceal", c.MaxConceal, 0, 200 * time.Millisecond},
		{"MaxGap", c.MaxGap, 20 * time.Millisecond, 60 * time.Second},
		{"EventTimeout", c.EventTimeout, 50 * time.Millisecond, 5 * time.Second},
		{"DuplicateWindow", c.DuplicateWindow, 0, 500 * time.Millisecond},
	}
	for _, k := range durs {
		if k.v < k.lo || k.v > k.hi {
			return fmt.Errorf("%w: %s %v: want a value in [%v, %v]", ErrConfig, k.name, k.v, k.lo, k.hi)
		}
	}
	return nil
}

func (pt PayloadType) validate() error {
	if pt.Number > 127 {
		return fmt.Errorf("payload type %d: want 0 to 127", pt.Number)
	}
	switch pt.Encoding {
	case PCMU, PCMA, L16, TelephoneEvent, ComfortNoise:
	default:
		return fmt.Errorf("payload type %d: unknown encoding %d", pt.Number, pt.Encoding)
	}
	if pt.ClockRate != 0 && (pt.ClockRate < 1000 || pt.ClockRate > 192000) {
		return fmt.Errorf("payload type %d: ClockRate %d Hz: want 0 or a value in [1000, 192000]", pt.Number, pt.ClockRate)
	}
	if pt.Channels < 0 || pt.Channels > 2 || (pt.Channels == 2 && pt.Encoding != L16) {
		return fmt.Errorf("payload type %d: %d channels: want 1 (or 2 for L16)", pt.Number, pt.Channels)
	}
	return nil
}

// samples converts a duration to a whole number of samples at rate.
func samples(d time.Duration, rate int) int64 {
	return (int64(d)*int64(rate) + int64(time.Second)/2) / int64(time.Second)
}
