package capture

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/rfc4733"
	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// flow is one RTP stream written into a test capture.
type flow struct {
	src, dst netip.AddrPort
	ssrc     uint32
	pt       uint8
	alaw     bool
	seq      uint16
	ts       uint32
}

// pcm renders keys: (digit, start ms, length ms) over total ms at 8 kHz.
func pcm(t testing.TB, total float64, keys ...any) []int16 {
	t.Helper()
	s := synth.New(8000, 1)
	at := 0.0
	for i := 0; i < len(keys); i += 3 {
		start, length := keys[i+1].(float64), keys[i+2].(float64)
		s.Silence(start - at)
		require.NoError(t, s.Add(synth.Tone{Digit: keys[i].(byte), Duration: length, LowLevel: -8, HighLevel: -8, RandomPhase: true}))
		at = start + length
	}
	s.Silence(total - at)
	return s.PCM()
}

// audio returns the stream's RTP packets for x, 20 ms each, with their
// send times from t.
func (f *flow) audio(x []int16) [][]byte {
	var out [][]byte
	for i := 0; i+160 <= len(x); i += 160 {
		payload := make([]byte, 160)
		for j, v := range x[i : i+160] {
			if f.alaw {
				payload[j] = g711.LinearToALaw(v)
			} else {
				payload[j] = g711.LinearToULaw(v)
			}
		}
		out = append(out, f.packet(f.pt, false, f.ts, payload))
		f.ts += 160
	}
	return out
}

func (f *flow) packet(pt uint8, marker bool, ts uint32, payload []byte) []byte {
	p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, Marker: marker, SequenceNumber: f.seq, Timestamp: ts, SSRC: f.ssrc}, Payload: payload}
	f.seq++
	b, err := p.Marshal()
	if err != nil {
		panic(err)
	}
	return b
}

type record struct {
	at       time.Duration
	src, dst netip.AddrPort
	payload  []byte
}

func writeCapture(t testing.TB, recs []record) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b)
	require.NoError(t, err)
	for _, r := range recs {
		require.NoError(t, w.WriteUDP(t0.Add(r.at), r.src, r.dst, r.payload))
	}
	return b.Bytes()
}

