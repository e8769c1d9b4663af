package rtpdtmf

import (
	"math/rand/v2"
	"testing"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// Tests of the RFC 4733 §2.5 rules, each named after its rule.

func receivePackets(t *testing.T, r *Receiver, pkts []rtp.Packet) []Event {
	t.Helper()
	return receive(t, r, marshal(t, pkts))
}

// checkKeys asserts one KeyDown and one KeyUp per want entry, from RFC
// 4733, with the given start and duration [samples at 8 kHz].
func checkKeys(t *testing.T, evs []Event, want ...rfcKey) {
	t.Helper()
	var downs, ups []Event
	for _, e := range evs {
		if e.Type == detector.KeyDown {
			downs = append(downs, e)
		} else {
			ups = append(ups, e)
		}
	}
	require.Len(t, downs, len(want), describe(evs))
	require.Len(t, ups, len(want), describe(evs))
	for i, k := range want {
		assert.Equal(t, k.digit, downs[i].Digit)
		assert.Equal(t, RFC4733, downs[i].Source)
		assert.Equal(t, int64(k.start), downs[i].Start)
		assert.Equal(t, k.digit, ups[i].Digit)
		assert.Equal(t, RFC4733, ups[i].Source)
		assert.Equal(t, int64(k.start), ups[i].Start)
		assert.Equal(t, int64(k.start+k.length), ups[i].End, "end of key %d", i)
		assert.Equal(t, (k.length+4)/8, ups[i].DurationMS)
		assert.Equal(t, uint32(160000+k.start), ups[i].Timestamp)
		assert.Equal(t, float32(-float64(k.volume)), downs[i].Level)
		assert.False(t, ups[i].Duplicate)
	}
}

var silent = make([]int16, 8000*3)

// §2.5.2.2: all packets of an event carry its start timestamp; updates and
// the three final packets make one key with the final duration.
func TestRFC4733_OneKeyPerEvent(t *testing.T) {
	for _, audio := range []bool{true, false} {
		k := rfcKey{digit: '5', start: 1600, length: 960, volume: 10}
		evs := receivePackets(t, newReceiver(t, nil), newStream(PCMU).rfcStream(silent, audio, k))
		checkKeys(t, evs, k)
	}
}

// §2.5.1.2 sets the Marker bit on an event's first packet; receivers must
// not depend on it (providers omit it).
func TestRFC4733_MarkerNotRequired(t *testing.T) {
	keys := []rfcKey{{digit: '1', start: 800, length: 640, noMarker: true}, {digit: '1', start: 2400, length: 800, noMarker: true}}
	checkKeys(t, receivePackets(t, newReceiver(t, nil), newStream(PCMU).rfcStream(silent, true, keys...)), keys...)
}

// §2.5.1.4: the final packet is sent three times; it is one key-up.
func TestRFC4733_RepeatedEndPacketsCollapsed(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	pkts := []rtp.Packet{first}
	for range 5 {
		pkts = append(pkts, s.event(160800, len(pkts) == 1, eventOf('#', true, 0, 400)))
	}
	checkKeys(t, receivePackets(t, newReceiver(t, nil), pkts), rfcKey{digit: '#', start: 800, length: 400})
}

// §2.5.2.2: updates may arrive out of order and repeated; the duration is
// the longest reported, and packets after the end change nothing.
func TestRFC4733_ReorderedAndRepeatedUpdates(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	ts := uint32(160000 + 800)
	pkts := []rtp.Packet{first}
	for _, ev := range []rfc4733.Event{
		eventOf('7', false, 0, 160), eventOf('7', false, 0, 480), eventOf('7', false, 0, 320),
		eventOf('7', false, 0, 480), eventOf('7', false, 0, 640), eventOf('7', true, 0, 800),
		eventOf('7', false, 0, 720), eventOf('7', true, 0, 800), eventOf('7', true, 0, 800),
	} {
		pkts = append(pkts, s.event(ts, ev.Duration == 160, ev))
	}
	// Shuffle the sequence numbers' arrival inside the reorder window too.
	pkts[3], pkts[4] = pkts[4], pkts[3]
	checkKeys(t, receivePackets(t, newReceiver(t, nil), pkts), rfcKey{digit: '7', start: 800, length: 800})
}

// §2.5.2.2: a new timestamp is a new event, even for the same key.
func TestRFC4733_SameKeyAgainNewTimestamp(t *testing.T) {
	keys := []rfcKey{{digit: '0', start: 800, length: 480}, {digit: '0', start: 1600, length: 480}, {digit: '0', start: 2400, length: 480}}
	checkKeys(t, receivePackets(t, newReceiver(t, nil), newStream(PCMU).rfcStream(silent, false, keys...)), keys...)
}

// §2.5.2.2: when an event's final packets are all lost, the next event
// ends it at its last reported duration.
func TestRFC4733_LostEndPacketsEndedByNextEvent(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	pkts := []rtp.Packet{first}
	for _, d := range []uint16{160, 320, 480} {
		pkts = append(pkts, s.event(160000+800, d == 160, eventOf('2', false, 0, d)))
	}
	for _, d := range []uint16{160, 320} {
		pkts = append(pkts, s.event(160000+2000, d == 160, eventOf('2', d == 320, 0, d)))
	}
	checkKeys(t, receivePackets(t, newReceiver(t, nil), pkts), rfcKey{digit: '2', start: 800, length: 480}, rfcKey{digit: '2', start: 2000, length: 320})
}

// §2.5.2.2: an event that goes without updates for EventTimeout of the
// stream's clock ends at its last reported duration.
func TestRFC4733_LostEndPacketsTimeout(t *testing.T) {
	s := newStream(PCMU)
	pkts := s.rfcStream(silent[:8000], true, rfcKey{digit: '9', start: 800, length: 640})
	var kept []rtp.Packet
	for _, p := range pkts {
		var ev rfc4733.Event
		if p.PayloadType == 101 {
			require.NoError(t, ev.Unmarshal(p.Payload))
			if ev.End {
				continue // all three final packets lost
			}
		}
		kept = append(kept, p)
	}
	r := newReceiver(t, nil)
	var evs []Event
	for _, b := range marshal(t, kept) {
		evs, _ = r.Process(evs, b)
	}
	// The last update reported 480 of the 640 samples.
	checkKeys(t, evs, rfcKey{digit: '9', start: 800, length: 480})
	ups := keyUps(evs)
	assert.GreaterOrEqual(t, ups[0].At, int64(800+480+2000), "not before EventTimeout")
	assert.Less(t, ups[0].At, int64(800+480+2000+400))
}

// §2.5.1.3 and §2.5.2.3: an event longer than 0xFFFF units is sent as
// segments; the next segment starts 0xFFFF later without Marker. They are
// one key.
func TestRFC4733_LongEventSegmentsJoined(t *testing.T) {
	const length = 20 * 8000 // 20 s: three segments at 8 kHz
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	pkts := []rtp.Packet{first}
	for seg := 0; seg*0xffff < length; seg++ {
		segStart := seg * 0xffff
		segLen := min(length-segStart, 0xffff)
		last := segStart+segLen == length
		for d := 400; ; d += 400 {
			d = min(d, segLen)
			end := d == segLen
			repeats := 1
			if end {
				repeats = 3 // §2.5.1.4: each segment's final packet three times
			}
			for range repeats {
				pkts = append(pkts, s.event(160000+800+uint32(segStart), seg == 0 && d == 400, eventOf('*', end && last, 5, uint16(d))))
			}
			if end {
				break
			}
		}
	}
	evs := receivePackets(t, newReceiver(t, nil), pkts)
	checkKeys(t, evs, rfcKey{digit: '*', start: 800, length: length, volume: 5})
}

// §2.5.1.5: several consecutive events packed into one packet; each starts
// where the previous ended.
func TestRFC4733_PackedEvents(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	var payload []byte
	for _, ev := range []rfc4733.Event{eventOf('1', true, 0, 800), eventOf('2', true, 0, 640), eventOf('3', false, 0, 320)} {
		payload, _ = ev.Append(payload)
	}
	p := s.event(160160, true, rfc4733.Event{})
	p.Payload = payload
	fin := s.event(160160+800+640, false, eventOf('3', true, 0, 480))
	checkKeys(t, receivePackets(t, newReceiver(t, nil), []rtp.Packet{first, p, fin}),
		rfcKey{digit: '1', start: 160, length: 800}, rfcKey{digit: '2', start: 960, length: 640}, rfcKey{digit: '3', start: 1600, length: 480})
}

// §2.3.3: only codes 0-15 are DTMF keys; flash and the tones of RFC 4734
// are not reported.
func TestRFC4733_NonKeyEventsIgnored(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	pkts := []rtp.Packet{
		first,
		s.event(160000, true, rfc4733.Event{Code: rfc4733.CodeFlash, Duration: 800}),
		s.event(160000, false, rfc4733.Event{Code: rfc4733.CodeFlash, End: true, Duration: 1600}),
		s.event(162000, true, rfc4733.Event{Code: 40, End: true, Duration: 160}),
	}
	evs := receivePackets(t, newReceiver(t, nil), pkts)
	assert.Empty(t, evs)
}

// §2.5.1.2 allows a first packet of duration zero (pjsip sent one); it
// starts the key.
func TestRFC4733_ZeroDurationFirstPacket(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	pkts := []rtp.Packet{
		first,
		s.event(160800, true, eventOf('A', false, 0, 0)),
		s.event(160800, false, eventOf('A', false, 0, 160)),
		s.event(160800, false, eventOf('A', true, 0, 480)),
	}
	checkKeys(t, receivePackets(t, newReceiver(t, nil), pkts), rfcKey{digit: 'A', start: 800, length: 480})
}

// Some senders advance the timestamp with each update (against §2.5.1.2).
// A timestamp inside the event's reported span cannot be a new press of
// the same key: it is the same event.
func TestRFC4733_AdvancingTimestampIsOneKey(t *testing.T) {
	s := newStream(PCMU)
	first := s.audio(silent[:160]) // the stream's clock starts at 160000
	pkts := []rtp.Packet{first}
	for i := range 6 {
		pkts = append(pkts, s.event(160800+uint32(160*i), i == 0, eventOf('4', i == 5, 0, 320)))
	}
	checkKeys(t, receivePackets(t, newReceiver(t, nil), pkts), rfcKey{digit: '4', start: 800, length: 5*160 + 320})
}

// §2.5.1.1: events use the stream's clock rate, whatever it is.
func TestRFC4733_ClockRates(t *testing.T) {
	for _, rate := range []int{16000, 48000} {
		s := newStream(L16)
		s.pt, s.frame = 96, rate/50
		k := rfcKey{digit: 'D', start: rate / 10, length: rate / 4}
		r := newReceiver(t, func(c *Config) {
			c.ClockRate = rate
			c.PayloadTypes = []PayloadType{{Number: 96, Encoding: L16}, {Number: 101, Encoding: TelephoneEvent}}
		})
		ups := keyUps(receivePackets(t, r, s.rfcStream(make([]int16, rate), true, k)))
		require.Len(t, ups, 1)
		assert.Equal(t, 250, ups[0].DurationMS)
		assert.Equal(t, int64(rate/10), ups[0].Start)
	}
}

// Events reordered by the network within the reorder window and through
// losses: the key and its duration survive.
func TestRFC4733_NetworkReorderAndLoss(t *testing.T) {
	keys := []rfcKey{{digit: '3', start: 800, length: 1200}, {digit: '8', start: 3200, length: 800}}
	base := newStream(PCMU).rfcStream(silent, true, keys...)
	rng := rand.New(rand.NewPCG(2, 2))
	for trial := range 20 {
		pkts := append([]rtp.Packet(nil), base...)
		for i := 0; i+3 < len(pkts); i += 4 {
			rng.Shuffle(4, func(a, b int) { pkts[i+a], pkts[i+b] = pkts[i+b], pkts[i+a] })
		}
		// Lose one event packet that is neither the last update nor a
		// final packet.
		for i, p := range pkts {
			var ev rfc4733.Event
			if p.PayloadType == 101 && ev.Unmarshal(p.Payload) == nil && !ev.End && int(ev.Duration) < 1000 && rng.IntN(3) == 0 {
				pkts = append(pkts[:i:i], pkts[i+1:]...)
				break
			}
		}
		evs := receivePackets(t, newReceiver(t, nil), pkts)
		if !assert.Equal(t, "38", digits(evs), "trial %d\n%s", trial, describe(evs)) {
			continue
		}
		ups := keyUps(evs)
		assert.Equal(t, 150, ups[0].DurationMS, "trial %d", trial)
		assert.Equal(t, 100, ups[1].DurationMS, "trial %d", trial)
	}
}
