package talkoff_test

import (
	"fmt"
	"math"

	"github.com/dtmfkit/dtmf/internal/talkoff"
)

// A 1 kHz sine at -15 dBm0 for half a second, then half a second of
// silence: the active level is the sine's, the pause is not counted.
func ExampleActiveLevel() {
	peak := 0.6997 * 32768 * math.Pow(10, -15.0/20)
	pcm := make([]int16, 8000)
	for i := range 4000 {
		pcm[i] = int16(math.Round(peak * math.Sin(2*math.Pi*1000*float64(i)/8000)))
	}
	level, active := talkoff.ActiveLevel(pcm)
	fmt.Printf("%.1f dBm0, %.0f %% active\n", level, 100*active)
	// Output: -15.0 dBm0, 50 % active
}
