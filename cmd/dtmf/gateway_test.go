package main

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// gatewayRunCmd runs "dtmf gateway args..." and returns exit code, stdout
// and stderr.
func gatewayRunCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"gateway"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// capRecord is one datagram read back from a capture.
type capRecord struct {
	t        time.Time
	src, dst netip.AddrPort
	payload  []byte
}

func readRecords(t testing.TB, path string) ([]capRecord, error) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := capture.NewReader(f)
	require.NoError(t, err)
	var out []capRecord
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, capRecord{p.Time, p.Src, p.Dst, bytes.Clone(p.Payload)})
	}
}

// streamAudio returns the µ-law audio (payload type 0) of the packets of
// ssrc in recs, in sequence order, and its telephone-event packets (pt).
func streamAudio(t testing.TB, recs []capRecord, ssrc uint32, eventPT uint8) ([]int16, []rtp.Packet) {
	t.Helper()
	var pcm []int16
	var events []rtp.Packet
	var last uint16
	first := true
	for _, r := range recs {
		var p rtp.Packet
		if !looksRTP(r.payload) || p.Unmarshal(r.payload) != nil || p.SSRC != ssrc {
			continue
		}
		if !first {
			require.Equal(t, last+1, p.SequenceNumber, "output in sequence, no gaps")
		}
		first, last = false, p.SequenceNumber
		switch p.PayloadType {
		case 0:
			for _, c := range p.Payload {
				pcm = append(pcm, g711.ULawToLinear(c))
			}
		case eventPT:
			events = append(events, p)
		}
	}
	return pcm, events
}

// keysIn runs this detector over pcm and returns the digits.
func keysIn(t testing.TB, pcm []int16) string {
	t.Helper()
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	var b strings.Builder
	for _, e := range d.Flush(d.Process(nil, pcm)) {
		if e.Type == detector.KeyUp {
			b.WriteByte(e.Digit)
		}
	}
	return b.String()
}

