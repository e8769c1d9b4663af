package capture

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// FuzzReader: any bytes are a capture, an error wrapping ErrFormat, or a
// sequence of packets ending in io.EOF, ErrTruncated or ErrCorrupt; a
// packet's payload is never longer than the input.
func FuzzReader(f *testing.F) {
	f.Add(writePcap(f, layers.LinkTypeEthernet, frame(f, layers.LinkTypeEthernet, ipUDP(f, src4, dst4, []byte("hello")))))
	f.Add(writePcap(f, layers.LinkTypeLinuxSLL2, frame(f, layers.LinkTypeLinuxSLL2, ipUDP(f, src6, dst6, []byte("x")))))
	f.Add(pcapngOf(f, frame(f, layers.LinkTypeEthernet, ipUDP(f, src4, dst4, []byte("ng")))))
	f.Add(callCapture(f, true)[:2000])
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := NewReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("NewReader: %v", err)
			}
			return
		}
		for range 100000 {
			p, err := c.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Next: unexpected error %v", err)
				}
				return
			}
			if len(p.Payload) > len(data) || !p.Src.IsValid() || !p.Dst.IsValid() {
				t.Fatalf("packet %+v from %d bytes", p, len(data))
			}
		}
		t.Fatal("no end")
	})
}

// FuzzDecode: any capture decodes without panicking, and every event is a
// key with sane timing.
func FuzzDecode(f *testing.F) {
	f.Add(callCapture(f, true))
	f.Add(callCapture(f, false)[:3000])
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := DefaultConfig()
		cfg.MaxStreams, cfg.MaxEndpoints = 8, 8
		res, err := Decode(bytes.NewReader(data), cfg)
		if err != nil && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Decode: %v", err)
		}
		if res == nil {
			return
		}
		if len(res.Streams) > 8 {
			t.Fatalf("%d streams", len(res.Streams))
		}
		for _, s := range res.Streams {
			for _, e := range s.Events {
				if e.Type == 2 && (e.End < e.Start || e.DurationMS < 0) {
					t.Fatalf("event %+v", e)
				}
				if !bytes.ContainsRune([]byte("0123456789ABCD*#"), rune(e.Digit)) {
					t.Fatalf("digit %q", e.Digit)
				}
			}
		}
	})
}
