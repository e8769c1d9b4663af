package suppress_test

import (
	"fmt"
	"math"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/suppress"
)

// pressSignal returns 8 kHz audio: 50 ms of silence, 100 ms of the key at
// -10 dBm0 per tone, 250 ms of silence.
func pressSignal(digit byte) []int16 {
	low, high, _ := detector.KeyFrequencies(digit)
	amp := 0.6997 * 32768 * math.Pow(10, -10.0/20)
	x := make([]int16, 3200)
	for i := 400; i < 1200; i++ {
		t := float64(i) / 8000
		x[i] = int16(amp*math.Sin(2*math.Pi*low*t) + amp*math.Sin(2*math.Pi*high*t))
	}
	return x
}

// Suppress a key press in forwarded audio: each 20 ms frame is replaced in
// place by the frame to forward, Delay samples late, with the press cut out.
func Example() {
	s, err := suppress.New(suppress.DefaultConfig())
	if err != nil {
		panic(err)
	}
	fmt.Printf("delay: %d samples (%.3f ms)\n", s.Delay(), float64(s.Delay())/8)
	pcm := pressSignal('7')
	var events []detector.Event
	var spans []suppress.Span
	loud := 0
	for i := 0; i < len(pcm); i += 160 {
		frame := pcm[i : i+160]
		events = s.Process(events[:0], frame) // frame now holds the audio to forward
		for _, e := range events {
			if e.Type == detector.KeyUp {
				fmt.Printf("key %c: duration_ms=%d\n", e.Digit, e.DurationMS)
			}
		}
		spans = s.AppendSpans(spans)
		for _, v := range frame {
			if v > 100 || v < -100 {
				loud++
			}
		}
	}
	for _, sp := range spans {
		fmt.Printf("replaced %c: %.1f to %.1f ms\n", sp.Digit, float64(sp.Start)/8, float64(sp.End)/8)
	}
	fmt.Println("samples of tone forwarded:", loud)
	// Output:
	// delay: 319 samples (39.875 ms)
	// key 7: duration_ms=100
	// replaced 7: 45.0 to 155.0 ms
	// samples of tone forwarded: 0
}

// Suppress in a PCMU stream: the payload is rewritten in place, and every
// byte outside the replaced span is the byte that came in.
func ExampleSuppressor_ProcessULaw() {
	s, err := suppress.New(suppress.DefaultConfig())
	if err != nil {
		panic(err)
	}
	payload := make([]byte, 160)
	for range 3 {
		for i := range payload {
			payload[i] = 0x7F // µ-law's negative zero: re-encoding would give 0xFF
		}
		s.ProcessULaw(nil, payload) // the first 319 bytes out are silence (0xFF)
	}
	fmt.Printf("%#02x %#02x\n", payload[0], payload[159])
	// Output: 0x7f 0x7f
}

// End a stream: Flush writes out the last Delay samples and the remaining
// events; the suppressor is then ready for the next stream (as after Reset).
func ExampleSuppressor_Flush() {
	s, err := suppress.New(suppress.DefaultConfig())
	if err != nil {
		panic(err)
	}
	pcm := pressSignal('#')[:1000] // the stream ends while the key is down
	events := s.Process(nil, pcm)
	tail := make([]int16, s.Delay())
	events = s.Flush(events, tail)
	for _, e := range events {
		fmt.Println(e.Type, string(e.Digit))
	}
	for _, sp := range s.AppendSpans(nil) {
		fmt.Printf("replaced %c: samples %d to %d\n", sp.Digit, sp.Start, sp.End)
	}
	fmt.Println("position after Flush:", s.Position())
	// Output:
	// keydown #
	// keyup #
	// replaced #: samples 360 to 1000
	// position after Flush: 0
}
