package capture

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// Captures made by other software: GStreamer encodes and sends a DTMF WAV
// as RTP to 127.0.0.1, tcpdump or dumpcap captures it from the loopback
// interface, and Decode must find the keys that were in the WAV. GStreamer
// paces the packets in real time (sync=true): sent in one burst, tcpdump
// drops most of them.

// dtmfWAV writes keys (digit, ms) separated by pauses at 8 kHz, -10 dBm0
// per tone, and returns the file and the true presses.
func dtmfWAV(t *testing.T, dir string, keys string, lengths []float64) (string, []synth.Press) {
	t.Helper()
	s := synth.New(8000, 7)
	s.Silence(300)
	for i := range len(keys) {
		require.NoError(t, s.Add(synth.Tone{Digit: keys[i], Duration: lengths[i%len(lengths)], LowLevel: -10, HighLevel: -10, RandomPhase: true}))
		s.Silence(90)
	}
	s.Silence(300)
	path := filepath.Join(dir, "keys.wav")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, wavfile.Write(f, wavfile.PCM16, 8000, 1, s.PCM()))
	require.NoError(t, f.Close())
	return path, s.Presses
}

func gstSend(t *testing.T, pipeline string) {
	t.Helper()
	gst := testenv.Tool(t, "gst-launch-1.0")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, gst, append([]string{"-q"}, strings.Fields(pipeline)...)...).CombinedOutput()
	require.NoError(t, err, "gst-launch-1.0 %s\n%s", pipeline, out)
}

func toolVersion(t *testing.T, name string, args ...string) string {
	out, _ := exec.Command(name, args...).CombinedOutput()
	first, _, _ := strings.Cut(string(out), "\n")
	return first
}

func TestGStreamerCaptures(t *testing.T) {
	gst := testenv.Tool(t, "gst-launch-1.0")
	tcpdump := testenv.Tool(t, "tcpdump")
	dumpcap := testenv.Tool(t, "dumpcap")
	t.Logf("%s; %s; %s", toolVersion(t, gst, "--version"), toolVersion(t, tcpdump, "--version"), toolVersion(t, dumpcap, "--version"))
	const keys = "159#*0DA2"
	lengths := []float64{45, 80, 120, 200, 350}
	tests := []struct {
		name    string
		encode  string // GStreamer elements from 8 kHz S16 mono to RTP
		capture string // "tcpdump-lo", "tcpdump-any" (Linux cooked), "dumpcap" (pcapng)
		pt      []rtpdtmf.PayloadType
		lossy   bool
	}{
		{name: "PCMU-tcpdump-lo", encode: "mulawenc ! rtppcmupay min-ptime=20000000 max-ptime=20000000", capture: "tcpdump-lo"},
		{name: "PCMA-tcpdump-any-SLL2", encode: "alawenc ! rtppcmapay min-ptime=20000000 max-ptime=20000000", capture: "tcpdump-any"},
		{name: "L16-dumpcap-pcapng", encode: "audioconvert ! audio/x-raw,format=S16BE ! rtpL16pay min-ptime=20000000 max-ptime=20000000 pt=96", capture: "dumpcap",
			pt: []rtpdtmf.PayloadType{{Number: 96, Encoding: rtpdtmf.L16, ClockRate: 8000}}},
		// GStreamer drops 3 % of the packets at random (unseeded): keys of
		// 80 ms and more survive up to two consecutive losses (40 ms of
		// concealment), three in a row are improbable (3e-5 a packet).
		{name: "PCMU-3pc-loss", encode: "mulawenc ! rtppcmupay min-ptime=20000000 max-ptime=20000000 ! identity drop-probability=0.03",
			capture: "tcpdump-lo", lossy: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ls := lengths
			if tc.lossy {
				ls = lengths[1:]
			}
			wav, truth := dtmfWAV(t, dir, keys, ls)
			port := testutil.UDPSink(t)
			file := filepath.Join(dir, "capture")
			filter := fmt.Sprintf("udp port %d", port)
			var stop func()
			switch tc.capture {
			case "tcpdump-lo":
				stop = testenv.StartCapture(t, "listening on", tcpdump, "-i", "lo", "-U", "--immediate-mode", "-n", "-Z", "root", "-w", file, filter)
			case "tcpdump-any":
				stop = testenv.StartCapture(t, "listening on", tcpdump, "-i", "any", "-U", "--immediate-mode", "-n", "-Z", "root", "-w", file, filter)
			case "dumpcap":
				stop = testenv.StartCapture(t, "Capturing on", dumpcap, "-i", "lo", "-q", "-w", file, "-f", filter)
			}
			gstSend(t, fmt.Sprintf("filesrc location=%s ! wavparse ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! %s ! udpsink host=127.0.0.1 port=%d sync=true",
				wav, tc.encode, port))
			stop()

			data, err := os.ReadFile(file)
			require.NoError(t, err)
			cfg := DefaultConfig()
			cfg.PayloadTypes = tc.pt
			res, err := Decode(bytes.NewReader(data), cfg)
			require.NoError(t, err)
			wantFormat := PCAP
			switch tc.capture {
			case "dumpcap":
				wantFormat = PCAPNG
			case "tcpdump-any":
				link := binary.LittleEndian.Uint32(data[20:])
				assert.Contains(t, []uint32{113, 276}, link, "Linux cooked capture (SLL or SLL2)")
			}
			assert.Equal(t, wantFormat, res.Format)
			require.Len(t, res.Streams, 1)
			s := res.Streams[0]
			require.NoError(t, s.Err)
			ups := keyUpsOf(s)
			var got strings.Builder
			for _, u := range ups {
				got.WriteByte(u.Digit)
			}
			t.Logf("%s: %d packets, %d lost, %d concealed samples; keys %q", tc.name, s.Packets, s.Stats.Lost, s.Stats.ConcealedSamples, got.String())
			require.Equal(t, keys, got.String())
			for i, u := range ups {
				want := float64(truth[i].End-truth[i].Start) / 8
				tol := 3.0
				if tc.lossy {
					tol = 41 // losses at a key's edge move it by up to the 40 ms concealed
				}
				assert.InDelta(t, want, u.DurationMS, tol, "key %d %c", i, u.Digit)
				assert.Equal(t, rtpdtmf.InBand, u.Source)
			}
			// The first key starts 300 ms into the WAV; the stream's first
			// packet is its first 20 ms.
			first := ups[0].Offset - s.First.Sub(res.Start)
			assert.InDelta(t, 300*time.Millisecond, first, float64(25*time.Millisecond))
			if tc.lossy {
				assert.Positive(t, s.Stats.Lost, "identity dropped packets")
			}
		})
	}
}
