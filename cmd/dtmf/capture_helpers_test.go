package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// captureT0 is the capture time of every test capture's first record.
var captureT0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// record is one UDP datagram of a test capture.
type record struct {
	at       time.Duration // from captureT0
	src, dst netip.AddrPort
	payload  []byte
}

// rtpFlow is one RTP stream written into a test capture, 20 ms packets.
type rtpFlow struct {
	src, dst netip.AddrPort
	ssrc     uint32
	seq      uint16
	ts       uint32
	start    time.Duration // capture time of its first packet, from captureT0
}

// packet marshals one packet of the flow and advances its sequence number.
func (f *rtpFlow) packet(t testing.TB, pt uint8, marker bool, ts uint32, payload []byte, at time.Duration) record {
	t.Helper()
	p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, Marker: marker, SequenceNumber: f.seq, Timestamp: ts, SSRC: f.ssrc}, Payload: payload}
	f.seq++
	b, err := p.Marshal()
	require.NoError(t, err)
	return record{at: at, src: f.src, dst: f.dst, payload: b}
}

// audio cuts pcm into 20 ms packets of pt, encoded by enc ("ulaw", "alaw"
// or "l16"), sent in real time from f.start.
func (f *rtpFlow) audio(t testing.TB, pt uint8, enc string, pcm []int16) []record {
	t.Helper()
	var out []record
	for i := 0; i+160 <= len(pcm); i += 160 {
		var payload []byte
		for _, v := range pcm[i : i+160] {
			switch enc {
			case "ulaw":
				payload = append(payload, g711.LinearToULaw(v))
			case "alaw":
				payload = append(payload, g711.LinearToALaw(v))
			case "l16":
				payload = append(payload, byte(uint16(v)>>8), byte(v))
			}
		}
		at := f.start + time.Duration(i)*time.Second/8000
		out = append(out, f.packet(t, pt, i == 0, f.ts+uint32(i), payload, at))
	}
	return out
}

// keyEvent returns the RFC 4733 packets of one key at pt: start and length
// [samples] on the flow's clock, an update every 50 ms, the final packet
// three times.
func (f *rtpFlow) keyEvent(t testing.TB, pt uint8, digit byte, start, length int) []record {
	t.Helper()
	code, ok := rfc4733.Code(digit)
	require.True(t, ok)
	var out []record
	send := func(d int, end, marker bool, at int) {
		b, err := rfc4733.Event{Code: code, End: end, Volume: 10, Duration: uint16(d)}.Append(nil)
		require.NoError(t, err)
		out = append(out, f.packet(t, pt, marker, f.ts+uint32(start), b, f.start+time.Duration(at)*time.Second/8000))
	}
	for d := 400; d < length; d += 400 {
		send(d, false, d == 400, start+d)
	}
	for i := range 3 {
		send(length, true, length <= 400 && i == 0, start+length+i*160)
	}
	return out
}

// keysPCM renders keys (digit, start ms, length ms) at -10 dBm0 per tone
// over total ms at 8 kHz, and returns the samples and the true presses.
func keysPCM(t testing.TB, seed uint64, total float64, keys ...any) ([]int16, []synth.Press) {
	t.Helper()
	s := synth.New(8000, seed)
	at := 0.0
	for i := 0; i < len(keys); i += 3 {
		start, length := keys[i+1].(float64), keys[i+2].(float64)
		s.Silence(start - at)
		require.NoError(t, s.Add(synth.Tone{Digit: keys[i].(byte), Duration: length, LowLevel: -10, HighLevel: -10, RandomPhase: true}))
		at = start + length
	}
	s.Silence(total - at)
	return s.PCM(), s.Presses
}

// writeCapture writes the records, in time order, as a pcap file.
func writeCapture(t testing.TB, dir, name string, recs ...[]record) string {
	t.Helper()
	var all []record
	for _, r := range recs {
		all = append(all, r...)
	}
	slices.SortStableFunc(all, func(a, b record) int { return int(a.at - b.at) })
	var buf bytes.Buffer
	w, err := capture.NewWriter(&buf)
	require.NoError(t, err)
	for _, r := range all {
		require.NoError(t, w.WriteUDP(captureT0.Add(r.at), r.src, r.dst, r.payload))
	}
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	return path
}

