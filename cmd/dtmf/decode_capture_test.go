package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	addrA = netip.MustParseAddrPort("10.0.0.1:4000")
	addrB = netip.MustParseAddrPort("10.0.0.2:5000")
)

// callKeys are the in-band keys of flow A in the test call: digit, start
// and length [ms] in its audio.
var callKeys = []any{byte('1'), 200.0, 80.0, byte('5'), 500.0, 120.0, byte('9'), 900.0, 200.0}

// callCapture writes the test call: a non-RTP datagram first (the
// capture's start), flow A (PCMU, in-band keys "159", from 100 ms) and
// flow B (PCMA silence from 150 ms, and "#" as RFC 4733 telephone-events
// 500 ms into it, 120 ms long). It returns the file and the two flows.
func callCapture(t testing.TB, dir string) (string, *rtpFlow, *rtpFlow) {
	t.Helper()
	pcm, _ := keysPCM(t, 3, 1400, callKeys...)
	a := &rtpFlow{src: addrA, dst: addrB, ssrc: 0xa1a1a1a1, seq: 65500, ts: 4294960000, start: 100 * time.Millisecond}
	b := &rtpFlow{src: addrB, dst: addrA, ssrc: 0xb2, seq: 7, ts: 1000, start: 150 * time.Millisecond}
	recA := a.audio(t, 0, "ulaw", pcm)
	recB := b.audio(t, 8, "alaw", make([]int16, 8000*14/10))
	recB = append(recB, b.keyEvent(t, 101, '#', 4000, 960)...)
	hello := []record{{at: 0, src: netip.MustParseAddrPort("10.0.0.9:53"), dst: addrA, payload: []byte("hello, not RTP")}}
	return writeCapture(t, dir, "call.pcap", hello, recA, recB), a, b
}

func TestDecodeCapture(t *testing.T) {
	dir := t.TempDir()
	file, a, b := callCapture(t, dir)
	code, out, errOut := decodeRun(t, nil, "--timestamps", file)
	require.Zero(t, code, errOut)
	require.Empty(t, errOut)
	evs := parseCaptureEvents(t, out)
	require.Len(t, evs, 4, out)

	type want struct {
		digit    string
		flow     *rtpFlow
		source   string
		ms       int
		offsetMS int // from the capture's first record
	}
	// Merged in time order: flow A's keys start 100 ms + their place in
	// its audio, flow B's 150 ms + 500 ms.
	wants := []want{
		{"1", a, "inband", 80, 300},
		{"5", a, "inband", 120, 600},
		{"#", b, "rfc4733", 120, 650},
		{"9", a, "inband", 200, 1000},
	}
	for i, w := range wants {
		e := evs[i]
		assert.Equal(t, "call", e.Session)
		assert.Equal(t, w.digit, e.Digit, "event %d", i)
		assert.Equal(t, w.flow.ssrc, e.SSRC, "event %d", i)
		assert.Equal(t, w.flow.src.String(), e.Src, "event %d", i)
		assert.Equal(t, w.flow.dst.String(), e.Dst, "event %d", i)
		assert.Equal(t, w.source, e.Source, "event %d", i)
		assert.InDelta(t, w.ms, e.DurationMS, 10, "event %d", i)
		require.NotNil(t, e.OffsetMS, "event %d", i)
		assert.InDelta(t, w.offsetMS, *e.OffsetMS, 10, "event %d", i)
	}

	t.Run("without timestamps", func(t *testing.T) {
		code, plain, errOut := decodeRun(t, nil, "--session", "s1", file)
		require.Zero(t, code, errOut)
		for i, e := range parseCaptureEvents(t, plain) {
			assert.Nil(t, e.OffsetMS)
			assert.Equal(t, "s1", e.Session)
			assert.Equal(t, wants[i].digit, e.Digit)
		}
	})
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	t.Run("gzip", func(t *testing.T) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, err := zw.Write(data)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		gz := filepath.Join(dir, "call.pcap.gz")
		require.NoError(t, os.WriteFile(gz, z.Bytes(), 0o644))
		code, got, errOut := decodeRun(t, nil, "--timestamps", "--session", "call", gz)
		require.Zero(t, code, errOut)
		assert.Equal(t, out, got)
	})
	t.Run("pcapng", func(t *testing.T) {
		ng := filepath.Join(dir, "call.pcapng")
		require.NoError(t, os.WriteFile(ng, toPcapng(t, data), 0o644))
		code, got, errOut := decodeRun(t, nil, "--timestamps", "--session", "call", ng)
		require.Zero(t, code, errOut)
		assert.Equal(t, out, got)
	})
	t.Run("stdin", func(t *testing.T) {
		code, got, errOut := decodeRun(t, bytes.NewReader(data), "--timestamps", "--session", "call", "-")
		require.Zero(t, code, errOut)
		assert.Equal(t, out, got)
	})
	t.Run("any name", func(t *testing.T) {
		// Recognised by content, not by name: a capture called .wav.
		renamed := filepath.Join(dir, "call.wav")
		require.NoError(t, os.WriteFile(renamed, data, 0o644))
		code, got, errOut := decodeRun(t, nil, "--timestamps", renamed)
		require.Zero(t, code, errOut)
		assert.Equal(t, out, got)
	})
	t.Run("batch with a WAV", func(t *testing.T) {
		code, got, errOut := decodeRun(t, nil, file, samplePath)
		require.Zero(t, code, errOut)
		_, wavOut, _ := decodeRun(t, nil, samplePath)
		assert.True(t, strings.HasSuffix(got, wavOut), "the WAV decodes after the capture as alone")
		assert.Equal(t, loadTruth(t).Digits, digitsOf(parseLines(t, wavOut)))
	})
}

