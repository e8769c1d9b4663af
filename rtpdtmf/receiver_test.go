package rtpdtmf

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
)

var keysPresses = []press{
	{digit: '1', before: 100, ms: 80}, {digit: '#', before: 120, ms: 200}, {digit: 'D', before: 60, ms: 45},
	{digit: '0', before: 300, ms: 1000}, {digit: '0', before: 50, ms: 70},
}

// checkTruth asserts that evs hold exactly the true presses, in-band, with
// start and end within 3 ms (24 samples at 8 kHz) of the truth.
func checkTruth(t *testing.T, evs []Event, truth []synth.Press, tsOf func(int64) uint32) {
	t.Helper()
	ups := keyUps(evs)
	require.Len(t, ups, len(truth), describe(evs))
	for i, p := range truth {
		u := ups[i]
		assert.Equal(t, p.Digit, u.Digit)
		assert.Equal(t, InBand, u.Source)
		assert.InDelta(t, p.Start, u.Start, 24, "start of %c", p.Digit)
		assert.InDelta(t, p.End, u.End, 24, "end of %c", p.Digit)
		if tsOf != nil {
			assert.Equal(t, tsOf(u.Start), u.Timestamp)
		}
		assert.Equal(t, uint32(0x1234abcd), u.SSRC)
	}
	downs := 0
	for _, e := range evs {
		if e.Type == detector.KeyDown {
			downs++
			assert.Less(t, e.Level, float32(-5), "two tones at -10 dBm0 are -7 dBm0 together")
			assert.Greater(t, e.Level, float32(-9))
		}
	}
	assert.Equal(t, len(truth), downs)
}

func TestReceiverEncodings(t *testing.T) {
	pcm, truth := signal(t, 8000, 1, keysPresses...)
	for _, enc := range []Encoding{PCMU, PCMA, L16} {
		t.Run(enc.String(), func(t *testing.T) {
			s := newStream(enc)
			r := newReceiver(t, func(c *Config) {
				c.PayloadTypes = append(c.PayloadTypes, PayloadType{Number: 11, Encoding: L16, ClockRate: 8000})
			})
			evs := receive(t, r, marshal(t, s.packets(pcm)))
			checkTruth(t, evs, truth, func(pos int64) uint32 { return 160000 + uint32(pos) })
		})
	}
}

// TestReceiverRates runs L16 at each common rate: timestamps, positions
// and durations follow the stream's clock.
func TestReceiverRates(t *testing.T) {
	for _, rate := range []int{8000, 16000, 44100, 48000} {
		t.Run(time.Duration(rate).String(), func(t *testing.T) {
			pcm, truth := signal(t, rate, 2, press{digit: '7', before: 100, ms: 150}, press{digit: '*', before: 100, ms: 60})
			s := newStream(L16)
			s.pt, s.frame = 96, rate/50
			r := newReceiver(t, func(c *Config) {
				c.ClockRate = rate
				c.PayloadTypes = []PayloadType{{Number: 96, Encoding: L16}}
			})
			ups := keyUps(receive(t, r, marshal(t, s.packets(pcm))))
			require.Len(t, ups, 2)
			for i, p := range truth {
				assert.Equal(t, p.Digit, ups[i].Digit)
				assert.InDelta(t, p.Start, ups[i].Start, float64(rate)*0.003)
				assert.InDelta(t, float64(p.End-p.Start)*1000/float64(rate), ups[i].DurationMS, 3)
			}
		})
	}
}

func TestReceiverStereoL16(t *testing.T) {
	pcm, truth := signal(t, 8000, 3, press{digit: '9', before: 100, ms: 120})
	var pkts []rtp.Packet
	for i, seq := 0, uint16(0); i+160 <= len(pcm); i, seq = i+160, seq+1 {
		var b []byte
		for _, v := range pcm[i : i+160] {
			b = append(b, byte(uint16(v)>>8), byte(v), 0x7f, 0xff) // right channel: loud DC
		}
		pkts = append(pkts, rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 97, SequenceNumber: seq, Timestamp: uint32(i), SSRC: 0x1234abcd}, Payload: b})
	}
	r := newReceiver(t, func(c *Config) { c.PayloadTypes = []PayloadType{{Number: 97, Encoding: L16, Channels: 2}} })
	evs := receive(t, r, marshal(t, pkts))
	checkTruth(t, evs, truth, nil)
}