func TestGateway(t *testing.T) {
	dir := t.TempDir()
	pcm, truth := keysPCM(t, 9, 1400, callKeys...)
	a := &rtpFlow{src: addrA, dst: addrB, ssrc: 0xa1a1a1a1, seq: 65500, ts: 4294960000, start: 100 * time.Millisecond}
	// An L16 stream at an unbound payload type, and plain datagrams: copied
	// as they are.
	other := &rtpFlow{src: netip.MustParseAddrPort("[2001:db8::1]:7000"), dst: netip.MustParseAddrPort("[2001:db8::2]:7002"), ssrc: 0x96, seq: 1, start: 30 * time.Millisecond}
	otherPCM, _ := keysPCM(t, 10, 300, byte('3'), 50.0, 100.0)
	plain := []record{
		{at: 0, src: netip.MustParseAddrPort("10.0.0.9:53"), dst: addrA, payload: []byte("hello, not RTP")},
		{at: 700 * time.Millisecond, src: addrA, dst: netip.MustParseAddrPort("10.0.0.2:5001"), payload: []byte{0x81, 200, 0, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}},
	}
	in := writeCapture(t, dir, "in.pcap", plain, a.audio(t, 0, "ulaw", pcm), other.audio(t, 96, "l16", otherPCM))
	inRecs, err := readRecords(t, in)
	require.NoError(t, err)
	out := filepath.Join(dir, "out.pcap")

	code, summary, errOut := gatewayRunCmd(t, in, out)
	require.Zero(t, code, errOut)
	assert.Empty(t, errOut)
	lines := strings.Split(summary, "\n")
	require.Len(t, lines, 3, summary)
	assert.Equal(t, "ssrc 0x00000096 [2001:db8::1]:7000 -> [2001:db8::2]:7002: 15 packets copied unchanged (payload type 96 unknown)", lines[0])
	assert.Regexp(t, `^ssrc 0xa1a1a1a1 10.0.0.1:4000 -> 10.0.0.2:5000 PCMU: 70 packets in, (\d+) out, keys "159" out as telephone-event 101$`, lines[1])

	recs, err := readRecords(t, out)
	require.NoError(t, err)
	// Time order, and every datagram that is not flow A's is there as it
	// was, in its order.
	var kept, keptIn []capRecord
	for i, r := range recs {
		if i > 0 {
			assert.False(t, r.t.Before(recs[i-1].t), "record %d in time order", i)
		}
		if r.src != addrA || r.dst != addrB {
			kept = append(kept, r)
		}
	}
	for _, r := range inRecs {
		if r.src != addrA || r.dst != addrB {
			keptIn = append(keptIn, r)
		}
	}
	assert.Equal(t, keptIn, kept)
	assert.Equal(t, captureT0, recs[0].t)

	// Flow A: the keys only as telephone-events, none left in the audio,
	// and the far end reads them with their lengths.
	audio, events := streamAudio(t, recs, a.ssrc, 101)
	assert.Len(t, audio, len(pcm), "every sample forwarded")
	assert.Contains(t, lines[1], fmt.Sprintf(" %d out,", len(audio)/160+len(events)))
	// The gateway holds the first packets for its lookahead: the far end
	// sees the stream start that much later.
	var lag time.Duration
	for _, r := range recs {
		if r.src == addrA && r.dst == addrB {
			lag = r.t.Sub(captureT0) - a.start
			break
		}
	}
	assert.True(t, lag >= 0 && lag <= 100*time.Millisecond, "first packet %v late", lag)
	assert.Equal(t, "159", keysIn(t, pcm), "the input has the keys")
	assert.Empty(t, keysIn(t, audio), "the output audio has none")
	var digits []byte
	for _, p := range events {
		var ev rfc4733.Event
		require.NoError(t, ev.Unmarshal(p.Payload))
		d, ok := rfc4733.Digit(ev.Code)
		require.True(t, ok)
		if p.Marker {
			digits = append(digits, d)
		}
	}
	assert.Equal(t, "159", string(digits))

	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	res, err := capture.Decode(f, capture.DefaultConfig())
	require.NoError(t, err)
	var ups []capture.Event
	for _, s := range res.Streams {
		if s.SSRC == a.ssrc {
			for _, e := range s.Events {
				if e.Type == detector.KeyUp {
					ups = append(ups, e)
				}
			}
		}
	}
	require.Len(t, ups, 3)
	for i, u := range ups {
		assert.Equal(t, truth[i].Digit, u.Digit)
		assert.Equal(t, "rfc4733", u.Source.String())
		assert.False(t, u.Duplicate, "the tones are gone: the key is not seen in-band as well")
		assert.InDelta(t, float64(truth[i].End-truth[i].Start)/8, u.DurationMS, 10)
		// The event's timestamp is the tone's start: 100 ms + its place,
		// on the clock of the output's first packet.
		want := 100*time.Millisecond + lag + time.Duration(truth[i].Start)*time.Second/8000
		assert.InDelta(t, float64(want), float64(u.Offset), float64(10*time.Millisecond))
	}

	t.Run("keep-tones and event-pt", func(t *testing.T) {
		out2 := filepath.Join(dir, "out2.pcap")
		code, summary, errOut := gatewayRunCmd(t, "--keep-tones", "--event-pt", "110", in, out2)
		require.Zero(t, code, errOut)
		assert.Contains(t, summary, `keys "159" out as telephone-event 110`)
		recs, err := readRecords(t, out2)
		require.NoError(t, err)
		audio, events := streamAudio(t, recs, a.ssrc, 110)
		assert.Equal(t, "159", keysIn(t, audio), "the tones kept")
		assert.NotEmpty(t, events)
		code, decoded, errOut := decodeRun(t, nil, "--pt", "110=telephone-event", "--pt", "96=L16/8000", out2)
		require.Zero(t, code, errOut)
		assert.Equal(t, map[uint32]string{a.ssrc: "159", other.ssrc: "3"}, byStream(parseCaptureEvents(t, decoded)), "the L16 stream copied as it was")
	})
	t.Run("SDP telephone-event type", func(t *testing.T) {
		invite := record{at: 0, src: netip.MustParseAddrPort("10.0.0.1:5060"), dst: netip.MustParseAddrPort("10.0.0.2:5060"),
			payload: sipInvite(addrB, "0 97", "0 PCMU/8000", "97 telephone-event/8000")}
		b := *a
		b.seq = 1
		in := writeCapture(t, dir, "sdp.pcap", []record{invite}, b.audio(t, 0, "ulaw", pcm))
		out := filepath.Join(dir, "sdp-out.pcap")
		code, summary, errOut := gatewayRunCmd(t, in, out)
		require.Zero(t, code, errOut)
		assert.Contains(t, summary, `keys "159" out as telephone-event 97`)
		code, decoded, errOut := decodeRun(t, nil, out)
		require.Zero(t, code, errOut)
		assert.Equal(t, "159", byStream(parseCaptureEvents(t, decoded))[a.ssrc], "decode takes 97 from the SDP")
	})
	t.Run("events before the audio", func(t *testing.T) {
		// A stream that starts with a telephone-event (and comfort noise)
		// gets its gateway at its first audio packet.
		b := *a
		b.seq, b.start = 100, 100*time.Millisecond
		lead := b.keyEvent(t, 101, 'A', 0, 400)
		for i := range lead {
			lead[i].at = time.Duration(i) * 10 * time.Millisecond
		}
		cn := b.packet(t, 13, false, b.ts, []byte{40}, 90*time.Millisecond)
		in := writeCapture(t, dir, "lead.pcap", lead, []record{cn}, b.audio(t, 0, "ulaw", pcm))
		out := filepath.Join(dir, "lead-out.pcap")
		code, summary, errOut := gatewayRunCmd(t, in, out)
		require.Zero(t, code, errOut)
		assert.Regexp(t, `PCMU: 74 packets in, \d+ out, keys "159" out as telephone-event 101\n$`, summary, "the 4 packets before the audio copied")
		code, decoded, errOut := decodeRun(t, nil, out)
		require.Zero(t, code, errOut)
		assert.Equal(t, "A159", byStream(parseCaptureEvents(t, decoded))[a.ssrc])
	})
	t.Run("truncated input", func(t *testing.T) {
		data, err := os.ReadFile(in)
		require.NoError(t, err)
		cut := filepath.Join(dir, "cut.pcap")
		require.NoError(t, os.WriteFile(cut, data[:len(data)/2+3], 0o644))
		out := filepath.Join(dir, "cut-out.pcap")
		code, _, errOut := gatewayRunCmd(t, cut, out)
		assert.Equal(t, 1, code)
		assert.Regexp(t, `^dtmf gateway: input capture truncated after record \d+; the packets before were written\n$`, errOut)
		recs, err := readRecords(t, out)
		require.NoError(t, err, "the output is a whole capture")
		assert.NotEmpty(t, recs)
	})
}

