package rtpdtmf

import (
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/rfc4733"
)

func newSender(t testing.TB, edit func(*SenderConfig)) *Sender {
	t.Helper()
	cfg := DefaultSenderConfig()
	if edit != nil {
		edit(&cfg)
	}
	s, err := NewSender(cfg)
	require.NoError(t, err)
	return s
}

// sent is an EventPacket with the stream position it went out at.
type sent struct {
	EventPacket
	at int64
}

// drive feeds events to s as a stream advancing frame samples per call,
// each event given at its At, with the detector delay analysed-now of
// lookahead, and returns what was sent until end.
func drive(s *Sender, evs []detector.Event, frame, lookahead, end int64) []sent {
	var out []sent
	var buf []EventPacket
	for now := frame; now <= end; now += frame {
		var due []detector.Event
		for len(evs) > 0 && evs[0].At <= now+lookahead {
			due = append(due, evs[0])
			evs = evs[1:]
		}
		buf = s.Process(buf[:0], due, now, now+lookahead)
		for _, p := range buf {
			out = append(out, sent{p, now})
		}
	}
	buf = s.Flush(buf[:0], end)
	for _, p := range buf {
		out = append(out, sent{p, end})
	}
	return out
}

func key(digit byte, start, end, downAt, upAt int64, level float32) []detector.Event {
	return []detector.Event{
		{Type: detector.KeyDown, Digit: digit, Start: start, At: downAt, LowLevel: level, HighLevel: level},
		{Type: detector.KeyUp, Digit: digit, Start: start, End: end, At: upAt},
	}
}

// §2.5.1.2 and §2.5.1.4, as a media server sends them straight from the
// detector: the first packet once the key is confirmed, its timestamp the
// tone's start (back-dated), Marker on it only; updates every 50 ms with
// the cumulative duration; the final packet three times, 50 ms apart, with
// the E bit and the whole duration.
func TestSender_EventPacketsAsRFC4733Says(t *testing.T) {
	s := newSender(t, nil)
	s.SetTimestamp(0, 4000000000)
	// A 300 ms key starting at 100 ms, confirmed 28 ms in, released 50 ms
	// after its end.
	out := drive(s, key('#', 800, 3200, 1024, 3600, -10), 160, 0, 8000)
	require.NotEmpty(t, out)
	first := out[0]
	assert.True(t, first.Marker)
	assert.Equal(t, int64(1120), first.at, "at the first packet time after the key-down")
	assert.Equal(t, uint32(4000000000+800), first.Timestamp, "the tone's start, not the detection time")
	assert.Equal(t, uint16(1024-40-800), first.Event.Duration, "back-dated: all that is known of the tone")
	var prevDur uint16
	var ends []sent
	for i, p := range out {
		assert.Equal(t, uint32(4000000000+800), p.Timestamp, "packet %d", i)
		assert.Equal(t, uint8(rfc4733.CodePound), p.Event.Code)
		assert.Equal(t, uint8(7), p.Event.Volume, "two tones at -10 dBm0: -7 dBm0")
		assert.Equal(t, i == 0, p.Marker, "packet %d", i)
		assert.GreaterOrEqual(t, p.Event.Duration, prevDur, "durations never shrink")
		prevDur = p.Event.Duration
		if p.Event.End {
			ends = append(ends, p)
		} else {
			assert.Empty(t, ends, "no update after the final packet")
		}
	}
	require.Len(t, ends, 3)
	for _, e := range ends {
		assert.Equal(t, uint16(2400), e.Event.Duration)
	}
	assert.Equal(t, int64(800), ends[2].at-ends[0].at, "repeats at the update interval, on the 20 ms grid")
	assert.Equal(t, int64(3680), ends[0].at, "sent on the first packet after the key-up")
	updates := out[1 : len(out)-3]
	for i := 1; i < len(updates); i++ {
		gap := updates[i].at - updates[i-1].at
		assert.True(t, gap == 320 || gap == 480, "updates 40 or 60 ms apart on a 20 ms grid, 50 ms on average: %d", gap)
	}
	span := updates[len(updates)-1].at - first.at
	assert.InDelta(t, 400, float64(span)/float64(len(updates)), 40)
}

