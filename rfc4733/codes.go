package rfc4733

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

// digits lays the DTMF keys out by event code (RFC 4733 §3.2, Table 3).
// The key table lives here only, so that it can be switched to the
// library's shared keypad table in one place.
const digits = "0123456789*#ABCD"

// codes maps a key byte to its event code + 1 (0: not a key).
var codes = func() (t [256]uint8) {
	for i := range len(digits) {
		t[digits[i]] = uint8(i) + 1
	}
	return t
}()

// Digit returns the key of a DTMF event code ('0'-'9', '*', '#', 'A'-'D'
// for codes 0-15), and false for any other code.
func Digit(code uint8) (byte, bool) {
	if code >= NumDTMF {
		return 0, false
	}
	return digits[code], true
}

// Code returns the event code of a DTMF key ('0'-'9', '*', '#', 'A'-'D',
// upper case only), and false for any other byte.
func Code(digit byte) (uint8, bool) {
	c := codes[digit]
	return c - 1, c != 0
}
