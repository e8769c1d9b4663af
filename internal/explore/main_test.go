package explore

import (
	"fmt"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
)

func TestExplore(t *testing.T) {
	s := synth.New(8000, 1)
	s.Silence(100)
	for _, d := range []byte("1234567890*#ABCD") {
		s.Add(synth.Tone{Digit: d, Duration: 100, LowLevel: -10, HighLevel: -10, RandomPhase: true})
		s.Silence(100)
	}
	det, err := detector.New(detector.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("state size", det.StateSize())
	ev := det.Process(nil, s.PCM())
	ev = det.Flush(ev)
	for _, e := range ev {
		fmt.Printf("%v %c start=%d end=%d at=%d dur=%d lvl=%.1f/%.1f f=%.1f/%.1f\n", e.Type, e.Digit, e.Start, e.End, e.At, e.DurationMS, e.LowLevel, e.HighLevel, e.LowFreq, e.HighFreq)
	}
	for _, p := range s.Presses {
		fmt.Println("truth", string(p.Digit), p.Start, p.End)
	}
}