// TestReorderWithinWindow: packets shuffled by up to ReorderWindow places
// give exactly the events of the ordered stream.
func TestReorderWithinWindow(t *testing.T) {
	pcm, _ := signal(t, 8000, 4, keysPresses...)
	s := newStream(PCMU)
	ordered := marshal(t, s.packets(pcm))
	want := receive(t, newReceiver(t, nil), ordered)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, window := range []int{1, 3, 8, 31} {
		shuffled := append([][]byte(nil), ordered...)
		// Each packet moves back by at most window places: swap within
		// blocks of window+1.
		for i := 0; i < len(shuffled); i += window + 1 {
			block := shuffled[i:min(i+window+1, len(shuffled))]
			rng.Shuffle(len(block), func(a, b int) { block[a], block[b] = block[b], block[a] })
		}
		r := newReceiver(t, func(c *Config) { c.ReorderWindow = window })
		var got []Event
		for _, b := range shuffled {
			var err error
			got, err = r.Process(got, b)
			require.NoError(t, err)
		}
		st := r.Stats()
		got = r.Flush(got)
		assert.Zero(t, st.Lost, "window %d", window)
		assert.Positive(t, st.Reordered, "window %d", window)
		assertSameKeys(t, want, got)
	}
}

// assertSameKeys compares events except At (a reordered stream is known
// later).
func assertSameKeys(t *testing.T, want, got []Event) {
	t.Helper()
	strip := func(evs []Event) []Event {
		out := make([]Event, len(evs))
		for i, e := range evs {
			e.At = 0
			out[i] = e
		}
		return out
	}
	assert.Equal(t, strip(want), strip(got))
}

// TestReorderBeyondWindow: a packet later than the window allows is
// dropped as late, its place concealed; the key survives.
func TestReorderBeyondWindow(t *testing.T) {
	pcm, truth := signal(t, 8000, 5, press{digit: '3', before: 100, ms: 200})
	s := newStream(PCMU)
	pkts := marshal(t, s.packets(pcm))
	k := truth[0].Start/160 + 4
	late := pkts[k]
	pkts = append(pkts[:k:k], pkts[k+1:]...)
	pkts = append(pkts[:k+5:k+5], append([][]byte{late}, pkts[k+5:]...)...)
	r := newReceiver(t, nil)
	var evs []Event
	for _, b := range pkts {
		var err error
		evs, err = r.Process(evs, b)
		require.NoError(t, err)
	}
	st := r.Stats()
	evs = r.Flush(evs)
	assert.Equal(t, int64(1), st.Lost)
	assert.Equal(t, int64(1), st.Late)
	assert.Equal(t, int64(160), st.ConcealedSamples)
	ups := keyUps(evs)
	require.Len(t, ups, 1)
	assert.InDelta(t, 200, ups[0].DurationMS, 3)
}

func TestDuplicatesDropped(t *testing.T) {
	pcm, _ := signal(t, 8000, 6, keysPresses...)
	s := newStream(PCMA)
	ordered := marshal(t, s.packets(pcm))
	want := receive(t, newReceiver(t, nil), ordered)
	var doubled [][]byte
	for i, b := range ordered {
		doubled = append(doubled, b, b)
		if i > 2 {
			doubled = append(doubled, ordered[i-2]) // a late copy
		}
	}
	r := newReceiver(t, nil)
	var got []Event
	for _, b := range doubled {
		var err error
		got, err = r.Process(got, b)
		require.NoError(t, err)
	}
	st := r.Stats()
	got = r.Flush(got)
	assert.Equal(t, int64(2*len(ordered)-3), st.Late+st.Duplicates)
	assert.Zero(t, st.Lost)
	assertSameKeys(t, want, got)
}

// TestSequenceAndTimestampWrap: the sequence number wraps past 65535 and
// the timestamp past 2^32 in the middle of a key.
func TestSequenceAndTimestampWrap(t *testing.T) {
	pcm, truth := signal(t, 8000, 7, press{digit: '6', before: 100, ms: 300})
	s := newStream(PCMU)
	s.seq = 65535 - 10
	s.ts = 0xffffffff - 160*12 + 1
	ts0 := s.ts
	evs := receive(t, newReceiver(t, nil), marshal(t, s.packets(pcm)))
	checkTruth(t, evs, truth, func(pos int64) uint32 { return ts0 + uint32(pos) })
}

