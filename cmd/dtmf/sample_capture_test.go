package main

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// sampleCapturePath is the capture the README decodes: a SIP call whose
// caller dials 2, 5, 8 in-band and # as RFC 4733 telephone-events in the
// same stream, written by sampleCapture (go test ./cmd/dtmf -update).
const sampleCapturePath = "../../testdata/call.pcap"

// The sample call's parties and keys.
var (
	sampleCaller = netip.MustParseAddrPort("192.0.2.10:40000")
	sampleCallee = netip.MustParseAddrPort("192.0.2.20:5004")
	// sampleKeys: digit, start and length [ms] in the caller's audio; the
	// last is out as telephone-events instead of tones.
	sampleKeys = []any{byte('2'), 200.0, 100.0, byte('5'), 420.0, 90.0, byte('8'), 640.0, 150.0, byte('#'), 900.0, 200.0}
)

// sampleCapture builds the sample call: the INVITE and its 200 OK with
// SDP (PCMU and telephone-event at 101), then 1.4 s of RTP both ways from
// 40 ms: the caller's with the keys, the callee's silence. The caller
// sends # as an RFC 4733 sender that mutes the audio does: one event
// packet in each 20 ms slot of the key instead of audio, the final one
// three times.
func sampleCapture(t testing.TB) []byte {
	t.Helper()
	const (
		slots   = 70  // 20 ms each
		eventAt = 900 // ms: the # key
		eventMS = 200
	)
	pcm, _ := keysPCM(t, 21, slots*20, sampleKeys[:9]...)
	invite := sipMessage("INVITE sip:ivr@192.0.2.20 SIP/2.0", sampleCaller, "0 101", "0 PCMU/8000", "101 telephone-event/8000")
	ok := sipMessage("SIP/2.0 200 OK", sampleCallee, "0 101", "0 PCMU/8000", "101 telephone-event/8000")
	sip := netip.MustParseAddrPort("192.0.2.10:5060")
	recs := []record{
		{at: 0, src: sip, dst: netip.MustParseAddrPort("192.0.2.20:5060"), payload: invite},
		{at: 20 * time.Millisecond, src: netip.MustParseAddrPort("192.0.2.20:5060"), dst: sip, payload: ok},
	}
	caller := &rtpFlow{src: sampleCaller, dst: sampleCallee, ssrc: 0x5eed0001, seq: 4000, ts: 160000, start: 40 * time.Millisecond}
	callee := &rtpFlow{src: sampleCallee, dst: sampleCaller, ssrc: 0x5eed0002, seq: 9000, ts: 80000, start: 45 * time.Millisecond}
	code, _ := rfc4733.Code('#')
	silence := bytes.Repeat([]byte{g711.LinearToULaw(0)}, 160)
	first, last := eventAt/20, (eventAt+eventMS)/20 // slots of the key
	for i := range slots {
		at := caller.start + time.Duration(i)*20*time.Millisecond
		ts := caller.ts + uint32(i*160)
		if i >= first && i < last+2 {
			// Durations up to the end of this slot, the final three
			// packets (from the key's last slot) with the whole length.
			d := min((i-first+1)*160, eventMS*8)
			b, err := rfc4733.Event{Code: code, End: i >= last-1, Volume: 10, Duration: uint16(d)}.Append(nil)
			require.NoError(t, err)
			recs = append(recs, caller.packet(t, 101, i == first, caller.ts+uint32(first*160), b, at))
		} else {
			payload := make([]byte, 160)
			for j, v := range pcm[i*160 : (i+1)*160] {
				payload[j] = g711.LinearToULaw(v)
			}
			recs = append(recs, caller.packet(t, 0, i == 0 || i == last+2, ts, payload, at))
		}
		recs = append(recs, callee.packet(t, 0, i == 0, callee.ts+uint32(i*160), silence, callee.start+time.Duration(i)*20*time.Millisecond))
	}
	path := writeCapture(t, t.TempDir(), "call.pcap", recs)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// TestSampleCapture keeps testdata/call.pcap what sampleCapture writes,
// and checks what the README says of it: decode finds 2, 5, 8 in-band and
// # as telephone-events on the caller's stream, nothing on the callee's,
// payload types from the SDP; the output is its golden file. The gateway
// turns all four into telephone-events.
func TestSampleCapture(t *testing.T) {
	data := sampleCapture(t)
	if *update {
		require.NoError(t, os.WriteFile(sampleCapturePath, data, 0o644))
	}
	committed, err := os.ReadFile(sampleCapturePath)
	require.NoError(t, err, "run go test ./cmd/dtmf -update to create it")
	require.Equal(t, data, committed, "testdata/call.pcap is stale: run go test ./cmd/dtmf -update")
	require.Less(t, len(data), 100<<10, "small enough to commit")

	code, out, errOut := decodeRun(t, nil, "--timestamps", sampleCapturePath)
	require.Zero(t, code, errOut)
	checkGolden(t, "decode-call-pcap", out)
	evs := parseCaptureEvents(t, out)
	require.Len(t, evs, 4)
	for i, e := range evs {
		digit, start, length := sampleKeys[3*i].(byte), sampleKeys[3*i+1].(float64), sampleKeys[3*i+2].(float64)
		assert.Equal(t, string(digit), e.Digit)
		assert.Equal(t, uint32(0x5eed0001), e.SSRC)
		assert.Equal(t, sampleCaller.String(), e.Src)
		assert.Equal(t, sampleCallee.String(), e.Dst)
		assert.InDelta(t, length, e.DurationMS, 10, "key %d", i)
		assert.InDelta(t, 40+start, *e.OffsetMS, 10, "key %d", i)
		want := "inband"
		if digit == '#' {
			want = "rfc4733"
		}
		assert.Equal(t, want, e.Source, "key %d", i)
	}

	out2 := filepath.Join(t.TempDir(), "gw.pcap")
	code, summary, errOut := gatewayRunCmd(t, sampleCapturePath, out2)
	require.Zero(t, code, errOut)
	assert.Contains(t, summary, `ssrc 0x5eed0001 192.0.2.10:40000 -> 192.0.2.20:5004 PCMU: 70 packets in, `)
	assert.Contains(t, summary, `keys "258#" out as telephone-event 101`, "the # forwarded as it came")
	f, err := os.Open(out2)
	require.NoError(t, err)
	defer f.Close()
	res, err := capture.Decode(f, capture.DefaultConfig())
	require.NoError(t, err)
	var got string
	for _, s := range res.Streams {
		for _, e := range s.Events {
			if e.Type == detector.KeyUp {
				got += string(e.Digit) + e.Source.String() + " "
			}
		}
	}
	assert.Equal(t, "2rfc4733 5rfc4733 8rfc4733 #rfc4733 ", got)
}