// A gateway delays the audio by its lookahead: the first packet goes with
// the first audio past the tone's start and the final ones at its end.
func TestSender_Lookahead(t *testing.T) {
	s := newSender(t, nil)
	out := drive(s, key('1', 805, 2405, 1030, 2840, -20), 160, 480, 8000)
	require.NotEmpty(t, out)
	assert.Equal(t, int64(960), out[0].at)
	assert.Equal(t, uint16(960-805), out[0].Event.Duration)
	var ends []sent
	for _, p := range out {
		if p.Event.End {
			ends = append(ends, p)
		}
		assert.LessOrEqual(t, int64(p.Event.Duration), p.at-805, "never ahead of the audio sent")
	}
	require.Len(t, ends, 3)
	assert.Equal(t, int64(2560), ends[0].at)
	assert.Equal(t, uint16(1600), ends[0].Event.Duration)
	assert.Equal(t, uint8(17), out[0].Event.Volume)
}

// §2.5.1.3: a key longer than 0xFFFF units is sent as segments: each ends
// with 0xFFFF (three times, no E bit), the next starts 0xFFFF later without
// Marker; the last segment ends with E.
func TestSender_LongEventSegments(t *testing.T) {
	s := newSender(t, nil)
	const length = 150000 // 18.75 s at 8 kHz: three segments
	out := drive(s, key('0', 800, 800+length, 1024, 800+length+400, -10), 160, 0, length+8000)
	segEnds := map[uint32]int{}
	var finals []sent
	markers := 0
	for _, p := range out {
		if p.Marker {
			markers++
		}
		switch {
		case p.Event.End:
			finals = append(finals, p)
		case p.Event.Duration == 0xffff:
			segEnds[p.Timestamp]++
		}
	}
	assert.Equal(t, 1, markers)
	assert.Equal(t, map[uint32]int{800: 3, 800 + 0xffff: 3}, segEnds)
	require.Len(t, finals, 3)
	assert.Equal(t, uint32(800+2*0xffff), finals[0].Timestamp)
	assert.Equal(t, uint16(length-2*0xffff), finals[0].Event.Duration)
}

// §2.5.1.1: any clock rate; intervals and durations in its units.
func TestSender_ClockRates(t *testing.T) {
	for _, rate := range []int64{16000, 48000} {
		s := newSender(t, func(c *SenderConfig) { c.ClockRate = int(rate) })
		start, end := rate/10, rate/10+rate/4
		out := drive(s, key('9', start, end, start+rate*28/1000, end+rate/20, -3), rate/50, 0, rate)
		var ends []sent
		for _, p := range out {
			if p.Event.End {
				ends = append(ends, p)
			}
		}
		require.Len(t, ends, 3)
		assert.Equal(t, uint16(rate/4), ends[0].Event.Duration)
		assert.Equal(t, rate/10, ends[2].at-ends[0].at, "2 × 50 ms at %d Hz", rate)
		assert.Equal(t, uint8(0), ends[0].Event.Volume, "-3 dBm0 twice is about 0 dBm0")
	}
}

// Keys in quick succession in a gateway: the next key waits until the
// previous one has been sent to its end; repeats interleave by time.
func TestSender_BackToBackKeys(t *testing.T) {
	s := newSender(t, nil)
	var evs []detector.Event
	evs = append(evs, key('1', 800, 1120, 1024, 1560, -10)...)
	evs = append(evs, key('2', 1440, 1760, 1664, 2200, -10)...)
	out := drive(s, evs, 160, 960, 8000) // the second key is known before the first is sent
	var order []string
	for _, p := range out {
		d, _ := rfc4733.Digit(p.Event.Code)
		if p.Event.End {
			order = append(order, string(d)+"E")
		} else {
			order = append(order, string(d))
		}
	}
	assert.Equal(t, []string{"1", "1E", "1E", "2", "2E", "1E", "2E", "2E"}, order)
}

// Everything the sender writes, read back by the receiver, is the key it
// was given: digit, start, duration, one key-down and one key-up.
func TestSender_RoundTripThroughReceiver(t *testing.T) {
	s := newSender(t, nil)
	s.SetTimestamp(0, 160000)
	var evs []detector.Event
	evs = append(evs, key('5', 800, 1760, 1030, 2200, -12)...)
	evs = append(evs, key('5', 2400, 4000, 2630, 4440, -12)...)
	evs = append(evs, key('D', 6000, 6000+70000, 6230, 6000+70000+440, -12)...)
	out := drive(s, evs, 160, 0, 90000)
	st := newStream(PCMU)
	pkts := []rtp.Packet{st.audio(make([]int16, 160))}
	for _, p := range out {
		pkts = append(pkts, st.event(p.Timestamp, p.Marker, p.Event))
	}
	got := receivePackets(t, newReceiver(t, nil), pkts)
	checkKeys(t, got,
		rfcKey{digit: '5', start: 800, length: 960, volume: 9},
		rfcKey{digit: '5', start: 2400, length: 1600, volume: 9},
		rfcKey{digit: 'D', start: 6000, length: 70000, volume: 9})
}

