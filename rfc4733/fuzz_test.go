package rfc4733_test

import (
	"bytes"
	"testing"

	"github.com/dtmfkit/dtmf/rfc4733"
)

// FuzzUnmarshal: any bytes either fail with ErrPayloadSize (and then Count
// fails too) or parse into events that marshal back to the same bytes with
// the reserved bit cleared.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte{5, 0x8a, 0x03, 0x20})
	f.Add([]byte{1, 0x40, 0, 0, 2, 0x80, 0xff, 0xff})
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := rfc4733.Count(b)
		if err != nil {
			if len(b) > 0 && len(b)%4 == 0 {
				t.Fatalf("Count rejected %d bytes: %v", len(b), err)
			}
			var e rfc4733.Event
			if len(b) == 4 && e.Unmarshal(b) != nil {
				t.Fatal("4 bytes must unmarshal")
			}
			return
		}
		out := make([]byte, 0, len(b))
		for i := range n {
			var e rfc4733.Event
			if err := e.Unmarshal(b[4*i : 4*i+4]); err != nil {
				t.Fatal(err)
			}
			if e.Volume > rfc4733.MaxVolume {
				t.Fatalf("volume %d", e.Volume)
			}
			if out, err = e.Append(out); err != nil {
				t.Fatal(err)
			}
		}
		want := bytes.Clone(b)
		for i := 1; i < len(want); i += 4 {
			want[i] &^= 0x40
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("round trip %x -> %x", b, out)
		}
	})
}