// TestSilenceSuppression: the sender stops sending between keys (same
// sequence, timestamps jump, Marker on the next talkspurt); the gap is
// silence on the stream's clock, not concealment.
func TestSilenceSuppression(t *testing.T) {
	pcm, truth := signal(t, 8000, 8, press{digit: '2', before: 100, ms: 100}, press{digit: '8', before: 2000, ms: 100})
	s := newStream(PCMU)
	pkts := s.packets(pcm)
	var sent []rtp.Packet
	for i, p := range pkts {
		quiet := true
		for _, v := range pcm[i*160 : i*160+160] {
			if v != 0 {
				quiet = false
			}
		}
		if quiet && i > 3 && i < len(pkts)-3 {
			continue
		}
		p.SequenceNumber = uint16(1000 + len(sent))
		sent = append(sent, p)
	}
	require.Less(t, len(sent), len(pkts)-50)
	r := newReceiver(t, nil)
	var evs []Event
	for _, b := range marshal(t, sent) {
		var err error
		evs, err = r.Process(evs, b)
		require.NoError(t, err)
	}
	st := r.Stats()
	evs = r.Flush(evs)
	assert.Zero(t, st.ConcealedSamples)
	assert.Positive(t, st.SilenceSamples)
	checkTruth(t, evs, truth, func(pos int64) uint32 { return 160000 + uint32(pos) })
}

// TestTimestampJumpResets: a jump beyond MaxGap releases the key that was
// down and restarts cleanly; positions keep counting.
func TestTimestampJumpResets(t *testing.T) {
	pcm, _ := signal(t, 8000, 9, press{digit: '4', before: 100, ms: 400})
	s := newStream(PCMU)
	first := s.packets(pcm[:1600]) // 100 ms silence + 100 ms of the key
	s.ts += 8000 * 60              // a minute later
	second := s.packets(pcm)
	r := newReceiver(t, func(c *Config) { c.MaxGap = 5 * time.Second })
	var evs []Event
	for _, b := range marshal(t, append(first, second...)) {
		var err error
		evs, err = r.Process(evs, b)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), r.Stats().Resets)
	assert.Zero(t, r.Stats().SilenceSamples, "a jump is not filled")
	evs = r.Flush(evs)
	ups := keyUps(evs)
	require.Len(t, ups, 2, describe(evs))
	assert.InDelta(t, 100, ups[0].DurationMS, 3, "the key is released at the jump")
	assert.InDelta(t, 400, ups[1].DurationMS, 3)
	assert.InDelta(t, 1600+800, ups[1].Start, 24, "positions continue across the reset")
	assert.Equal(t, 160000+uint32(1600)+8000*60+800, ups[1].Timestamp, 24)
}

// TestNewSSRCResets: a new SSRC on the same receiver releases the old
// stream's key and starts afresh, whatever its sequence numbers.
func TestNewSSRCResets(t *testing.T) {
	pcm, _ := signal(t, 8000, 10, press{digit: 'B', before: 100, ms: 300})
	a := newStream(PCMU)
	b := newStream(PCMU)
	b.ssrc, b.seq, b.ts = 0x55, 7, 99
	pkts := append(a.packets(pcm[:2400]), b.packets(pcm)...)
	r := newReceiver(t, nil)
	var evs []Event
	for _, p := range marshal(t, pkts) {
		var err error
		evs, err = r.Process(evs, p)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), r.Stats().SSRCChanges)
	evs = r.Flush(evs)
	ups := keyUps(evs)
	require.Len(t, ups, 2, describe(evs))
	assert.Equal(t, uint32(0x1234abcd), ups[0].SSRC)
	assert.InDelta(t, 200, ups[0].DurationMS, 3)
	assert.Equal(t, uint32(0x55), ups[1].SSRC)
	assert.InDelta(t, 300, ups[1].DurationMS, 3)
	assert.Equal(t, uint32(99+800), ups[1].Timestamp, "timestamps follow the new stream")
}

