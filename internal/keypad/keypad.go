package keypad

// Keys lists the 16 keys in keypad order: the key of row r (low tone r)
// and column c (high tone c) is Keys[4*r+c].
const Keys = "123A456B789C*0#D"

// low and high are the nominal tone frequencies [Hz] of the rows and
// columns (ITU-T Q.23). Unexported: callers get copies.
var (
	low  = [4]float64{697, 770, 852, 941}
	high = [4]float64{1209, 1336, 1477, 1633}
)

// LowFrequencies returns the nominal frequencies [Hz] of the four rows
// (the low group), top row first. The array is a copy.
func LowFrequencies() [4]float64 { return low }

// HighFrequencies returns the nominal frequencies [Hz] of the four columns
// (the high group), left column first. The array is a copy.
func HighFrequencies() [4]float64 { return high }

// Frequencies returns the eight nominal frequencies [Hz], the low group
// then the high group: the order of the detector's filters. The array is a
// copy.
func Frequencies() [8]float64 {
	return [8]float64{low[0], low[1], low[2], low[3], high[0], high[1], high[2], high[3]}
}

// index maps a byte to its position in Keys plus one (0: not a key).
var index = func() (t [256]uint8) {
	for i := range len(Keys) {
		t[Keys[i]] = uint8(i + 1)
	}
	return t
}()

// Index returns the position of key d in [Keys] (4*row + column), or -1 if
// d is not one of the 16 keys.
func Index(d byte) int { return int(index[d]) - 1 }

// IsKey reports whether d is one of the 16 keys.
func IsKey(d byte) bool { return index[d] != 0 }

// Position returns the row (low tone, 0-3) and column (high tone, 0-3) of
// key d, and false if d is not a key.
func Position(d byte) (row, col int, ok bool) {
	i := Index(d)
	if i < 0 {
		return 0, 0, false
	}
	return i / 4, i % 4, true
}

// Key returns the key at row and col (each 0-3), and false if either is out
// of range.
func Key(row, col int) (byte, bool) {
	if row < 0 || row > 3 || col < 0 || col > 3 {
		return 0, false
	}
	return Keys[4*row+col], true
}

// KeyFrequencies returns the nominal low and high tone frequencies [Hz] of
// key d, and false if d is not a key.
func KeyFrequencies(d byte) (lowHz, highHz float64, ok bool) {
	row, col, ok := Position(d)
	if !ok {
		return 0, 0, false
	}
	return low[row], high[col], true
}

// events lists the keys by RFC 4733 event code: "0"-"9" are 0-9, '*' is
// 10, '#' is 11 and 'A'-'D' are 12-15 (RFC 4733 §3.2, table 3).
const events = "0123456789*#ABCD"

// event maps a byte to its RFC 4733 event code plus one (0: not a key).
var event = func() (t [256]uint8) {
	for i := range len(events) {
		t[events[i]] = uint8(i + 1)
	}
	return t
}()

// Event returns the RFC 4733 telephone-event code of key d (0-9 for '0'-'9',
// 10 for '*', 11 for '#', 12-15 for 'A'-'D'), and false if d is not a key.
func Event(d byte) (code uint8, ok bool) {
	c := event[d]
	return c - 1, c != 0
}

// FromEvent returns the key of RFC 4733 event code, and false for a code
// outside 0-15 (the other telephone events: flash, tones, ...).
func FromEvent(code uint8) (byte, bool) {
	if code >= uint8(len(events)) {
		return 0, false
	}
	return events[code], true
}
