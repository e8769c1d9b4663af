package rtpdtmf

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/rfc4733"
)

func newGateway(t testing.TB, edit func(*GatewayConfig)) *Gateway {
	t.Helper()
	cfg := DefaultGatewayConfig()
	if edit != nil {
		edit(&cfg)
	}
	g, err := NewGateway(cfg)
	require.NoError(t, err)
	return g
}

// runGateway passes packets through g and flushes it, returning copies of
// the output packets.
func runGateway(t testing.TB, g *Gateway, in [][]byte) []rtp.Packet {
	t.Helper()
	var out []rtp.Packet
	var buf []rtp.Packet
	collect := func() {
		for _, p := range buf {
			p.Payload = bytes.Clone(p.Payload)
			out = append(out, p)
		}
	}
	for _, b := range in {
		var err error
		buf, err = g.Process(buf[:0], b)
		require.NoError(t, err)
		collect()
	}
	buf = g.Flush(buf[:0])
	collect()
	return out
}

var gatewayPresses = []press{
	{digit: '1', before: 200, ms: 80}, {digit: '#', before: 150, ms: 300}, {digit: '0', before: 100, ms: 45},
	{digit: '0', before: 60, ms: 120}, {digit: 'D', before: 500, ms: 1500},
}

// TestGatewayPassThrough: with the pass-through suppressor the audio goes
// out byte for byte, in order, with its timestamps; the telephone-events
// the gateway inserts carry the keys of the audio (a receiver finds each
// key both ways, once), the stream's SSRC, and sequence numbers that run
// on without a gap.
func TestGatewayPassThrough(t *testing.T) {
	pcm, truth := signal(t, 8000, 60, gatewayPresses...)
	s := newStream(PCMU)
	inPkts := s.packets(pcm)
	out := runGateway(t, newGateway(t, func(c *GatewayConfig) { c.KeepTones = true }), marshal(t, inPkts))

	var audio, events []rtp.Packet
	for i, p := range out {
		assert.Equal(t, uint32(0x1234abcd), p.SSRC)
		if i > 0 {
			assert.Equal(t, out[i-1].SequenceNumber+1, p.SequenceNumber, "packet %d", i)
		}
		switch p.PayloadType {
		case 0:
			audio = append(audio, p)
		case 101:
			events = append(events, p)
		default:
			t.Fatalf("payload type %d", p.PayloadType)
		}
	}
	assert.Equal(t, inPkts[0].SequenceNumber, out[0].SequenceNumber, "numbering starts where the input's does")
	require.Len(t, audio, len(inPkts))
	for i := range audio {
		assert.Equal(t, inPkts[i].Timestamp, audio[i].Timestamp)
		assert.Equal(t, inPkts[i].Payload, audio[i].Payload, "packet %d passes unchanged", i)
	}
	require.NotEmpty(t, events)

	// Each key's first telephone-event goes out right after the audio
	// packet its tone starts in (the lookahead covers the detection delay).
	for i, p := range out {
		if p.PayloadType == 101 && p.Marker {
			var prev rtp.Packet
			for j := i - 1; j >= 0; j-- {
				if out[j].PayloadType == 0 {
					prev = out[j]
					break
				}
			}
			assert.LessOrEqual(t, prev.Timestamp, p.Timestamp, "the tone started by the audio before it")
			assert.Less(t, p.Timestamp-prev.Timestamp, uint32(160+24), "in that packet (±3 ms)")
		}
	}

	var bufs [][]byte
	for _, p := range out {
		b, err := p.Marshal()
		require.NoError(t, err)
		bufs = append(bufs, b)
	}
	evs := receive(t, newReceiver(t, nil), bufs)
	ups := keyUps(evs)
	require.Len(t, ups, len(truth), describe(evs))
	for i, u := range ups {
		assert.Equal(t, truth[i].Digit, u.Digit)
		assert.True(t, u.Duplicate, "the tones are still in the audio")
		assert.InDelta(t, float64(truth[i].End-truth[i].Start)/8, u.DurationMS, 3)
		assert.InDelta(t, 160000+truth[i].Start, float64(u.Timestamp), 24)
	}
}