func TestGatewayUsage(t *testing.T) {
	dir := t.TempDir()
	in, _, _ := callCapture(t, dir)
	out := filepath.Join(dir, "out.pcap")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "want IN.pcap and OUT.pcap, got 0 arguments"},
		{[]string{in}, "got 1 arguments"},
		{[]string{in, out, out}, "got 3 arguments"},
		{[]string{"--event-pt", "95", in, out}, "--event-pt 95: want 96 to 127"},
		{[]string{"--event-pt", "128", in, out}, "--event-pt 128: want 96 to 127"},
		{[]string{"--pt", "x", in, out}, `"x": want N=ENCODING`},
		{[]string{"--nope", in, out}, "flag provided but not defined: -nope"},
		{[]string{in, in}, "IN and OUT are the same file"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, errOut := gatewayRunCmd(t, tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, errOut, tc.msg)
			assert.True(t, strings.HasPrefix(errOut, "dtmf gateway: ") && strings.HasSuffix(errOut, "(run \"dtmf gateway -h\" for usage)\n"), errOut)
		})
	}
	code, help, _ := gatewayRunCmd(t, "-h")
	assert.Zero(t, code)
	assert.True(t, strings.HasPrefix(help, "usage: dtmf gateway [flags] IN.pcap OUT.pcap\n"))
	for _, f := range []string{"-event-pt type", "-keep-tones", "-pt type"} {
		assert.Contains(t, help, f)
	}
	var stdout bytes.Buffer
	require.Zero(t, run([]string{"-h"}, nil, &stdout, io.Discard))
	assert.Contains(t, stdout.String(), "dtmf gateway [flags] IN.pcap OUT.pcap")

	t.Run("errors", func(t *testing.T) {
		code, _, errOut := gatewayRunCmd(t, filepath.Join(dir, "missing.pcap"), out)
		assert.Equal(t, 1, code)
		assert.Equal(t, "dtmf gateway: no such file or directory\n", errOut)
		code, _, errOut = gatewayRunCmd(t, samplePath, out)
		assert.Equal(t, 1, code)
		assert.Equal(t, "dtmf gateway: "+samplePath+": not a pcap or pcapng capture: starts with 52 49 46 46\n", errOut)
		code, _, errOut = gatewayRunCmd(t, in, filepath.Join(dir, "no", "such", "dir.pcap"))
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "no such file or directory")
	})
}
