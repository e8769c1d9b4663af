package capture_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// Write a capture of one RTP stream carrying a key as telephone-events,
// then decode every stream of it.
func ExampleDecode() {
	var file bytes.Buffer
	w, err := capture.NewWriter(&file)
	if err != nil {
		panic(err)
	}
	src, dst := netip.MustParseAddrPort("192.0.2.1:4000"), netip.MustParseAddrPort("198.51.100.2:5004")
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	code, _ := rfc4733.Code('4')
	for i := range 60 {
		p := rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: uint16(i), Timestamp: uint32(160 * i), SSRC: 0x1234}}
		if i >= 10 && i < 20 { // a key from 200 ms, for 160 ms, instead of audio
			d := uint16(160 * (i - 9))
			p.PayloadType, p.Timestamp = 101, 1600
			p.Payload, _ = rfc4733.Event{Code: code, End: d >= 1280, Volume: 10, Duration: min(d, 1280)}.Append(nil)
		} else {
			p.Payload = bytes.Repeat([]byte{0xff}, 160) // PCMU silence
		}
		b, _ := p.Marshal()
		if err := w.WriteUDP(start.Add(time.Duration(i)*20*time.Millisecond), src, dst, b); err != nil {
			panic(err)
		}
	}
	res, err := capture.Decode(bytes.NewReader(file.Bytes()), capture.DefaultConfig())
	if err != nil {
		panic(err)
	}
	for _, s := range res.Streams {
		fmt.Printf("stream %#x %v -> %v, %d packets\n", s.SSRC, s.Src, s.Dst, s.Packets)
		for _, e := range s.Events {
			if e.Type == detector.KeyUp {
				fmt.Printf("  key %c at %v, %d ms, %v\n", e.Digit, e.Offset, e.DurationMS, e.Source)
			}
		}
	}
	// Output:
	// stream 0x1234 192.0.2.1:4000 -> 198.51.100.2:5004, 60 packets
	//   key 4 at 200ms, 160 ms, rfc4733
}
