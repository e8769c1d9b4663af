package detector

import "github.com/dtmfkit/dtmf/internal/keypad"

// EventType tells a key-down from a key-up.
type EventType uint8

const (
	// KeyDown is reported as soon as a key press is confirmed, so that a host
	// can stop a prompt at once. Its End and DurationMS are zero.
	KeyDown EventType = 1 + iota
	// KeyUp is reported once the key has been released for good (any gap
	// shorter than [Config.MinPause] has been bridged). It carries the
	// measured press length: this is the `dtmf` event of the event contract.
	KeyUp
)

// String returns "keydown" or "keyup".
func (t EventType) String() string {
	switch t {
	case KeyDown:
		return "keydown"
	case KeyUp:
		return "keyup"
	}
	return "invalid"
}

// Event is one key-down or key-up. Positions count samples from the start of
// the stream (the first sample after [New], [Detector.Reset] or
// [Detector.Flush]).
type Event struct {
	// Type is KeyDown or KeyUp.
	Type EventType
	// Digit is the key: one of '0'-'9', 'A'-'D', '*', '#'.
	Digit byte
	// Start is the position of the tone's first sample, refined below the
	// analysis block to about a millisecond.
	Start int64
	// End is the position just past the tone's last sample (KeyUp only).
	End int64
	// At is the stream position at which the detector knew of the event:
	// for KeyDown, At-Start is the detection latency.
	At int64
	// DurationMS is End-Start in milliseconds, rounded to nearest (KeyUp
	// only): the `duration_ms` of the event contract.
	DurationMS int
	// LowLevel and HighLevel are the tones' levels [dBm0] and LowFreq and
	// HighFreq their frequencies [Hz], measured when the key was confirmed
	// (KeyDown only; zero in KeyUp).
	LowLevel, HighLevel float32
	LowFreq, HighFreq   float32
}

// Keys lists the 16 DTMF keys in keypad order: row r (low tone r) and column
// c (high tone c) is Keys[4*r+c].
const Keys = keypad.Keys

// LowFrequencies returns the nominal DTMF tone frequencies [Hz] of the
// keypad's four rows (ITU-T Q.23: 697, 770, 852, 941), top row first. The
// array is a copy: the detector's filters cannot be changed through it.
func LowFrequencies() [4]float64 { return keypad.LowFrequencies() }

// HighFrequencies returns the nominal DTMF tone frequencies [Hz] of the
// keypad's four columns (ITU-T Q.23: 1209, 1336, 1477, 1633), left column
// first. The array is a copy.
func HighFrequencies() [4]float64 { return keypad.HighFrequencies() }

// KeyFrequencies returns the low and high tone frequencies [Hz] of digit,
// and false if digit is not one of the 16 keys. It allocates nothing.
func KeyFrequencies(digit byte) (low, high float64, ok bool) {
	return keypad.KeyFrequencies(digit)
}