// muter is a stand-in Suppressor for the tests the real one (package
// suppress) must pass: the detector with a lookahead, the audio muted from
// a key's start until its key-up is known.
type muter struct {
	*passThrough
	pos     int64 // input position
	keyFrom int64 // muting from here (-1: no key)
	keyTo   int64 // until here once the key-up is known
}

func newMuter(cfg detector.Config, delay int) (*muter, error) {
	p, err := newPassThrough(cfg, delay)
	if err != nil {
		return nil, err
	}
	return &muter{passThrough: p, keyFrom: -1}, nil
}

func (m *muter) Process(events []detector.Event, out, in []int16) []detector.Event {
	from := len(events)
	events = m.passThrough.Process(events, out, in)
	for _, e := range events[from:] {
		if e.Type == detector.KeyDown {
			m.keyFrom, m.keyTo = e.Start, 1<<62
		} else {
			m.keyTo = e.End
		}
	}
	d := int64(len(m.line))
	for i := range out {
		q := m.pos + int64(i) - d // the output sample's position
		if m.keyFrom >= 0 && q >= m.keyFrom && q < m.keyTo {
			out[i] = 0
		}
	}
	m.pos += int64(len(in))
	return events
}

func (m *muter) Flush(events []detector.Event, out []int16) []detector.Event {
	events = m.passThrough.Flush(events, out)
	m.pos, m.keyFrom = 0, -1
	return events
}

// TestGatewayWithSuppressor is what a gateway with a suppressor must do:
// the audio forwarded holds no key for the detector (and multimon-ng, see
// TestGatewayOutputPeers), the keys arrive as telephone-events only.
func TestGatewayWithSuppressor(t *testing.T) {
	pcm, truth := signal(t, 8000, 61, gatewayPresses...)
	g := newGateway(t, func(c *GatewayConfig) {
		c.NewSuppressor = func(dc detector.Config) (Suppressor, error) { return newMuter(dc, 480) }
	})
	assert.Equal(t, 480, g.Delay())
	out := runGateway(t, g, marshal(t, newStream(PCMU).packets(pcm)))
	var bufs [][]byte
	var audio []int16
	for _, p := range out {
		b, err := p.Marshal()
		require.NoError(t, err)
		bufs = append(bufs, b)
		if p.PayloadType == 0 {
			for _, c := range p.Payload {
				audio = append(audio, g711.ULawToLinear(c))
			}
		}
	}
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	assert.Empty(t, d.Flush(d.Process(nil, audio)), "no key left in the audio")

	evs := receive(t, newReceiver(t, nil), bufs)
	ups := keyUps(evs)
	require.Len(t, ups, len(truth))
	for i, u := range ups {
		assert.Equal(t, truth[i].Digit, u.Digit)
		assert.Equal(t, RFC4733, u.Source)
		assert.False(t, u.Duplicate)
		assert.InDelta(t, float64(truth[i].End-truth[i].Start)/8, u.DurationMS, 3)
	}
}

// TestGatewayLossAndReorder: input losses stay gaps in the output's
// numbering (shifted by the inserted packets), reordered packets go out in
// order, and nothing is sent twice.
func TestGatewayLossAndReorder(t *testing.T) {
	pcm, truth := signal(t, 8000, 62, gatewayPresses...)
	in := newStream(PCMU).packets(pcm)
	rng := rand.New(rand.NewPCG(6, 6))
	var sent []rtp.Packet
	lost := 0
	for i := 0; i < len(in); i++ {
		switch rng.IntN(25) {
		case 0:
			lost++
		case 1:
			if i+1 < len(in) {
				sent = append(sent, in[i+1], in[i])
				i++
			}
		default:
			sent = append(sent, in[i])
		}
	}
	require.Positive(t, lost)
	g := newGateway(t, nil)
	out := runGateway(t, g, marshal(t, sent))
	gaps, audio := 0, 0
	for i, p := range out {
		if p.PayloadType == 0 {
			audio++
		}
		if i > 0 {
			d := int16(p.SequenceNumber - out[i-1].SequenceNumber)
			require.Positive(t, d, "packet %d: numbers only go up", i)
			gaps += int(d) - 1
			if p.PayloadType == 0 && out[i-1].PayloadType == 0 {
				assert.Greater(t, int32(p.Timestamp-out[i-1].Timestamp), int32(0))
			}
		}
	}
	assert.Equal(t, len(in)-lost, audio)
	assert.Equal(t, int64(lost), g.Stats().Lost)
	assert.Equal(t, lost, gaps, "a gap in the numbering per lost packet")
	var bufs [][]byte
	for _, p := range out {
		b, _ := p.Marshal()
		bufs = append(bufs, b)
	}
	assert.Equal(t, len(truth), len(keyUps(receive(t, newReceiver(t, nil), bufs))))
}

