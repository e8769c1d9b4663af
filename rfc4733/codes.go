package rfc4733

import "github.com/dtmfkit/dtmf/internal/keypad"

// Event codes of RFC 4733 §3.2 besides the digits.
const (
	// CodeStar and CodePound are the '*' and '#' keys.
	CodeStar  = 10
	CodePound = 11
	// CodeA is the 'A' key; 'B', 'C' and 'D' follow it.
	CodeA = 12
	// CodeFlash is the hook flash (register recall), not a DTMF tone.
	CodeFlash = 16
	// NumDTMF is the number of DTMF event codes, 0 to NumDTMF-1.
	NumDTMF = 16
)

// Digit returns the key of a DTMF event code ('0'-'9', '*', '#', 'A'-'D'
// for codes 0-15), and false for any other code. The table is the
// library's keypad (internal/keypad), shared with the detector.
func Digit(code uint8) (byte, bool) { return keypad.FromEvent(code) }

// Code returns the event code of a DTMF key ('0'-'9', '*', '#', 'A'-'D',
// upper case only), and false for any other byte.
func Code(digit byte) (uint8, bool) { return keypad.Event(digit) }
