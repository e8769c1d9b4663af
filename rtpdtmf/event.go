package rtpdtmf

import "github.com/dtmfkit/dtmf/detector"

// Source is the mechanism that carried a key press.
type Source uint8

const (
	// InBand: the key's tones were found in the audio.
	InBand Source = 1 + iota
	// RFC4733: the key arrived as RFC 4733 telephone-events.
	RFC4733
)

// String returns "inband" or "rfc4733", the event contract's `source`
// values.
func (s Source) String() string {
	switch s {
	case InBand:
		return "inband"
	case RFC4733:
		return "rfc4733"
	}
	return "invalid"
}

// Event is one key-down or key-up on an RTP stream, from either mechanism.
// Positions count samples on the stream's clock from the receiver's first
// packet, through concealed losses and filled silence; they keep counting
// across the resets a timestamp jump, sequence restart or new SSRC causes
// (not across [Receiver.Flush] or [Receiver.Reset]).
type Event struct {
	// Type is [detector.KeyDown] or [detector.KeyUp].
	Type detector.EventType
	// Digit is the key: one of '0'-'9', 'A'-'D', '*', '#'.
	Digit byte
	// Source is the mechanism that reported the key first. A key that
	// arrives both ways is reported once, by the first.
	Source Source
	// Duplicate (KeyUp only) says that the other mechanism carried the
	// same key at the same time (a sender that sends RFC 4733 and leaves
	// the tones in the audio).
	Duplicate bool
	// Start is the position of the key's first sample; End is just past
	// its last (KeyUp only).
	Start, End int64
	// At is the stream position at which the receiver knew of the event.
	At int64
	// DurationMS is End-Start in milliseconds, rounded to nearest (KeyUp
	// only).
	DurationMS int
	// Timestamp is the RTP timestamp of Start.
	Timestamp uint32
	// SSRC is the stream's synchronization source.
	SSRC uint32
	// Level is the key's power [dBm0] (KeyDown only): both tones together
	// for in-band keys, the sender's volume field for RFC 4733 keys.
	Level float32
}