// callCapture is a call set up with SIP: the offer binds telephone-event to
// 96 and PCMA; Alice sends in-band keys "12", Bob sends '#' as RFC 4733 on
// 96 and PCMA audio. Beside it, a stream without SDP (PCMU, static) with
// key '5', and UDP noise that looks like RTP.
func callCapture(t testing.TB, sipFirst bool) []byte {
	t.Helper()
	alice, bob := netip.MustParseAddrPort("192.0.2.1:4000"), netip.MustParseAddrPort("198.51.100.2:5004")
	sipA, sipB := netip.MustParseAddrPort("192.0.2.1:5060"), netip.MustParseAddrPort("198.51.100.2:5060")
	answer := strings.ReplaceAll(strings.ReplaceAll(offerSDP, "192.0.2.1", "198.51.100.2"), "4000", "5004")
	sip := []record{
		{0, sipA, sipB, sipMessage("INVITE sip:bob@example.com SIP/2.0", "application/sdp", offerSDP)},
		{50 * time.Millisecond, sipB, sipA, sipMessage("SIP/2.0 200 OK", "application/sdp", answer)},
	}
	var recs []record
	if sipFirst {
		recs = append(recs, sip...)
	}
	a := &flow{src: alice, dst: bob, ssrc: 0xa11ce, pt: 8, alaw: true, seq: 100, ts: 1000}
	for i, b := range a.audio(pcm(t, 2000, byte('1'), 300.0, 120.0, byte('2'), 800.0, 200.0)) {
		recs = append(recs, record{100*time.Millisecond + time.Duration(i)*20*time.Millisecond, alice, bob, b})
	}
	bb := &flow{src: bob, dst: alice, ssrc: 0xb0b, pt: 8, alaw: true, seq: 60000, ts: 4294960000}
	silent := make([]int16, 160)
	code, _ := rfc4733.Code('#')
	for i := range 100 {
		at := 110*time.Millisecond + time.Duration(i)*20*time.Millisecond
		if i >= 40 && i < 55 { // '#' from 800 ms for 300 ms after the first packet, no audio meanwhile
			start := uint32(4294960000 + 40*160)
			d := uint16((i - 39) * 160)
			ev := rfc4733.Event{Code: code, Volume: 12, Duration: min(d, 2400), End: d >= 2400}
			payload, _ := ev.Append(nil)
			recs = append(recs, record{at, bob, alice, bb.packet(96, i == 40, start, payload)})
			if ev.End {
				for range 2 {
					recs = append(recs, record{at, bob, alice, bb.packet(96, false, start, payload)})
				}
			}
			bb.ts += 160
			continue
		}
		recs = append(recs, record{at, bob, alice, bb.audio(silent)[0]})
	}
	other := &flow{src: netip.MustParseAddrPort("10.0.0.1:30000"), dst: netip.MustParseAddrPort("10.0.0.2:30002"), ssrc: 7, pt: 0, seq: 1, ts: 0}
	for i, b := range other.audio(pcm(t, 1000, byte('5'), 200.0, 100.0)) {
		recs = append(recs, record{time.Second + time.Duration(i)*20*time.Millisecond, other.src, other.dst, b})
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for i := range 20 {
		junk := make([]byte, 40)
		for j := range junk {
			junk[j] = byte(rng.Uint32())
		}
		junk[0] = 0x80
		recs = append(recs, record{time.Duration(i) * 37 * time.Millisecond, netip.MustParseAddrPort("10.9.9.9:53"), netip.MustParseAddrPort("10.9.9.8:40000"), junk})
	}
	if !sipFirst {
		for i := range sip {
			sip[i].at += 3 * time.Second
		}
		recs = append(recs, sip...)
	}
	sortRecords(recs)
	return writeCapture(t, recs)
}

func sortRecords(recs []record) {
	for i := 1; i < len(recs); i++ {
		for j := i; j > 0 && recs[j].at < recs[j-1].at; j-- {
			recs[j], recs[j-1] = recs[j-1], recs[j]
		}
	}
}

func keyUpsOf(s *Stream) []Event {
	var out []Event
	for _, e := range s.Events {
		if e.Type == detector.KeyUp {
			out = append(out, e)
		}
	}
	return out
}

func TestDecodeCall(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sipFirst bool
		seeker   bool
	}{{"SIP first", true, false}, {"SIP last, two passes", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			data := callCapture(t, tc.sipFirst)
			var r io.Reader = bytes.NewReader(data)
			if !tc.seeker {
				r = io.MultiReader(r) // hide Seek
			}
			res, err := Decode(r, DefaultConfig())
			require.NoError(t, err)
			assert.Equal(t, PCAP, res.Format)
			assert.Equal(t, t0, res.Start)
			require.Len(t, res.Streams, 3, "the junk flow is not a stream")
			a, b, o := res.Streams[0], res.Streams[1], res.Streams[2]

			assert.Equal(t, uint32(0xa11ce), a.SSRC)
			assert.True(t, a.FromSDP)
			assert.Equal(t, []PayloadFormat{{Type: 8, Name: "PCMA", ClockRate: 8000, Channels: 1}}, a.Formats)
			ups := keyUpsOf(a)
			require.Len(t, ups, 2)
			assert.Equal(t, byte('1'), ups[0].Digit)
			assert.Equal(t, rtpdtmf.InBand, ups[0].Source)
			assert.InDelta(t, 120, ups[0].DurationMS, 3)
			assert.InDelta(t, 400*time.Millisecond, ups[0].Offset, float64(4*time.Millisecond), "100 ms to the stream's first packet + 300 ms")
			assert.Equal(t, byte('2'), ups[1].Digit)
			assert.InDelta(t, 900*time.Millisecond, ups[1].Offset, float64(4*time.Millisecond))

			assert.Equal(t, uint32(0xb0b), b.SSRC)
			ups = keyUpsOf(b)
			require.Len(t, ups, 1, "telephone-event on 96 from the SDP")
			assert.Equal(t, byte('#'), ups[0].Digit)
			assert.Equal(t, rtpdtmf.RFC4733, ups[0].Source)
			assert.Equal(t, 300, ups[0].DurationMS)
			assert.Equal(t, 910*time.Millisecond, ups[0].Offset)
			assert.Equal(t, int64(0), b.Stats.Lost)
			assert.NoError(t, b.Err)

			assert.False(t, o.FromSDP)
			ups = keyUpsOf(o)
			require.Len(t, ups, 1)
			assert.Equal(t, byte('5'), ups[0].Digit)
			assert.InDelta(t, 1200*time.Millisecond, ups[0].Offset, float64(4*time.Millisecond))
		})
	}
}

