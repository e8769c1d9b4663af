package rtpdtmf

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// press is one key in a test signal: silence before it, then the tone.
type press struct {
	digit  byte
	before float64 // ms of silence before the tone
	ms     float64 // tone length
	dBm0   float64 // level of each tone (0 means -10)
	after  float64 // ms of silence after the tone
}

// signal renders presses at rate with seeded random tone phases, returning
// the PCM and the true presses.
func signal(t testing.TB, rate int, seed uint64, presses ...press) ([]int16, []synth.Press) {
	t.Helper()
	s := synth.New(rate, seed)
	for _, p := range presses {
		s.Silence(p.before)
		lvl := p.dBm0
		if lvl == 0 {
			lvl = -10
		}
		require.NoError(t, s.Add(synth.Tone{Digit: p.digit, Duration: p.ms, LowLevel: lvl, HighLevel: lvl, RandomPhase: true}))
		s.Silence(p.after)
	}
	s.Silence(200)
	return s.PCM(), s.Presses
}

// stream packetizes audio as RTP.
type stream struct {
	ssrc  uint32
	seq   uint16
	ts    uint32
	pt    uint8
	enc   Encoding
	frame int // samples per packet
}

func newStream(enc Encoding) *stream {
	s := &stream{ssrc: 0x1234abcd, seq: 1000, ts: 160000, enc: enc, frame: 160}
	switch enc {
	case PCMU:
		s.pt = 0
	case PCMA:
		s.pt = 8
	case L16:
		s.pt = 11
	}
	return s
}

// packets cuts pcm into packets, advancing the stream's seq and ts.
func (s *stream) packets(pcm []int16) []rtp.Packet {
	var out []rtp.Packet
	for i := 0; i+s.frame <= len(pcm); i += s.frame {
		out = append(out, s.audio(pcm[i:i+s.frame]))
	}
	return out
}

func (s *stream) audio(frame []int16) rtp.Packet {
	var payload []byte
	for _, v := range frame {
		switch s.enc {
		case PCMU:
			payload = append(payload, g711.LinearToULaw(v))
		case PCMA:
			payload = append(payload, g711.LinearToALaw(v))
		case L16:
			payload = binary.BigEndian.AppendUint16(payload, uint16(v))
		}
	}
	p := rtp.Packet{
		Header:  rtp.Header{Version: 2, PayloadType: s.pt, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.ssrc},
		Payload: payload,
	}
	s.seq++
	s.ts += uint32(len(frame))
	return p
}

// event returns a telephone-event packet (PT 101) taking the next
// sequence number, at timestamp ts.
func (s *stream) event(ts uint32, marker bool, ev rfc4733.Event) rtp.Packet {
	b, err := ev.Append(nil)
	if err != nil {
		panic(err)
	}
	p := rtp.Packet{
		Header:  rtp.Header{Version: 2, Marker: marker, PayloadType: 101, SequenceNumber: s.seq, Timestamp: ts, SSRC: s.ssrc},
		Payload: b,
	}
	s.seq++
	return p
}

func marshal(t testing.TB, ps []rtp.Packet) [][]byte {
	t.Helper()
	out := make([][]byte, len(ps))
	for i := range ps {
		b, err := ps[i].Marshal()
		require.NoError(t, err)
		out[i] = b
	}
	return out
}

// receive runs packets through r and flushes it, failing on any error.
func receive(t testing.TB, r *Receiver, pkts [][]byte) []Event {
	t.Helper()
	var evs []Event
	for _, b := range pkts {
		var err error
		evs, err = r.Process(evs, b)
		require.NoError(t, err)
	}
	return r.Flush(evs)
}

func newReceiver(t testing.TB, edit func(*Config)) *Receiver {
	t.Helper()
	cfg := DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	r, err := NewReceiver(cfg)
	require.NoError(t, err)
	return r
}

// keyUps returns the KeyUp events.
func keyUps(evs []Event) []Event {
	var out []Event
	for _, e := range evs {
		if e.Type == detector.KeyUp {
			out = append(out, e)
		}
	}
	return out
}

// digits returns the digits of the KeyUp events.
func digits(evs []Event) string {
	var b strings.Builder
	for _, e := range keyUps(evs) {
		b.WriteByte(e.Digit)
	}
	return b.String()
}

func describe(evs []Event) string {
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "%v %c %v start=%d end=%d at=%d dur=%d dup=%v ts=%d\n", e.Type, e.Digit, e.Source, e.Start, e.End, e.At, e.DurationMS, e.Duplicate, e.Timestamp)
	}
	return b.String()
}

// eventOf returns the telephone-event of digit.
func eventOf(digit byte, end bool, volume uint8, duration uint16) rfc4733.Event {
	code, ok := rfc4733.Code(digit)
	if !ok {
		panic("not a key")
	}
	return rfc4733.Event{Code: code, End: end, Volume: volume, Duration: duration}
}

// rfcKey is one key sent as telephone-events.
type rfcKey struct {
	digit    byte
	start    int // position [samples] from the stream's first timestamp
	length   int // [samples]
	volume   uint8
	noMarker bool
}

// rfcStream renders a stream as a sender that sends RFC 4733 would: an
// audio packet of pcm every frame, and for each key, from its start, one
// event packet per frame with the cumulative duration, then the final
// packet three times (RFC 4733 §2.5.1.2, §2.5.1.4). With audio false the
// sender sends no audio while a key is down, as Asterisk does.
func (s *stream) rfcStream(pcm []int16, audio bool, keys ...rfcKey) []rtp.Packet {
	var out []rtp.Packet
	ts0 := s.ts
	type state struct {
		k      rfcKey
		ends   int
		marked bool
	}
	var st []*state
	for _, k := range keys {
		st = append(st, &state{k: k})
	}
	for i := 0; i+s.frame <= len(pcm); i += s.frame {
		now := i + s.frame
		busy := false
		for _, ks := range st {
			k := ks.k
			if now <= k.start || ks.ends >= 3 {
				continue
			}
			busy = true
			d := min(now-k.start, k.length)
			end := now >= k.start+k.length
			ev := eventOf(k.digit, end, k.volume, uint16(min(d, 0xffff)))
			out = append(out, s.event(ts0+uint32(k.start), !ks.marked && !k.noMarker, ev))
			ks.marked = true
			if end {
				ks.ends++
			}
		}
		if audio || !busy {
			out = append(out, s.audio(pcm[i:now]))
		} else {
			s.ts += uint32(s.frame)
		}
	}
	return out
}