func TestDecodeCapturePayloadTypes(t *testing.T) {
	dir := t.TempDir()
	pcm, truth := keysPCM(t, 5, 700, byte('7'), 200.0, 150.0, byte('D'), 450.0, 90.0)
	l16 := &rtpFlow{src: addrA, dst: addrB, ssrc: 0x96, seq: 1, ts: 0, start: 0}
	file := writeCapture(t, dir, "l16.pcap", l16.audio(t, 96, "l16", pcm))

	code, out, errOut := decodeRun(t, nil, file)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "dtmf decode: "+file+": stream ssrc 0x00000096 10.0.0.1:4000 -> 10.0.0.2:5000: no audio decoded: unknown payload type: 96 (bind it with --pt)\n", errOut)

	code, out, errOut = decodeRun(t, nil, "--pt", "96=L16/8000", file)
	require.Zero(t, code, errOut)
	evs := parseCaptureEvents(t, out)
	require.Len(t, evs, 2)
	for i, e := range evs {
		assert.Equal(t, string(truth[i].Digit), e.Digit)
		assert.InDelta(t, float64(truth[i].End-truth[i].Start)/8, e.DurationMS, 10)
		assert.Equal(t, "inband", e.Source)
	}

	t.Run("SDP", func(t *testing.T) {
		// The SDP, after the stream's first packets, binds 98 to PCMA at
		// the stream's destination: a file is read twice, so it applies
		// from the first packet.
		media := netip.MustParseAddrPort("192.0.2.4:6000")
		f := &rtpFlow{src: netip.MustParseAddrPort("192.0.2.3:7000"), dst: media, ssrc: 0x98, seq: 100, ts: 99}
		invite := record{at: 50 * time.Millisecond, src: netip.MustParseAddrPort("192.0.2.1:5060"), dst: netip.MustParseAddrPort("192.0.2.2:5060"),
			payload: sipInvite(media, "98 101", "98 PCMA/8000", "101 telephone-event/8000")}
		file := writeCapture(t, dir, "sdp.pcap", f.audio(t, 98, "alaw", pcm), []record{invite})
		code, out, errOut := decodeRun(t, nil, file)
		require.Zero(t, code, errOut)
		assert.Equal(t, map[uint32]string{0x98: "7D"}, byStream(parseCaptureEvents(t, out)))
		// The SDP's binding wins over --pt for the stream it describes.
		code, out, errOut = decodeRun(t, nil, "--pt", "98=PCMU", file)
		require.Zero(t, code, errOut)
		assert.Equal(t, map[uint32]string{0x98: "7D"}, byStream(parseCaptureEvents(t, out)))
	})
}