// TestGatewayForwardsWhatItDoesNotDecode: comfort noise, unknown payload
// types and telephone-events already on the input go out unchanged, in
// their place.
func TestGatewayForwardsWhatItDoesNotDecode(t *testing.T) {
	s := newStream(PCMU)
	pkts := s.packets(make([]int16, 160*3))
	cn := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 13, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.ssrc}, Payload: []byte{40}}
	s.seq++
	odd := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 77, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.ssrc}, Payload: []byte{1, 2, 3}}
	s.seq++
	ev := s.event(s.ts, true, eventOf('5', true, 3, 800))
	pkts = append(pkts, cn, odd, ev)
	pkts = append(pkts, s.packets(make([]int16, 160*2))...)
	g := newGateway(t, nil)
	var out []rtp.Packet
	for i, p := range pkts {
		var err error
		out, err = g.ProcessPacket(out, &p)
		if p.PayloadType == 77 {
			assert.ErrorIs(t, err, ErrPayloadType, "packet %d", i)
		} else {
			require.NoError(t, err)
		}
		for j := range out {
			out[j].Payload = bytes.Clone(out[j].Payload)
		}
	}
	out = g.Flush(out)
	var types []uint8
	for _, p := range out {
		types = append(types, p.PayloadType)
	}
	assert.Equal(t, []uint8{0, 0, 0, 13, 77, 101, 0, 0}, types)
	assert.Equal(t, []byte{1, 2, 3}, out[4].Payload)
	var e rfc4733.Event
	require.NoError(t, e.Unmarshal(out[5].Payload))
	assert.Equal(t, eventOf('5', true, 3, 800), e)
}

// TestGatewayResets: a new SSRC and a timestamp jump end the stream cleanly
// (its keys' final events sent) and start a new one.
func TestGatewayResets(t *testing.T) {
	pcm, _ := signal(t, 8000, 63, press{digit: '7', before: 200, ms: 400})
	a := newStream(PCMU)
	first := a.packets(pcm[:2400]) // 200 ms silence, 100 ms of the key
	a.ts += 8000 * 60
	second := a.packets(pcm)
	b := newStream(PCMU)
	b.ssrc = 0x77
	third := b.packets(pcm)
	out := runGateway(t, newGateway(t, nil), marshal(t, append(append(first, second...), third...)))
	var bufs [][]byte
	type key struct{ ssrc, ts uint32 }
	ends := map[key]int{}
	for _, p := range out {
		if p.PayloadType == 101 {
			var e rfc4733.Event
			require.NoError(t, e.Unmarshal(p.Payload))
			if e.End {
				ends[key{p.SSRC, p.Timestamp}]++
			}
		}
		if p.SSRC == 0x1234abcd {
			bb, _ := p.Marshal()
			bufs = append(bufs, bb)
		}
	}
	assert.Len(t, ends, 3, "three keys, each ended")
	for k, n := range ends {
		assert.Equal(t, 3, n, "the final packet of %v three times", k)
	}
	ups := keyUps(receive(t, newReceiver(t, nil), bufs))
	require.Len(t, ups, 2)
	assert.InDelta(t, 100, ups[0].DurationMS, 3, "the key cut by the jump")
}

func TestGatewayConfigValidation(t *testing.T) {
	for name, edit := range map[string]func(*GatewayConfig){
		"receiver":  func(c *GatewayConfig) { c.Receiver.ClockRate = 1 },
		"sender":    func(c *GatewayConfig) { c.Sender.EndPackets = 0 },
		"lookahead": func(c *GatewayConfig) { c.Lookahead = time.Second },
		"static pt": func(c *GatewayConfig) { c.EventPayloadType = 8 },
		"audio pt": func(c *GatewayConfig) {
			c.Receiver.PayloadTypes = append(c.Receiver.PayloadTypes, PayloadType{Number: 101, Encoding: PCMU})
		},
		"suppressor": func(c *GatewayConfig) {
			c.NewSuppressor = func(detector.Config) (Suppressor, error) { return nil, ErrConfig }
		},
	} {
		cfg := DefaultGatewayConfig()
		edit(&cfg)
		_, err := NewGateway(cfg)
		assert.ErrorIs(t, err, ErrConfig, name)
	}
}

