package rfc4733_test

import (
	"fmt"

	"github.com/dtmfkit/dtmf/rfc4733"
)

// Read the payload of a telephone-event packet: the final packet of a '#'
// held for 120 ms at 8000 Hz, at -10 dBm0.
func ExampleEvent_Unmarshal() {
	payload := []byte{0x0b, 0x8a, 0x03, 0xc0}
	var e rfc4733.Event
	if err := e.Unmarshal(payload); err != nil {
		panic(err)
	}
	digit, _ := rfc4733.Digit(e.Code)
	fmt.Printf("key %c end=%v level=%v dBm0 duration=%d ms\n", digit, e.End, rfc4733.Level(e.Volume), int(e.Duration)/8)
	// Output:
	// key # end=true level=-10 dBm0 duration=120 ms
}

// Write an event into a packet buffer without allocating.
func ExampleEvent_MarshalTo() {
	code, _ := rfc4733.Code('5')
	e := rfc4733.Event{Code: code, Volume: rfc4733.Volume(-7.2), Duration: 400}
	var buf [rfc4733.PayloadSize]byte
	n, err := e.MarshalTo(buf[:])
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x (%v)\n", buf[:n], e)
	// Output:
	// 05 07 01 90 (5 vol=7 dur=400)
}
