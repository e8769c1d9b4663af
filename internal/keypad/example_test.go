package keypad_test

import (
	"fmt"

	"github.com/dtmfkit/dtmf/internal/keypad"
)

// Look a key up by digit and by RFC 4733 event code.
func Example() {
	row, col, _ := keypad.Position('#')
	low, high, _ := keypad.KeyFrequencies('#')
	code, _ := keypad.Event('#')
	back, _ := keypad.FromEvent(code)
	fmt.Printf("# is row %d column %d: %g + %g Hz, RFC 4733 event %d (%c)\n", row, col, low, high, code, back)
	// Output:
	// # is row 3 column 2: 941 + 1477 Hz, RFC 4733 event 11 (#)
}
