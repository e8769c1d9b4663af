package siggen_test

import (
	"fmt"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

// Build a test signal and decode it with this module's detector.
func ExampleSpec() {
	s := siggen.DefaultSpec()
	s.Digits = "5#"
	s.ToneMS, s.PauseMS = 65, 45
	s.LowLevel, s.HighLevel = -20, -24 // 4 dB of normal twist
	sig, err := s.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range sig.Presses {
		fmt.Printf("wrote %c: samples %d to %d\n", p.Digit, p.Start, p.End)
	}
	d, err := detector.New(detector.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range d.Flush(d.Process(nil, sig.PCM)) {
		if e.Type == detector.KeyUp {
			fmt.Printf("decoded %c: %d ms\n", e.Digit, e.DurationMS)
		}
	}
	// Output:
	// wrote 5: samples 800 to 1320
	// wrote #: samples 1680 to 2200
	// decoded 5: 65 ms
	// decoded #: 65 ms
}

// Print the command that rebuilds a signal.
func ExampleSpec_Command() {
	s := siggen.DefaultSpec()
	s.Digits = "0"
	s.Gaps = [][2]float64{{50, 20}}
	s.Codec = siggen.CodecULaw
	fmt.Println(s.Command("t.wav"))
	// Output:
	// dtmf gen --rate 8000 --seed 1 --digits 0 --tone 100 --pause 100 --lead 100 --trail 100 --low-level -10 --high-level -10 --gap 50:20 --codec ulaw t.wav
}
