package rtpdtmf

import (
	"encoding/binary"
	"sync"
	"testing"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/rfc4733"
)

var (
	fuzzFramesOnce sync.Once
	// fuzzFrames[k][i] is the i-th 20 ms µ-law frame of a long tone of
	// key k (k = 16: silence).
	fuzzFrames [17][8][]byte
)

func fuzzFrame(key, i int) []byte {
	fuzzFramesOnce.Do(func() {
		for k := range 17 {
			s := synth.New(8000, uint64(k))
			if k < 16 {
				_ = s.Add(synth.Tone{Digit: detector.Keys[k], Duration: 160, LowLevel: -10, HighLevel: -10})
			} else {
				s.Silence(160)
			}
			pcm := s.PCM()
			for j := range 8 {
				f := make([]byte, 160)
				for n, v := range pcm[j*160 : j*160+160] {
					f[n] = g711.LinearToULaw(v)
				}
				fuzzFrames[k][j] = f
			}
		}
	})
	return fuzzFrames[key%17][i%8]
}

// fuzzSource turns the fuzzers' 8-byte records (kind, sequence step,
// timestamp step, key, flags, duration) into packets of one stream.
type fuzzSource struct {
	seq  uint16
	ts   uint32
	ssrc uint32
}

func newFuzzSource() *fuzzSource { return &fuzzSource{seq: 100, ts: 1000, ssrc: 1} }

// next reads one record: an audio frame of a key or silence, or a
// telephone-event (ok, p); raw bytes to parse as a packet (raw); or a new
// SSRC (neither).
func (s *fuzzSource) next(rec []byte) (p rtp.Packet, raw []byte, ok bool) {
	s.seq += uint16(int8(rec[1]))
	s.ts += uint32(int32(int16(binary.BigEndian.Uint16(rec[2:]))))
	p = rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.ssrc}}
	switch rec[0] % 4 {
	case 0:
		p.Payload = fuzzFrame(int(rec[4]), int(rec[5]))
	case 1:
		p.PayloadType = 101
		p.Marker = rec[5]&1 != 0
		ev := rfc4733.Event{Code: rec[4] % 20, End: rec[5]&0x80 != 0, Volume: rec[5] & 0x3f, Duration: binary.BigEndian.Uint16(rec[6:])}
		p.Payload, _ = ev.Append(nil)
	case 2:
		return p, rec[1:], false
	case 3:
		s.ssrc += uint32(rec[4])
		return p, nil, false
	}
	return p, nil, true
}

// FuzzReceiver drives a receiver with packets built from 8-byte records
// (kind, sequence step, timestamp step, key, flags, duration): audio frames
// of keys or silence, telephone-events, raw bytes, SSRC changes, in any
// order. Whatever comes, no panic, and what comes out keeps the contract:
// a valid digit and type, a key-up never before its key-down's start, a
// source, and at most a few events per packet.
func FuzzReceiver(f *testing.F) {
	f.Add([]byte{0, 1, 0, 160, 5, 0, 0, 0, 0, 1, 0, 160, 5, 0, 0, 0, 1, 1, 0, 0, 5, 0x80, 1, 0, 0, 1, 0, 160, 5, 0, 0, 0})
	f.Add([]byte{1, 1, 0, 0, 3, 0, 0, 160, 1, 0, 0, 0, 3, 0x80, 3, 0, 1, 0, 0, 0, 3, 0x80, 3, 0, 2, 3, 0x80, 0, 0, 1, 2, 3})
	f.Add([]byte{0, 1, 0, 160, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 200, 0, 160, 1, 0, 0, 0, 0, 1, 255, 160, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := DefaultConfig()
		cfg.ReorderWindow = int(len(data) % 5)
		r, err := NewReceiver(cfg)
		if err != nil {
			t.Fatal(err)
		}
		src := newFuzzSource()
		var evs []Event
		for i := 0; i+8 <= len(data); i += 8 {
			p, raw, ok := src.next(data[i : i+8])
			if raw != nil {
				evs, _ = r.Process(evs, raw)
			}
			if !ok {
				continue
			}
			before := len(evs)
			evs, _ = r.ProcessPacket(evs, &p)
			if len(evs)-before > 12 {
				t.Fatalf("%d events from one packet", len(evs)-before)
			}
		}
		evs = r.Flush(evs)
		for _, e := range evs {
			if e.Type != detector.KeyDown && e.Type != detector.KeyUp {
				t.Fatalf("type %v", e.Type)
			}
			if _, ok := rfc4733.Code(e.Digit); !ok {
				t.Fatalf("digit %q", e.Digit)
			}
			if e.Source != InBand && e.Source != RFC4733 {
				t.Fatalf("source %v", e.Source)
			}
			if e.Type == detector.KeyUp && (e.End < e.Start || e.DurationMS < 0) {
				t.Fatalf("key-up %+v", e)
			}
		}
	})
}

// FuzzGateway drives a gateway with the same records as FuzzReceiver:
// audio frames of keys or silence, telephone-events with any timestamp
// and duration (a sender that mutes its audio, or whose clock jumps),
// raw bytes and SSRC changes, in any order. Whatever comes, no panic, and
// what goes out is a stream: version 2, sequence numbers that never go
// back, the input's payload types or the event type, and a bounded number
// of packets per packet in.
func FuzzGateway(f *testing.F) {
	f.Add([]byte{0, 1, 0, 160, 5, 0, 0, 0, 1, 1, 0, 0, 5, 0x80, 1, 0, 1, 1, 0, 0, 5, 0, 6, 0, 1, 1, 0, 0, 5, 0x80, 9, 0, 0, 1, 0x0c, 0x80, 16, 0, 0, 0})
	f.Add([]byte{0, 1, 0, 160, 1, 0, 0, 0, 1, 1, 0, 160, 1, 1, 0xff, 0xff, 1, 1, 0, 0, 1, 0x80, 0xff, 0xff, 0, 1, 0x7f, 0xff, 1, 0, 0, 0})
	f.Add([]byte{0, 1, 0, 160, 3, 0, 0, 0, 0, 1, 0, 160, 3, 1, 0, 0, 3, 0, 0, 0, 9, 0, 0, 0, 0, 1, 0, 160, 3, 2, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := DefaultGatewayConfig()
		cfg.Receiver.ReorderWindow = int(len(data) % 5)
		cfg.KeepTones = len(data)%2 == 0
		g, err := NewGateway(cfg)
		if err != nil {
			t.Fatal(err)
		}
		src := newFuzzSource()
		var out []rtp.Packet
		var last uint16
		sent := false
		check := func(from int) {
			if len(out)-from > maxPending+32 {
				t.Fatalf("%d packets out for one in", len(out)-from)
			}
			for _, o := range out[from:] {
				if o.Version != 2 || (o.PayloadType != 0 && o.PayloadType != cfg.EventPayloadType) {
					t.Fatalf("packet out %+v", o.Header)
				}
				if sent && int16(o.SequenceNumber-last) <= 0 {
					t.Fatalf("sequence %d after %d", o.SequenceNumber, last)
				}
				last, sent = o.SequenceNumber, true
			}
		}
		for i := 0; i+8 <= len(data); i += 8 {
			p, raw, ok := src.next(data[i : i+8])
			from := len(out)
			if raw != nil {
				out, _ = g.Process(out, raw)
			}
			if ok {
				out, _ = g.ProcessPacket(out, &p)
			}
			check(from)
		}
		from := len(out)
		out = g.Flush(out)
		check(from)
	})
}
