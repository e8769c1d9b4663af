package rtpdtmf_test

import (
	"bytes"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/rfc4733"
	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// wirePacket is an RTP packet as written and as tshark read it back.
type wirePacket struct {
	seq      uint16
	ts       uint32
	marker   bool
	event    uint8
	end      bool
	volume   uint8
	duration uint16
	ssrc     uint32
	at       int64 // stream position it was sent at
}

// TestSenderPacketsReadByWireshark writes the Sender's packets for a set of
// keys into a pcap, between PCMU audio packets of the same stream, and has
// Wireshark's RTP-event dissector read them back: every telephone-event
// packet we wrote is found with our event code, E bit, volume, duration,
// Marker, timestamp, sequence number and SSRC; and the RFC 4733 rules hold
// on what Wireshark read.
func TestSenderPacketsReadByWireshark(t *testing.T) {
	tshark := testenv.Tool(t, "tshark")
	const (
		ssrc  = 0x0badcafe
		ts0   = 3999990000 // the timestamp wraps during the keys
		seq0  = 65500      // so does the sequence number
		frame = 160
	)
	type k struct {
		digit      byte
		start, end int64
		level      float32
	}
	keys := []k{{'1', 800, 1760, -10}, {'#', 2400, 4000, -25}, {'D', 4400, 4400 + 70000, -3}, {'0', 76000, 76400, -40}}
	var evs []detector.Event
	for _, x := range keys {
		evs = append(evs,
			detector.Event{Type: detector.KeyDown, Digit: x.digit, Start: x.start, At: x.start + 224, LowLevel: x.level, HighLevel: x.level},
			detector.Event{Type: detector.KeyUp, Digit: x.digit, Start: x.start, End: x.end, At: x.end + 440})
	}
	s, err := rtpdtmf.NewSender(rtpdtmf.DefaultSenderConfig())
	require.NoError(t, err)
	s.SetTimestamp(0, ts0)

	var buf bytes.Buffer
	w, err := capture.NewWriter(&buf)
	require.NoError(t, err)
	src, dst := netip.MustParseAddrPort("127.0.0.1:40000"), netip.MustParseAddrPort("127.0.0.1:40002")
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	seq := uint16(seq0)
	var want []wirePacket
	write := func(p rtp.Packet, at int64) {
		p.Version, p.SSRC, p.SequenceNumber = 2, ssrc, seq
		seq++
		b, err := p.Marshal()
		require.NoError(t, err)
		require.NoError(t, w.WriteUDP(base.Add(time.Duration(at)*time.Second/8000), src, dst, b))
	}
	silence := bytes.Repeat([]byte{0xff}, frame)
	var out []rtpdtmf.EventPacket
	for now := int64(frame); now <= 80000; now += frame {
		var due []detector.Event
		for len(evs) > 0 && evs[0].At <= now {
			due, evs = append(due, evs[0]), evs[1:]
		}
		write(rtp.Packet{Header: rtp.Header{PayloadType: 0, Timestamp: ts0 + uint32(now-frame)}, Payload: silence}, now)
		out = s.Process(out[:0], due, now, now)
		for _, p := range out {
			payload, err := p.Event.Append(nil)
			require.NoError(t, err)
			want = append(want, wirePacket{seq: seq, ts: p.Timestamp, marker: p.Marker, event: p.Event.Code, end: p.Event.End,
				volume: p.Event.Volume, duration: p.Event.Duration, ssrc: ssrc, at: now})
			write(rtp.Packet{Header: rtp.Header{PayloadType: 101, Marker: p.Marker, Timestamp: p.Timestamp}, Payload: payload}, now)
		}
	}
	file := filepath.Join(t.TempDir(), "events.pcap")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))

	cmd := exec.Command(tshark, "-n", "-r", file,
		"-d", "udp.port==40002,rtp",
		"-o", "rtpevent.event_payload_type_value:101",
		"-Y", "rtpevent",
		"-T", "fields", "-E", "separator=,",
		"-e", "rtp.seq", "-e", "rtp.timestamp", "-e", "rtp.marker", "-e", "rtpevent.event_id",
		"-e", "rtpevent.end_of_event", "-e", "rtpevent.volume", "-e", "rtpevent.duration", "-e", "rtp.ssrc", "-e", "rtpevent.reserved")
	outb, err := cmd.Output()
	require.NoError(t, err, "tshark: %s", testutil.ExitStderr(err))
	var got []wirePacket
	for _, line := range strings.Split(strings.TrimSpace(string(outb)), "\n") {
		f := strings.Split(line, ",")
		require.Len(t, f, 9, line)
		assert.Contains(t, []string{"0", "False"}, f[8], "R bit zero: %s", line)
		got = append(got, wirePacket{
			seq: uint16(testutil.TsharkUint(t, f[0])), ts: uint32(testutil.TsharkUint(t, f[1])), marker: testutil.TsharkBool(t, f[2]), event: uint8(testutil.TsharkUint(t, f[3])),
			end: testutil.TsharkBool(t, f[4]), volume: uint8(testutil.TsharkUint(t, f[5])), duration: uint16(testutil.TsharkUint(t, f[6])), ssrc: uint32(testutil.TsharkUint(t, f[7])),
		})
	}
	require.Len(t, got, len(want), "every telephone-event packet is recognised")
	for i := range want {
		got[i].at = want[i].at // when we sent it: not on the wire
		assert.Equal(t, want[i], got[i], "packet %d", i)
	}

	// The rules, on what Wireshark read.
	type event struct {
		code    uint8
		packets []wirePacket
	}
	var events []*event
	byTS := map[uint32]*event{}
	for _, p := range got {
		e := byTS[p.ts]
		if e == nil {
			e = &event{code: p.event}
			byTS[p.ts] = e
			events = append(events, e)
		}
		e.packets = append(e.packets, p)
	}
	// Key 'D' (70000 units) is two segments: five events by timestamp.
	require.Len(t, events, 5)
	wantTS := []uint32{ts0 + 800, ts0 + 2400, ts0 + 4400, ts0 + 4400 + 0xffff, ts0 + 76000}
	wantLen := []uint16{960, 1600, 0xffff, 70000 - 0xffff, 400}
	wantVol := []uint8{7, 22, 0, 0, 37}
	for i, e := range events {
		ps := e.packets
		assert.Equal(t, wantTS[i], ps[0].ts, "event %d: timestamp is the tone's start", i)
		assert.Equal(t, i != 3, ps[0].marker, "event %d: Marker on an event's first packet, not a segment's", i)
		ends := 0
		for j, p := range ps {
			assert.Equal(t, e.code, p.event)
			assert.Equal(t, wantVol[i], p.volume, "event %d", i)
			if j > 0 {
				assert.False(t, p.marker, "event %d packet %d", i, j)
				assert.GreaterOrEqual(t, p.duration, ps[j-1].duration, "event %d: durations never shrink", i)
			}
			if p.duration == wantLen[i] && (p.end || i == 2) {
				ends++
			}
			if p.end {
				assert.NotEqual(t, 2, i, "a segment that the event outlives has no E bit")
			}
		}
		assert.Equal(t, 3, ends, "event %d: the final packet three times", i)
		last := ps[len(ps)-1]
		assert.Equal(t, wantLen[i], last.duration, "event %d", i)
		for j := 2; j < len(ps) && !ps[j].end && ps[j].duration < 0xffff; j++ {
			// Between updates (the first packet goes when the key is
			// known, the final one when it ends).
			gap := ps[j].at - ps[j-1].at
			assert.True(t, gap == 320 || gap == 480, "event %d: updates every 50 ms on the 20 ms grid (%d)", i, gap)
		}
	}
	code, _ := rfc4733.Code('D')
	assert.Equal(t, code, events[2].code)
}