func TestDecodeCaptureBroken(t *testing.T) {
	dir := t.TempDir()
	file, _, _ := callCapture(t, dir)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	_, full, _ := decodeRun(t, nil, file)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}

	t.Run("truncated", func(t *testing.T) {
		// Cut inside a record half way, before the 9: the keys before are
		// printed, then the truncation is reported.
		cut := write("cut.pcap", data[:len(data)/2+5])
		code, out, errOut := decodeRun(t, nil, cut)
		assert.Equal(t, 1, code)
		assert.Regexp(t, `^dtmf decode: .*cut.pcap: capture truncated after record \d+; the packets before were decoded\n$`, errOut)
		evs := parseCaptureEvents(t, out)
		assert.NotEmpty(t, evs)
		assert.Len(t, evs, 3)
		for _, e := range evs {
			assert.Contains(t, full, `"digit":"`+e.Digit+`"`)
		}
	})
	t.Run("header only", func(t *testing.T) {
		code, out, errOut := decodeRun(t, nil, write("empty.pcap", data[:24]))
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "empty.pcap: no RTP stream in the capture (0 records")
	})
	t.Run("no RTP", func(t *testing.T) {
		p := writeCapture(t, dir, "dns.pcap", []record{{src: addrA, dst: addrB, payload: []byte("hello")}})
		code, _, errOut := decodeRun(t, nil, p)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "dns.pcap: no RTP stream in the capture (1 records, 0 not UDP or TCP over IP)\n")
	})
	t.Run("gzip of something else", func(t *testing.T) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, _ = zw.Write([]byte("RIFF...."))
		require.NoError(t, zw.Close())
		code, _, errOut := decodeRun(t, nil, write("x.gz", z.Bytes()))
		assert.Equal(t, 1, code)
		assert.Regexp(t, `^dtmf decode: .*x.gz: not a pcap or pcapng capture: starts with 52 49 46 46\n$`, errOut)
	})
	t.Run("hostile snap length", func(t *testing.T) {
		// A record claiming 2 GB: refused before anything is allocated.
		b := bytes.Clone(data[:24+16])
		b[24+8], b[24+9], b[24+10], b[24+11] = 0, 0, 0, 0x80
		code, _, errOut := decodeRun(t, nil, write("huge.pcap", b))
		assert.Equal(t, 1, code)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	})
}

func TestDecodeCaptureCollect(t *testing.T) {
	dir := t.TempDir()
	file, a, b := callCapture(t, dir)
	code, out, errOut := decodeRun(t, nil, "--timestamps", "--collect", "min=2,max=4,term=#,first=5s,inter=1s", file)
	require.Zero(t, code, errOut)
	evs := parseCaptureEvents(t, out)
	results := map[uint32]captureEvent{}
	for _, e := range evs {
		if e.Event == "digits.collected" {
			_, dup := results[e.SSRC]
			require.False(t, dup, "one collection per stream")
			results[e.SSRC] = e
		}
	}
	require.Len(t, results, 2)
	// Flow A: 1, 5, 9 and no terminator: the inter-digit timeout after the
	// 9 (released 1000+200 ms into the capture) ends it successfully.
	ra := results[a.ssrc]
	assert.Equal(t, "159", ra.Digits)
	assert.Equal(t, "success", ra.Status)
	assert.Equal(t, "", ra.Terminator)
	require.NotNil(t, ra.OffsetMS)
	assert.InDelta(t, 1200+1000, *ra.OffsetMS, 15)
	// Flow B: a terminator before two digits.
	rb := results[b.ssrc]
	assert.Equal(t, "", rb.Digits)
	assert.Equal(t, "failure", rb.Status)
	assert.Equal(t, "#", rb.Terminator)
	require.NotNil(t, rb.OffsetMS)
	// It ends as the key is known: within the 60 ms the duplicate window
	// holds an RFC 4733 key back plus the 50 ms of its first update.
	assert.InDelta(t, 650, *rb.OffsetMS, 120)
	assert.Equal(t, "collect-1", rb.CommandUID)
	// Collection results are merged in time order with the keys.
	var last int
	for _, e := range evs {
		if e.Event == "dtmf" {
			assert.GreaterOrEqual(t, *e.OffsetMS, last)
			last = *e.OffsetMS
		}
	}

	t.Run("truncated", func(t *testing.T) {
		// Cut after flow A's 5: its collection, still waiting for digits,
		// ends with status unknown at the cut; flow B's # came before.
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		cut := filepath.Join(dir, "cut.pcap")
		require.NoError(t, os.WriteFile(cut, data[:len(data)/2+5], 0o644))
		code, out, errOut := decodeRun(t, nil, "--collect", "min=2,max=4,term=#,first=5s,inter=1s", cut)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "truncated")
		got := map[uint32]string{}
		for _, e := range parseCaptureEvents(t, out) {
			if e.Event == "digits.collected" {
				got[e.SSRC] = e.Digits + " " + e.Status
			}
		}
		assert.Equal(t, map[uint32]string{a.ssrc: "15 unknown", b.ssrc: " failure"}, got)
	})
	t.Run("collect-at past the end", func(t *testing.T) {
		code, out, errOut := decodeRun(t, nil, "--collect", "min=1", "--collect-at", "10s", file)
		assert.Equal(t, 1, code)
		assert.Len(t, parseCaptureEvents(t, out), 4, "the keys are still printed")
		assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
		assert.Contains(t, errOut, "--collect-at 10s is past the end of the stream")
	})
	t.Run("collect-at", func(t *testing.T) {
		// From 550 ms into flow A: the 1 and the 5 are before it.
		code, out, errOut := decodeRun(t, nil, "--collect", "min=1,max=1", "--collect-at", "550ms", file)
		require.Zero(t, code, errOut)
		var got []string
		for _, e := range parseCaptureEvents(t, out) {
			if e.Event == "digits.collected" && e.SSRC == a.ssrc {
				got = append(got, e.Digits)
			}
		}
		assert.Equal(t, []string{"9"}, got)
	})
}

