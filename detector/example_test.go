package detector_test

import (
	"fmt"
	"math"

	"github.com/dtmfkit/dtmf/detector"
)

// keySignal returns silence, 120 ms of the given key and silence at 8 kHz,
// each tone at -10 dBm0.
func keySignal(digit byte) []int16 {
	low, high, _ := detector.KeyFrequencies(digit)
	amp := 0.6997 * 32768 * math.Pow(10, -10.0/20)
	x := make([]int16, 2400)
	for i := 400; i < 400+960; i++ {
		t := float64(i) / 8000
		x[i] = int16(amp*math.Sin(2*math.Pi*low*t) + amp*math.Sin(2*math.Pi*high*t))
	}
	return x
}

// Decode one key press: a key-down as soon as it is confirmed, a key-up with
// the measured duration when it is released.
func Example() {
	d, err := detector.New(detector.DefaultConfig())
	if err != nil {
		panic(err)
	}
	pcm := keySignal('7')
	var events []detector.Event
	for i := 0; i < len(pcm); i += 160 { // 20 ms frames, as a media server gets them
		events = d.Process(events[:0], pcm[i:i+160])
		for _, e := range events {
			switch e.Type {
			case detector.KeyDown:
				fmt.Printf("key %c down at %.1f ms (tone began at %.1f ms)\n", e.Digit, float64(e.At)/8, float64(e.Start)/8)
			case detector.KeyUp:
				fmt.Printf("key %c up: duration_ms=%d\n", e.Digit, e.DurationMS)
			}
		}
	}
	// Output:
	// key 7 down at 75.0 ms (tone began at 50.0 ms)
	// key 7 up: duration_ms=120
}

// Reuse one detector per channel across calls: Flush ends a call's stream
// (reporting a key still held) and leaves the detector ready for the next.
func Example_reset() {
	d, err := detector.New(detector.DefaultConfig())
	if err != nil {
		panic(err)
	}
	for _, key := range []byte("#0") {
		events := d.Process(nil, keySignal(key)[:1000]) // the call ends with the key held
		events = d.Flush(events)
		for _, e := range events {
			fmt.Println(e.Type, string(e.Digit), e.DurationMS)
		}
	}
	// Output:
	// keydown # 0
	// keyup # 75
	// keydown 0 0
	// keyup 0 75
}

// Explain why a tone is not a key: a key with a third tone as strong as its
// own two (a chord) is looked at, and rejected by the third-tone check.
func ExampleDetector_Explain() {
	d, err := detector.New(detector.DefaultConfig())
	if err != nil {
		panic(err)
	}
	shown := false
	d.Explain(func(e *detector.Evaluation) {
		if e.Stage != detector.StageConfirm || shown {
			return
		}
		shown = true // the first attempt to confirm it
		for c, r := range e.Checks {
			if r.Measured && !r.Passed {
				fmt.Printf("%c at %.0f ms: %s %.1f dB, allowed up to %.0f dB\n", e.Digit, float64(e.At)/8, detector.Check(c), r.Value, r.Max)
			}
		}
	})
	pcm := keySignal('5')
	amp := 0.6997 * 32768 * math.Pow(10, -10.0/20)
	for i := 400; i < 400+960; i++ { // a third tone, 1100 Hz, as loud as the key's
		pcm[i] += int16(amp * math.Sin(2*math.Pi*1100*float64(i)/8000))
	}
	fmt.Println("keys:", len(d.Flush(d.Process(nil, pcm))))
	// Output:
	// 5 at 80 ms: residual -5.4 dB, allowed up to -12 dB
	// 5 at 80 ms: third-tone -0.6 dB, allowed up to -3 dB
	// keys: 0
}
