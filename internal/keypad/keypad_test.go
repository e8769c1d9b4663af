package keypad_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/keypad"
)

// q23 is the keypad of ITU-T Q.23, figure 1, written out independently of
// the package's tables: rows are the low tones, columns the high tones.
var (
	q23Rows = [4]float64{697, 770, 852, 941}
	q23Cols = [4]float64{1209, 1336, 1477, 1633}
	q23     = [4][4]byte{
		{'1', '2', '3', 'A'},
		{'4', '5', '6', 'B'},
		{'7', '8', '9', 'C'},
		{'*', '0', '#', 'D'},
	}
)

// rfc4733 is table 3 of RFC 4733 §3.2 (DTMF named events).
var rfc4733 = map[byte]uint8{
	'0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
	'*': 10, '#': 11, 'A': 12, 'B': 13, 'C': 14, 'D': 15,
}

func TestKeypadMatchesQ23(t *testing.T) {
	assert.Equal(t, q23Rows, keypad.LowFrequencies())
	assert.Equal(t, q23Cols, keypad.HighFrequencies())
	assert.Equal(t, [8]float64{697, 770, 852, 941, 1209, 1336, 1477, 1633}, keypad.Frequencies())
	for r := range 4 {
		for c := range 4 {
			d := q23[r][c]
			k, ok := keypad.Key(r, c)
			require.True(t, ok)
			assert.Equal(t, d, k, "row %d column %d", r, c)
			assert.Equal(t, d, keypad.Keys[4*r+c])
			row, col, ok := keypad.Position(d)
			require.True(t, ok)
			assert.Equal(t, [2]int{r, c}, [2]int{row, col}, "position of %c", d)
			assert.Equal(t, 4*r+c, keypad.Index(d))
			lo, hi, ok := keypad.KeyFrequencies(d)
			require.True(t, ok)
			assert.Equal(t, [2]float64{q23Rows[r], q23Cols[c]}, [2]float64{lo, hi}, "tones of %c", d)
		}
	}
}

// Every byte that is not one of the 16 keys (lower-case a-d included) is
// rejected by every lookup.
func TestNotAKey(t *testing.T) {
	keys := 0
	for b := range 256 {
		d := byte(b)
		_, want := rfc4733[d]
		assert.Equal(t, want, keypad.IsKey(d), "IsKey(%q)", d)
		_, _, ok := keypad.Position(d)
		assert.Equal(t, want, ok, "Position(%q)", d)
		_, _, ok = keypad.KeyFrequencies(d)
		assert.Equal(t, want, ok, "KeyFrequencies(%q)", d)
		_, ok = keypad.Event(d)
		assert.Equal(t, want, ok, "Event(%q)", d)
		if want {
			keys++
		} else {
			assert.Equal(t, -1, keypad.Index(d), "Index(%q)", d)
		}
	}
	assert.Equal(t, 16, keys)
	for _, rc := range [][2]int{{-1, 0}, {0, -1}, {4, 0}, {0, 4}, {100, 100}} {
		_, ok := keypad.Key(rc[0], rc[1])
		assert.False(t, ok, "Key(%d, %d)", rc[0], rc[1])
	}
}

func TestEventCodes(t *testing.T) {
	for d, code := range rfc4733 {
		got, ok := keypad.Event(d)
		require.True(t, ok)
		assert.Equal(t, code, got, "event code of %c", d)
		back, ok := keypad.FromEvent(code)
		require.True(t, ok)
		assert.Equal(t, d, back, "key of event %d", code)
	}
	for code := 16; code < 256; code++ { // flash (16) and the tones are not keys
		_, ok := keypad.FromEvent(uint8(code))
		assert.False(t, ok, "FromEvent(%d)", code)
	}
}

// The accessors hand out copies: writing to one changes nothing else.
func TestTablesAreReadOnly(t *testing.T) {
	lo, hi, all := keypad.LowFrequencies(), keypad.HighFrequencies(), keypad.Frequencies()
	for i := range lo {
		lo[i], hi[i] = 1, 2
	}
	for i := range all {
		all[i] = 3
	}
	assert.Equal(t, q23Rows, keypad.LowFrequencies())
	assert.Equal(t, q23Cols, keypad.HighFrequencies())
	l, h, _ := keypad.KeyFrequencies('5')
	assert.Equal(t, [2]float64{770, 1336}, [2]float64{l, h})
}

func TestLookupsDoNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		for b := range 256 {
			_ = keypad.Index(byte(b))
			_, _, _ = keypad.KeyFrequencies(byte(b))
			_, _ = keypad.Event(byte(b))
		}
		_ = keypad.Frequencies()
	})
	assert.Zero(t, allocs)
}
