package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// captureSeeds are the seeds of FuzzDecodeCapture, also written to
// testdata/fuzz/FuzzDecodeCapture by TestCaptureFuzzSeeds -update: small
// captures of the kinds decode handles (in-band keys, telephone-events,
// SDP, L16, pcapng, gzip) and broken ones.
func captureSeeds(t testing.TB) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	pcm, _ := keysPCM(t, 1, 200, byte('7'), 40.0, 100.0)
	a := &rtpFlow{src: addrA, dst: addrB, ssrc: 1, seq: 65534, ts: 4294967000}
	b := &rtpFlow{src: addrB, dst: addrA, ssrc: 2, seq: 9, ts: 9}
	media := netip.MustParseAddrPort("10.0.0.2:5000")
	invite := record{src: netip.MustParseAddrPort("10.0.0.1:5060"), dst: netip.MustParseAddrPort("10.0.0.2:5060"),
		payload: sipInvite(media, "0 96 101", "96 L16/8000", "101 telephone-event/8000")}
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		return data
	}
	call := read(writeCapture(t, dir, "call.pcap", a.audio(t, 0, "ulaw", pcm), b.keyEvent(t, 101, '#', 160, 480)))
	sdp := read(writeCapture(t, dir, "sdp.pcap", []record{invite}, (&rtpFlow{src: addrA, dst: media, ssrc: 3}).audio(t, 96, "l16", pcm[:800])))
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write(call)
	_ = zw.Close()
	return map[string][]byte{
		"call":      call,
		"sdp":       sdp,
		"pcapng":    toPcapng(t, call),
		"gzip":      z.Bytes(),
		"truncated": call[:len(call)/2],
		"header":    call[:24],
	}
}

// TestCaptureFuzzSeeds checks the committed seeds are those captureSeeds
// makes, and rewrites them with -update.
func TestCaptureFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecodeCapture")
	for name, data := range captureSeeds(t) {
		p := filepath.Join(dir, name)
		file := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if *update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(p, []byte(file), 0o644))
			continue
		}
		got, err := os.ReadFile(p)
		require.NoError(t, err, "run go test ./cmd/dtmf -run TestCaptureFuzzSeeds -update")
		require.Equal(t, file, string(got), "%s is stale: run go test ./cmd/dtmf -run TestCaptureFuzzSeeds -update", p)
	}
}

// FuzzDecodeCapture decodes arbitrary bytes, mostly mutated captures, with
// dtmf decode and runs dtmf gateway on them. Properties: no panic; decode
// exits 0 with nothing on stderr or 1 with exactly one line naming the
// file; its output lines are schema-valid events, with the stream fields
// when the input is a capture; gateway exits 0 or 1 with at most one
// line, and what it writes is a capture that reads back to its end.
func FuzzDecodeCapture(f *testing.F) {
	for _, data := range captureSeeds(f) {
		f.Add(data)
	}
	dir := f.TempDir()
	p, out := filepath.Join(dir, "fuzz.pcap"), filepath.Join(dir, "out.pcap")
	f.Fuzz(func(t *testing.T, data []byte) {
		require.NoError(t, os.WriteFile(p, data, 0o644))
		var stdout, stderr bytes.Buffer
		code := run([]string{"decode", "--timestamps", "--collect", "min=1,first=1s,inter=500ms", p}, strings.NewReader(""), &stdout, &stderr)
		switch code {
		case 0:
			require.Empty(t, stderr.String())
		case 1:
			require.Equal(t, 1, strings.Count(stderr.String(), "\n"), "%q", stderr.String())
			require.True(t, strings.HasPrefix(stderr.String(), "dtmf decode: "+p+": "), "%q", stderr.String())
		default:
			t.Fatalf("decode exit code %d: %s", code, stderr.String())
		}
		if isCapture(data) {
			parseCaptureEvents(t, stdout.String())
		} else {
			parseLines(t, stdout.String())
		}

		stdout.Reset()
		stderr.Reset()
		code = run([]string{"gateway", p, out}, strings.NewReader(""), &stdout, &stderr)
		switch code {
		case 0:
			require.Empty(t, stderr.String())
		case 1:
			require.Equal(t, 1, strings.Count(stderr.String(), "\n"), "%q", stderr.String())
		default:
			t.Fatalf("gateway exit code %d: %s", code, stderr.String())
		}
		if _, err := os.Stat(out); err == nil {
			_, err := readRecords(t, out)
			require.NoError(t, err, "the gateway writes whole captures")
			require.NoError(t, os.Remove(out))
		}
	})
}