// captureEvent is one output line of dtmf decode on a capture.
type captureEvent struct {
	Event      string `json:"event"`
	Session    string `json:"session_uuid"`
	Digit      string `json:"digit"`
	DurationMS int    `json:"duration_ms"`
	OffsetMS   *int   `json:"offset_ms"`
	SSRC       uint32 `json:"ssrc"`
	Src        string `json:"src"`
	Dst        string `json:"dst"`
	Source     string `json:"source"`
	CommandUID string `json:"command_uid"`
	Digits     string `json:"digits"`
	Terminator string `json:"terminator"`
	Status     string `json:"status"`
}

// parseCaptureEvents checks that out is NDJSON of schema-valid events, each
// with its stream's fields (and "source" on `dtmf`), and returns them.
func parseCaptureEvents(t testing.TB, out string) []captureEvent {
	t.Helper()
	sch := testutil.EventSchema(t)
	var evs []captureEvent
	for _, l := range strings.SplitAfter(out, "\n") {
		if l == "" {
			continue
		}
		require.True(t, strings.HasSuffix(l, "\n"), "unterminated line %q", l)
		require.NoError(t, testutil.ValidateEvent(sch, []byte(l)), "line %q", l)
		var raw map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &raw))
		for _, k := range []string{"ssrc", "src", "dst"} {
			require.Contains(t, raw, k, "line %q", l)
		}
		var e captureEvent
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		if e.Event == "dtmf" {
			require.Contains(t, []string{"inband", "rfc4733"}, e.Source, "line %q", l)
		} else {
			require.NotContains(t, raw, "source", "line %q", l)
		}
		_, err := netip.ParseAddrPort(e.Src)
		require.NoError(t, err, "src of %q", l)
		_, err = netip.ParseAddrPort(e.Dst)
		require.NoError(t, err, "dst of %q", l)
		evs = append(evs, e)
	}
	return evs
}

// byStream groups the `dtmf` digits by SSRC.
func byStream(evs []captureEvent) map[uint32]string {
	m := map[uint32]string{}
	for _, e := range evs {
		if e.Event == "dtmf" {
			m[e.SSRC] += e.Digit
		}
	}
	return m
}

// sipInvite is a SIP INVITE whose SDP offers audio at addr with the given
// m= formats and a=rtpmap lines.
func sipInvite(addr netip.AddrPort, formats string, rtpmaps ...string) []byte {
	return sipMessage("INVITE sip:bob@example.com SIP/2.0", addr, formats, rtpmaps...)
}

// sipMessage is a SIP message with first line first and an SDP body that
// describes audio received at addr.
func sipMessage(first string, addr netip.AddrPort, formats string, rtpmaps ...string) []byte {
	host := addr.Addr().String()
	sdp := "v=0\r\no=- 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n" +
		"m=audio " + strconv.Itoa(int(addr.Port())) + " RTP/AVP " + formats + "\r\n"
	for _, m := range rtpmaps {
		sdp += "a=rtpmap:" + m + "\r\n"
	}
	return []byte(first + "\r\nVia: SIP/2.0/UDP " + host + ":5060\r\nCall-ID: 1@test\r\nCSeq: 1 INVITE\r\n" +
		"Content-Type: application/sdp\r\nContent-Length: " + strconv.Itoa(len(sdp)) + "\r\n\r\n" + sdp)
}

// toPcapng rewrites a pcap capture (of package capture's writer) as
// pcapng, record for record.
func toPcapng(t testing.TB, pcap []byte) []byte {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(pcap))
	require.NoError(t, err)
	var out bytes.Buffer
	w, err := pcapgo.NewNgWriter(&out, r.LinkType())
	require.NoError(t, err)
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		ci.InterfaceIndex = 0
		require.NoError(t, w.WritePacket(ci, data))
	}
	require.NoError(t, w.Flush())
	return out.Bytes()
}