// TestDecodeWithoutSDP: the same call without its SIP: the telephone-events
// on 96 are unknown unless the caller binds 96.
func TestDecodeWithoutSDP(t *testing.T) {
	data := callCapture(t, true)
	c, err := NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	var recs []record
	for {
		p, err := c.Next()
		if err != nil {
			break
		}
		if ParseSIP(p.Payload) != nil {
			continue
		}
		recs = append(recs, record{p.Time.Sub(t0), p.Src, p.Dst, append([]byte(nil), p.Payload...)})
	}
	noSIP := writeCapture(t, recs)
	res, err := Decode(bytes.NewReader(noSIP), DefaultConfig())
	require.NoError(t, err)
	require.Len(t, res.Streams, 3)
	assert.Empty(t, keyUpsOf(res.Streams[1]))
	assert.ErrorIs(t, res.Streams[1].Err, rtpdtmf.ErrPayloadType)

	cfg := DefaultConfig()
	cfg.PayloadTypes = []rtpdtmf.PayloadType{{Number: 96, Encoding: rtpdtmf.TelephoneEvent}}
	res, err = Decode(bytes.NewReader(noSIP), cfg)
	require.NoError(t, err)
	ups := keyUpsOf(res.Streams[1])
	require.Len(t, ups, 1)
	assert.Equal(t, byte('#'), ups[0].Digit)
	assert.Equal(t, "1", string(keyUpsOf(res.Streams[0])[0].Digit))
}

// TestDecodeTruncated: a capture cut short is decoded as far as it goes,
// then the truncation is reported.
func TestDecodeTruncated(t *testing.T) {
	data := callCapture(t, true)
	res, err := Decode(bytes.NewReader(data[:len(data)*3/4+5]), DefaultConfig())
	require.ErrorIs(t, err, ErrTruncated)
	require.NotNil(t, res)
	require.NotEmpty(t, res.Streams)
	assert.Len(t, keyUpsOf(res.Streams[0]), 2, "the keys before the cut")
}

func TestDecodeNotACapture(t *testing.T) {
	_, err := Decode(strings.NewReader("RIFF$\x00\x00\x00WAVEfmt "), DefaultConfig())
	assert.ErrorIs(t, err, ErrFormat)
}

// TestDecodeSRTP: streams the SDP puts under SRTP are listed, not decoded.
func TestDecodeSRTP(t *testing.T) {
	alice, bob := netip.MustParseAddrPort("192.0.2.1:4000"), netip.MustParseAddrPort("198.51.100.2:5004")
	recs := []record{{0, netip.MustParseAddrPort("192.0.2.1:5060"), netip.MustParseAddrPort("198.51.100.2:5060"),
		sipMessage("INVITE sip:bob SIP/2.0", "application/sdp", "v=0\r\nc=IN IP4 198.51.100.2\r\nm=audio 5004 RTP/SAVP 0\r\n")}}
	f := &flow{src: alice, dst: bob, ssrc: 9, pt: 0}
	for i, b := range f.audio(pcm(t, 500, byte('3'), 100.0, 200.0)) {
		recs = append(recs, record{time.Duration(i+1) * 20 * time.Millisecond, alice, bob, b})
	}
	res, err := Decode(bytes.NewReader(writeCapture(t, recs)), DefaultConfig())
	require.NoError(t, err)
	require.Len(t, res.Streams, 1)
	assert.True(t, res.Streams[0].Encrypted)
	assert.Empty(t, res.Streams[0].Events)
}

func TestDecodeStreamLimit(t *testing.T) {
	var recs []record
	for i := range 50 {
		f := &flow{src: netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), uint16(20000+i)), dst: netip.MustParseAddrPort("10.0.0.2:9"), ssrc: uint32(i)}
		for j, b := range f.audio(make([]int16, 480)) {
			recs = append(recs, record{time.Duration(j) * 20 * time.Millisecond, f.src, f.dst, b})
		}
	}
	cfg := DefaultConfig()
	cfg.MaxStreams = 10
	res, err := Decode(bytes.NewReader(writeCapture(t, recs)), cfg)
	require.NoError(t, err)
	assert.Len(t, res.Streams, 10)
	assert.Equal(t, 40*3, res.DroppedStreams)
}
