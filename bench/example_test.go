package bench_test

import (
	"context"
	"fmt"

	"github.com/dtmfkit/dtmf/bench"
)

// Build a test signal and decode it with this module's detector.
func ExampleSpec() {
	s := bench.DefaultSpec()
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
	got, err := bench.NewNative().Decode(context.Background(), [][]int16{sig.PCM}, sig.SampleRate)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range got[0] {
		fmt.Printf("decoded %c: %g ms\n", p.Digit, p.DurationMS)
	}
	// Output:
	// wrote 5: samples 800 to 1320
	// wrote #: samples 1680 to 2200
	// decoded 5: 65 ms
	// decoded #: 65 ms
}

// Run two categories of the quick subset and print the verdicts.
func ExampleRun() {
	rep, err := bench.Run(context.Background(), bench.Options{Quick: true, Categories: []string{"keys", "length"}}, bench.NewNative())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Checks {
		r := c.Results[0]
		fmt.Printf("%s: %s — %s %d/%d\n", c.Category, c.Name, r.Status, r.Passed, r.Total)
	}
	// Output:
	// keys: all 16 keys, 100 ms at -10 dBm0 per tone — pass 64/64
	// length: 40 ms tones — pass 64/64
	// length: 23 ms tones — pass 64/64
}

// Print the command that rebuilds a signal.
func ExampleSpec_Command() {
	s := bench.DefaultSpec()
	s.Digits = "0"
	s.Gaps = [][2]float64{{50, 20}}
	s.Codec = bench.CodecULaw
	fmt.Println(s.Command("t.wav"))
	// Output:
	// dtmf gen --rate 8000 --seed 1 --digits 0 --tone 100 --pause 100 --lead 100 --trail 100 --low-level -10 --high-level -10 --gap 50:20 --codec ulaw t.wav
}
