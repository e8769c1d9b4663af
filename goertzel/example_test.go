package goertzel_test

import (
	"fmt"
	"math"

	"github.com/dtmfkit/dtmf/goertzel"
)

// Measure a 770 Hz tone with the Goertzel recurrence: its power is
// (A·N/2)² at its own frequency and tiny at a neighbour's.
func ExampleFilter() {
	const rate, n = 8000.0, 205
	x := make([]float64, n)
	for i := range x {
		x[i] = 1000 * math.Sin(2*math.Pi*770*float64(i)/rate)
	}
	for _, f := range []float64{697, 770, 852} {
		flt, err := goertzel.NewFilter(f, rate)
		if err != nil {
			panic(err)
		}
		amp := 2 * math.Sqrt(flt.BlockPower(x)) / n
		fmt.Printf("%v Hz: amplitude %.0f\n", f, amp)
	}
	// Output:
	// 697 Hz: amplitude 73
	// 770 Hz: amplitude 994
	// 852 Hz: amplitude 42
}

// A bank evaluates the eight DTMF frequencies over a block in one pass; it
// is built once and shared by every channel. Here, a 25.6 ms block of key 5
// (770 Hz + 1336 Hz, amplitude 8000 each).
func ExampleBank() {
	const n = 205
	freqs := []float64{697, 770, 852, 941, 1209, 1336, 1477, 1633}
	bank, err := goertzel.NewBank(8000, n, freqs)
	if err != nil {
		panic(err)
	}
	block := make([]int16, n)
	for i := range block {
		t := float64(i) / 8000
		block[i] = int16(math.Round(8000*math.Sin(2*math.Pi*770*t) + 8000*math.Sin(2*math.Pi*1336*t)))
	}
	out, err := bank.Transform(nil, block)
	if err != nil {
		panic(err)
	}
	for k, x := range out {
		amp := 2 * math.Hypot(float64(real(x)), float64(imag(x))) / n
		fmt.Printf("%4.0f Hz %5.0f\n", freqs[k], amp)
	}
	// Output:
	//  697 Hz   591
	//  770 Hz  7999
	//  852 Hz   438
	//  941 Hz   522
	// 1209 Hz   604
	// 1336 Hz  8001
	// 1477 Hz   632
	// 1633 Hz   289
}