func TestGatewayZeroAllocations(t *testing.T) {
	var presses []press
	for i := range 30 {
		presses = append(presses, press{digit: "123A456B789C*0#D"[i%16], before: 100, ms: 100})
	}
	pcm, _ := signal(t, 8000, 64, presses...)
	pkts := marshal(t, newStream(PCMU).packets(pcm))
	g := newGateway(t, nil)
	out := make([]rtp.Packet, 0, 16)
	half := len(pkts) / 2
	for _, b := range pkts[:half] {
		out, _ = g.Process(out[:0], b)
	}
	i := half
	allocs := testing.AllocsPerRun(len(pkts)-half-1, func() {
		var err error
		out, err = g.Process(out[:0], pkts[i])
		i++
		if err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
}

func BenchmarkGateway(b *testing.B) {
	var presses []press
	for i := range 20 {
		presses = append(presses, press{digit: "123A456B789C*0#D"[i%16], before: 400, ms: 100})
	}
	pcm, _ := signal(b, 8000, 65, presses...)
	pkts := marshal(b, newStream(PCMU).packets(pcm))
	g := newGateway(b, nil)
	out := make([]rtp.Packet, 0, 16)
	b.ReportAllocs()
	b.SetBytes(160)
	i := 0
	for b.Loop() {
		if i == len(pkts) {
			b.StopTimer()
			out = g.Flush(out[:0])
			i = 0
			b.StartTimer()
		}
		out, _ = g.Process(out[:0], pkts[i])
		i++
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns, "ns/packet")
	b.ReportMetric(1e9/(ns*50), "streams/core")
}

// TestGatewayMutedSender: a sender that stops its audio while a key is
// down (sending only telephone-events, as Asterisk does) gets each of its
// event packets forwarded within muteLead, a packet and the suppressor's
// delay of its arrival, not held until the audio resumes; the audio
// before and after the key goes out unchanged. A sender that goes on
// sending audio under its events is left to the audio's own clock.
func TestGatewayMutedSender(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pcm := make([]int16, 8000*2) // 2 s of quiet noise: no tone to find
	for i := range pcm {
		pcm[i] = int16(rng.NormFloat64() * 300)
	}
	keys := []rfcKey{{digit: '4', start: 4000, length: 3200, volume: 10}, {digit: '#', start: 9600, length: 800, volume: 10}}
	for _, muted := range []bool{true, false} {
		t.Run(map[bool]string{true: "muted", false: "audio goes on"}[muted], func(t *testing.T) {
			s := newStream(PCMU)
			ts0 := s.ts
			in := s.rfcStream(pcm, !muted, keys...)
			g := newGateway(t, nil)
			// sent is when the sender sent each packet [samples from the
			// stream's start]: an audio packet at its end, an event packet
			// when its duration was reached, and each repeat of a final
			// event packet a frame after the one before.
			sent := make([]int64, len(in))
			for i, p := range in {
				if p.PayloadType != 101 {
					sent[i] = int64(p.Timestamp-ts0) + int64(len(p.Payload))
					continue
				}
				var e rfc4733.Event
				require.NoError(t, e.Unmarshal(p.Payload))
				sent[i] = int64(p.Timestamp-ts0) + int64(e.Duration)
				if i > 0 && in[i-1].PayloadType == 101 {
					sent[i] = max(sent[i], sent[i-1]+160)
				}
			}
			// The gateway learns the sender's clock only from what its
			// packets say, and the repeats of a final packet say nothing
			// new: allow three packets beyond muteLead and the delay.
			bound := samples(muteLead, 8000) + int64(g.Delay()) + 3*160
			var out []rtp.Packet
			var lags []int64
			var buf []rtp.Packet
			var eventSent []int64 // of the input event packets, in order
			for i, p := range in {
				if p.PayloadType == 101 {
					eventSent = append(eventSent, sent[i])
				}
			}
			for i, p := range in {
				var err error
				buf, err = g.ProcessPacket(buf[:0], &p)
				require.NoError(t, err)
				for _, o := range buf {
					o.Payload = bytes.Clone(o.Payload)
					out = append(out, o)
					if o.PayloadType == 101 {
						lags = append(lags, sent[i]-eventSent[len(lags)])
					}
				}
			}
			out = append(out, g.Flush(nil)...)

			var inEvents, outEvents, inAudio, outAudio []rtp.Packet
			for _, p := range in {
				if p.PayloadType == 101 {
					inEvents = append(inEvents, p)
				} else {
					inAudio = append(inAudio, p)
				}
			}
			for _, p := range out {
				if p.PayloadType == 101 {
					outEvents = append(outEvents, p)
				} else {
					outAudio = append(outAudio, p)
				}
			}
			require.Len(t, outEvents, len(inEvents), "no key in the audio: only the sender's events")
			for i := range inEvents {
				assert.Equal(t, inEvents[i].Timestamp, outEvents[i].Timestamp)
				assert.Equal(t, inEvents[i].Payload, outEvents[i].Payload)
			}
			require.Len(t, outAudio, len(inAudio))
			for i := range inAudio {
				assert.Equal(t, inAudio[i].Timestamp, outAudio[i].Timestamp)
				assert.Equal(t, inAudio[i].Payload, outAudio[i].Payload, "audio packet %d", i)
			}
			require.Len(t, lags, len(inEvents), "every event came out before the flush")
			for i, l := range lags {
				assert.LessOrEqual(t, l, bound, "event packet %d went out %d ms after it came", i, l/8)
			}
			if !muted {
				assert.Zero(t, g.Stats().SilenceSamples, "no gap: nothing filled")
			}
		})
	}
}

// TestGatewayMutedSenderLongKey: a key held for 30 s by a sender that mutes
// its audio, sent in segments of 0xFFFF timestamp units (RFC 4733
// §2.5.1.3), keeps going out as it comes for its whole length, and the
// audio after it resumes unchanged.
func TestGatewayMutedSenderLongKey(t *testing.T) {
	s := newStream(PCMU)
	quiet := make([]int16, 160)
	var in []rtp.Packet
	var sent []int64 // when each input packet was sent [samples from the start]
	now := int64(0)
	add := func(p rtp.Packet) { in, sent = append(in, p), append(sent, now) }
	for range 25 { // 0.5 s of audio
		now += 160
		add(s.audio(quiet))
	}
	const key = 30 * 8000
	start := s.ts
	for d := int64(400); d <= key; d += 400 { // an update every 50 ms
		now += 400
		seg := (d - 1) / 0xffff // the segment this update belongs to
		ev := eventOf('9', d == key, 10, uint16(d-seg*0xffff))
		add(s.event(start+uint32(seg*0xffff), d == 400, ev))
	}
	for range 2 {
		now += 160
		add(s.event(start, false, eventOf('9', true, 10, uint16(key-(key-1)/0xffff*0xffff))))
	}
	s.ts = start + key
	for range 25 {
		now += 160
		add(s.audio(quiet))
	}

	g := newGateway(t, nil)
	bound := samples(muteLead, 8000) + int64(g.Delay()) + 3*400
	var events []int64 // when each input event packet was sent
	for i, p := range in {
		if p.PayloadType == 101 {
			events = append(events, sent[i])
		}
	}
	var out []rtp.Packet
	var buf []rtp.Packet
	lagged := 0
	for i, p := range in {
		var err error
		buf, err = g.ProcessPacket(buf[:0], &p)
		require.NoError(t, err)
		for _, o := range buf {
			if o.PayloadType == 101 {
				if lag := sent[i] - events[0]; lag > bound {
					lagged++
				}
				events = events[1:]
			}
			o.Payload = bytes.Clone(o.Payload)
			out = append(out, o)
		}
	}
	out = append(out, g.Flush(nil)...)
	assert.Empty(t, events, "every event out before the flush")
	assert.Zero(t, lagged, "event packets held more than %d ms", bound/8)
	var audio int
	for _, o := range out {
		if o.PayloadType == 0 {
			audio++
			assert.Equal(t, bytes.Repeat([]byte{0xff}, 160), o.Payload)
		}
	}
	assert.Equal(t, 50, audio)
}
