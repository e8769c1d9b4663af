package soak_test

import (
	"fmt"

	"github.com/dtmfkit/dtmf/internal/soak"
)

// Walk an hour of audio in 20 ms frames, counting the DTMF bursts, as a soak
// test feeds a detector.
func Example() {
	p := soak.New(soak.Config{Seed: 1})
	s := p.Stream()
	const hour = 3600 * soak.Rate
	bursts := 0
	for s.Position() < hour {
		_, seg, off := s.Next()
		if seg.Kind == soak.Burst && off == 0 {
			bursts++
		}
	}
	fmt.Printf("%d samples, %d bursts of %d keys\n", s.Position(), bursts, len(p.Burst().Presses))
	// Output:
	// 28800000 samples, 336 bursts of 16 keys
}