func TestDecodeCaptureFlags(t *testing.T) {
	file, _, _ := callCapture(t, t.TempDir())
	for _, tc := range []struct{ pt, msg string }{
		{"96", `"96": want N=ENCODING[/RATE[/CHANNELS]]`},
		{"128=PCMU", `payload type "128": want 0 to 127`},
		{"96=G729", `encoding "G729": want PCMU, PCMA, L16, telephone-event or CN`},
		{"96=L16", `L16 needs its clock rate`},
		{"96=L16/999", `clock rate "999": want 1000 to 192000 Hz`},
		{"96=PCMU/8000/2", `channels "2": want 1, or 2 for L16`},
		{"96=L16/8000/2/1", `want N=ENCODING[/RATE[/CHANNELS]]`},
	} {
		t.Run(tc.pt, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, "--pt", tc.pt, file)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.msg)
		})
	}
	var f payloadTypeFlag
	require.NoError(t, f.Set("96=l16/16000/2"))
	require.NoError(t, f.Set("101=telephone-event"))
	assert.Equal(t, "96=L16/16000/2 101=telephone-event", f.String())

	code, help, _ := decodeRun(t, nil, "-h")
	require.Zero(t, code)
	assert.Contains(t, help, "Packet captures.")
	assert.Contains(t, help, "-pt type")

	// The detector flags apply to captures: a 80 ms minimum drops the
	// 80 ms key (minus what the detector measures short).
	code, out, errOut := decodeRun(t, nil, "--min-tone", "100ms", file)
	require.Zero(t, code, errOut)
	assert.NotContains(t, byStream(parseCaptureEvents(t, out))[0xa1a1a1a1], "1")
}

// TestDecodeCaptureWebhook: with --webhook the capture's events reach the
// endpoint with the contract's fields and offset_ms only, in time order.
func TestDecodeCaptureWebhook(t *testing.T) {
	file, _, _ := callCapture(t, t.TempDir())
	h := newHookServer(t, func(int) int { return http.StatusNoContent })
	code, out, errOut := decodeRun(t, nil, "--timestamps", "--webhook", h.URL, file)
	assert.Zero(t, code)
	assert.Empty(t, out)
	assert.Equal(t, "dtmf decode: webhook: 4 events: 4 delivered, 0 dropped\n", errOut)
	var digits string
	for _, b := range h.received() {
		e := parseEvent(t, b)
		digits += e.Digit
		assert.NotContains(t, b, "ssrc")
		assert.Contains(t, b, "offset_ms")
	}
	assert.Equal(t, "15#9", digits)
}

// TestDecodeCaptureFromFile: the file entry point reads the capture from
// the file's start and gives what decode prints for it.
func TestDecodeCaptureFromFile(t *testing.T) {
	file, _, _ := callCapture(t, t.TempDir())
	_, want, _ := decodeRun(t, nil, file)
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	opt, _, code := parseDecodeFlags([]string{file}, io.Discard, io.Discard)
	require.Equal(t, -1, code)
	require.NoError(t, decodeCaptureFile(f, opt, "call", w))
	require.NoError(t, w.Flush())
	assert.Equal(t, want, b.String())
}
