package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchCapture writes a call of seconds: two PCMU streams of 20 ms packets,
// the caller's with a 100 ms key every second. It returns the file and
// its RTP packet count.
func benchCapture(b *testing.B, seconds int) (string, int) {
	b.Helper()
	var keys []any
	digits := "0123456789*#ABCD"
	for i := range seconds {
		keys = append(keys, digits[i%len(digits)], float64(i*1000+300), 100.0)
	}
	pcm, _ := keysPCM(b, 1, float64(seconds*1000), keys...)
	a := &rtpFlow{src: addrA, dst: addrB, ssrc: 1}
	c := &rtpFlow{src: addrB, dst: addrA, ssrc: 2, start: 5 * time.Millisecond}
	recA := a.audio(b, 0, "ulaw", pcm)
	recB := c.audio(b, 0, "ulaw", make([]int16, len(pcm)))
	return writeCapture(b, b.TempDir(), "bench.pcap", recA, recB), len(recA) + len(recB)
}

// BenchmarkCaptureCommands times dtmf decode and dtmf gateway on a 60 s
// two-stream capture, file to file: ns/packet is the time per RTP packet
// of the capture (both directions), the whole command included.
func BenchmarkCaptureCommands(b *testing.B) {
	const seconds = 60
	for _, cmd := range []string{"decode", "gateway"} {
		b.Run("cmd="+cmd+"/seconds=60", func(b *testing.B) {
			file, packets := benchCapture(b, seconds)
			out := filepath.Join(b.TempDir(), "out.pcap")
			args := []string{cmd, file}
			if cmd == "gateway" {
				args = append(args, out)
			}
			var stdout bytes.Buffer
			require.Zero(b, run(args, strings.NewReader(""), &stdout, io.Discard))
			if cmd == "decode" {
				require.Equal(b, seconds, strings.Count(stdout.String(), "\n"), "every key found")
			}
			st, err := os.Stat(file)
			require.NoError(b, err)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				stdout.Reset()
				run(args, strings.NewReader(""), &stdout, io.Discard)
			}
			nsPerPacket := float64(b.Elapsed().Nanoseconds()) / float64(b.N*packets)
			b.ReportMetric(nsPerPacket, "ns/packet")
			b.ReportMetric(float64(seconds)*1e9/(float64(b.Elapsed().Nanoseconds())/float64(b.N)), "x-realtime")
		})
	}
}