// TestSequenceRestart follows RFC 3550 A.1: one packet far out of sequence
// is discarded; two in sequence restart the stream.
func TestSequenceRestart(t *testing.T) {
	pcm, _ := signal(t, 8000, 11, press{digit: 'C', before: 100, ms: 200}, press{digit: '5', before: 200, ms: 200})
	s := newStream(PCMU)
	pkts := s.packets(pcm)
	stray := pkts[20]
	stray.SequenceNumber += 20000
	restart := pkts[40:]
	for i := range restart {
		restart[i].SequenceNumber += 30000
	}
	all := append(append(append([]rtp.Packet{}, pkts[:20]...), stray), pkts[20:40]...)
	all = append(all, restart...)
	r := newReceiver(t, nil)
	var evs []Event
	for _, b := range marshal(t, all) {
		var err error
		evs, err = r.Process(evs, b)
		require.NoError(t, err)
	}
	st := r.Stats()
	evs = r.Flush(evs)
	assert.Equal(t, int64(1), st.Discarded)
	assert.Equal(t, int64(1), st.Restarts)
	assert.Equal(t, "C5", digits(evs), describe(evs))
}

func TestPacketErrors(t *testing.T) {
	s := newStream(PCMU)
	pcm := make([]int16, 160*4)
	pkts := s.packets(pcm)
	r := newReceiver(t, nil)
	good := marshal(t, pkts[:1])[0]

	_, err := r.Process(nil, good[:5])
	assert.ErrorIs(t, err, ErrPacket)

	v1 := append([]byte(nil), good...)
	v1[0] = 0x40
	_, err = r.Process(nil, v1)
	assert.ErrorIs(t, err, ErrPacket)

	unknown := pkts[1]
	unknown.PayloadType = 77
	_, err = r.ProcessPacket(nil, &unknown)
	assert.ErrorIs(t, err, ErrPayloadType)

	odd := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 11, SequenceNumber: pkts[2].SequenceNumber, SSRC: s.ssrc}, Payload: []byte{1, 2, 3}}
	r2 := newReceiver(t, func(c *Config) { c.PayloadTypes = []PayloadType{{Number: 11, Encoding: L16, ClockRate: 8000}} })
	_, err = r2.ProcessPacket(nil, &odd)
	assert.ErrorIs(t, err, ErrPayload)

	big := pkts[3]
	big.Payload = make([]byte, 5000)
	_, err = r.ProcessPacket(nil, &big)
	assert.ErrorIs(t, err, ErrPayload)

	ev := s.event(0, true, eventOf('1', false, 10, 80))
	ev.Payload = ev.Payload[:3]
	_, err = r.ProcessPacket(nil, &ev)
	assert.ErrorIs(t, err, ErrPayload)

	st := r.Stats()
	assert.Equal(t, int64(6-1), st.Rejected)
	assert.Zero(t, st.Lost, "rejected packets keep their place in the sequence")
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"rate", func(c *Config) { c.ClockRate = 4000 }},
		{"detector", func(c *Config) { c.Detector.MinLevel = 5 }},
		{"window", func(c *Config) { c.ReorderWindow = 32 }},
		{"conceal", func(c *Config) { c.MaxConceal = time.Second }},
		{"gap", func(c *Config) { c.MaxGap = time.Millisecond }},
		{"timeout", func(c *Config) { c.EventTimeout = 0 }},
		{"duplicate", func(c *Config) { c.DuplicateWindow = -1 }},
		{"payload size", func(c *Config) { c.MaxPayloadSize = 100 }},
		{"payload number", func(c *Config) { c.PayloadTypes = []PayloadType{{Number: 128, Encoding: PCMU}} }},
		{"encoding", func(c *Config) { c.PayloadTypes = []PayloadType{{Number: 96}} }},
		{"channels", func(c *Config) { c.PayloadTypes = []PayloadType{{Number: 96, Encoding: PCMU, Channels: 2}} }},
		{"pt rate", func(c *Config) { c.PayloadTypes = []PayloadType{{Number: 96, Encoding: PCMU, ClockRate: 10}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			_, err := NewReceiver(cfg)
			assert.ErrorIs(t, err, ErrConfig)
		})
	}
	_, err := NewReceiver(DefaultConfig())
	assert.NoError(t, err)
}

// TestResetEqualsNew: a receiver reused after Reset gives what a fresh
// one gives.
func TestResetEqualsNew(t *testing.T) {
	pcm, _ := signal(t, 8000, 12, keysPresses...)
	pkts := marshal(t, newStream(PCMU).packets(pcm))
	r := newReceiver(t, nil)
	first := receive(t, r, pkts[:len(pkts)/2])
	require.NotEmpty(t, first)
	r.Reset()
	assert.Equal(t, receive(t, newReceiver(t, nil), pkts), receive(t, r, pkts))
}