func TestSenderConfigValidation(t *testing.T) {
	for name, edit := range map[string]func(*SenderConfig){
		"rate":     func(c *SenderConfig) { c.ClockRate = 0 },
		"interval": func(c *SenderConfig) { c.UpdateInterval = time.Second },
		"ends":     func(c *SenderConfig) { c.EndPackets = 0 },
		"holdback": func(c *SenderConfig) { c.HoldBack = -1 },
	} {
		cfg := DefaultSenderConfig()
		edit(&cfg)
		_, err := NewSender(cfg)
		assert.ErrorIs(t, err, ErrConfig, name)
	}
}

// TestSender_FromDetector runs the sender on the detector's own events for
// keys of many lengths, levels and noise: no update ever reports more than
// the final duration (HoldBack covers the detector's release delay), and
// the final duration is the detector's measured press.
func TestSender_FromDetector(t *testing.T) {
	for _, lookahead := range []int64{0, 480} {
		var presses []press
		for i := range 60 {
			presses = append(presses, press{digit: "123A456B789C*0#D"[i%16], before: 50 + float64(i%7)*13, ms: 40 + float64(i*37%560), dBm0: -5 - float64(i%25)})
		}
		pcm, _ := signal(t, 8000, 30, presses...)
		d, err := detector.New(detector.DefaultConfig())
		require.NoError(t, err)
		s := newSender(t, nil)
		var devs, ups []detector.Event
		var buf []EventPacket
		var out []EventPacket
		for i := 0; i+160 <= len(pcm); i += 160 {
			devs = d.Process(devs[:0], pcm[i:i+160])
			for _, e := range devs {
				if e.Type == detector.KeyUp {
					ups = append(ups, e)
				}
			}
			analysed := int64(i + 160)
			buf = s.Process(buf[:0], devs, analysed-lookahead, analysed)
			out = append(out, buf...)
		}
		out = append(out, s.Flush(buf[:0], int64(len(pcm)))...)
		require.Len(t, ups, len(presses))
		byTS := map[uint32][]EventPacket{}
		var order []uint32
		for _, p := range out {
			if _, seen := byTS[p.Timestamp]; !seen {
				order = append(order, p.Timestamp)
			}
			byTS[p.Timestamp] = append(byTS[p.Timestamp], p)
		}
		require.Len(t, order, len(presses), "one event per key (no key here needs segments)")
		for i, ts := range order {
			ps := byTS[ts]
			assert.Equal(t, uint32(ups[i].Start), ts)
			final := ps[len(ps)-1]
			assert.True(t, final.Event.End)
			assert.Equal(t, uint16(ups[i].End-ups[i].Start), final.Event.Duration, "key %d lookahead %d: the detector's duration", i, lookahead)
			for j := 1; j < len(ps); j++ {
				assert.GreaterOrEqual(t, ps[j].Event.Duration, ps[j-1].Event.Duration, "key %d", i)
			}
		}
	}
}

func TestSenderZeroAllocations(t *testing.T) {
	s := newSender(t, nil)
	buf := make([]EventPacket, 0, 16)
	var due [1]detector.Event
	now := int64(0)
	allocs := testing.AllocsPerRun(500, func() {
		now += 160
		base := now / 8000 * 8000
		evs := due[:0]
		switch now - base {
		case 1120:
			evs = append(evs, detector.Event{Type: detector.KeyDown, Digit: '7', Start: base + 800, At: base + 1024, LowLevel: -10, HighLevel: -10})
		case 3680:
			evs = append(evs, detector.Event{Type: detector.KeyUp, Digit: '7', Start: base + 800, End: base + 3200, At: base + 3600})
		}
		buf = s.Process(buf[:0], evs, now, now)
	})
	assert.Zero(t, allocs)
}
