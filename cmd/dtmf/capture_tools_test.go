package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/peers"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// The command line against other software: GStreamer sends a DTMF WAV as
// PCMU RTP to 127.0.0.1, tcpdump captures it from the loopback interface,
// and "dtmf decode" must find the WAV's keys in the capture; "dtmf
// gateway" turns them into telephone-events that Wireshark's RTP-event
// dissector reads back as the keys sent, and leaves none in the audio for
// this detector, spandsp and multimon-ng. (internal/capture's
// tools_test.go does the same for the library, over more encodings and
// capture tools.)

func firstLine(name string, args ...string) string {
	out, _ := exec.Command(name, args...).Output()
	l, _, _ := strings.Cut(string(out), "\n")
	return l
}

// tshark runs tshark on a capture whose RTP goes to port, with
// telephone-events at payload type 101, and returns its field lines.
func tshark(t *testing.T, file string, port int, filter string, fields ...string) [][]string {
	t.Helper()
	bin := testenv.Tool(t, "tshark")
	args := []string{"-n", "-r", file, "-d", fmt.Sprintf("udp.port==%d,rtp", port), "-o", "rtpevent.event_payload_type_value:101",
		"-Y", filter, "-T", "fields", "-E", "separator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(bin, args...).Output()
	require.NoError(t, err, "tshark %s: %s", strings.Join(args, " "), testutil.ExitStderr(err))
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			rows = append(rows, strings.Split(l, ","))
		}
	}
	return rows
}

// tsharkAudio returns the PCMU audio of a capture as tshark reads it.
func tsharkAudio(t *testing.T, file string, port int) []int16 {
	t.Helper()
	var pcm []int16
	for _, row := range tshark(t, file, port, "rtp.p_type == 0", "rtp.payload") {
		b, err := hex.DecodeString(strings.ReplaceAll(row[0], ":", ""))
		require.NoError(t, err)
		for _, c := range b {
			pcm = append(pcm, g711.ULawToLinear(c))
		}
	}
	return pcm
}

func TestCaptureCommandsAgainstTools(t *testing.T) {
	gst := testenv.Tool(t, "gst-launch-1.0")
	testenv.Tool(t, "tcpdump")
	testenv.Tool(t, "tshark")
	t.Logf("%s; %s; %s", firstLine(gst, "--version"), firstLine("tcpdump", "--version"), firstLine("tshark", "--version"))
	dir := t.TempDir()

	// The WAV: keys of 45 to 350 ms, 90 ms apart, 300 ms in.
	const keys = "159#*0D"
	lengths := []float64{45, 80, 120, 200, 350, 60, 100}
	s := synth.New(8000, 12)
	s.Silence(300)
	for i := range len(keys) {
		require.NoError(t, s.Add(synth.Tone{Digit: keys[i], Duration: lengths[i], LowLevel: -10, HighLevel: -10, RandomPhase: true}))
		s.Silence(90)
	}
	s.Silence(300)
	truth := s.Presses
	wav := filepath.Join(dir, "keys.wav")
	f, err := os.Create(wav)
	require.NoError(t, err)
	require.NoError(t, wavfile.Write(f, wavfile.PCM16, 8000, 1, s.PCM()))
	require.NoError(t, f.Close())

	// GStreamer paces the packets in real time (sync=true): sent in one
	// burst, the capture would drop most of them.
	port := testutil.UDPSink(t)
	in := filepath.Join(dir, "in.pcap")
	stop := testenv.StartCapture(t, "listening on", testenv.Tool(t, "tcpdump"), "-i", "lo", "-U", "--immediate-mode", "-n", "-Z", "root", "-w", in, fmt.Sprintf("udp port %d", port))
	pipeline := fmt.Sprintf("filesrc location=%s ! wavparse ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! "+
		"mulawenc ! rtppcmupay min-ptime=20000000 max-ptime=20000000 ! udpsink host=127.0.0.1 port=%d sync=true", wav, port)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, gst, append([]string{"-q"}, strings.Fields(pipeline)...)...).CombinedOutput()
	stop()
	require.NoError(t, err, "gst-launch-1.0 %s\n%s", pipeline, out)

	var ssrc uint32
	t.Run("decode", func(t *testing.T) {
		code, stdout, errOut := decodeRun(t, nil, "--timestamps", in)
		require.Zero(t, code, errOut)
		evs := parseCaptureEvents(t, stdout)
		var got strings.Builder
		for _, e := range evs {
			got.WriteString(e.Digit)
		}
		require.Equal(t, keys, got.String())
		ssrc = evs[0].SSRC
		for i, e := range evs {
			want := float64(truth[i].End-truth[i].Start) / 8
			assert.InDelta(t, want, e.DurationMS, 10, "key %d %s", i, e.Digit)
			assert.Equal(t, "inband", e.Source)
			assert.Equal(t, ssrc, e.SSRC)
			assert.Equal(t, fmt.Sprintf("127.0.0.1:%d", port), e.Dst)
			// The capture starts with the stream's first packet (the
			// WAV's first 20 ms): offsets are the WAV's, within the
			// network's jitter on the first packet.
			assert.InDelta(t, float64(truth[i].Start)/8, *e.OffsetMS, 25, "key %d offset", i)
		}
	})

	gateway := func(t *testing.T, name string, args ...string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		code, summary, errOut := gatewayRunCmd(t, append(args, in, file)...)
		require.Zero(t, code, errOut)
		assert.Contains(t, summary, fmt.Sprintf(`keys %q out as telephone-event 101`, keys))
		return file
	}
	gw := gateway(t, "gw.pcap")

	t.Run("gateway read by tshark", func(t *testing.T) {
		rows := tshark(t, gw, port, "rtpevent", "rtp.marker", "rtp.timestamp", "rtpevent.event_id", "rtpevent.end_of_event", "rtpevent.duration", "rtp.ssrc", "rtp.p_type")
		type event struct {
			ts      int
			packets [][]string
		}
		// An event's last repeats may follow the next event's first
		// packets: events are told apart by timestamp.
		var events []*event
		byTS := map[int]*event{}
		for _, r := range rows {
			require.Len(t, r, 7)
			ts := int(testutil.TsharkUint(t, r[1]))
			e := byTS[ts]
			if e == nil {
				e = &event{ts: ts}
				byTS[ts] = e
				events = append(events, e)
			}
			e.packets = append(e.packets, r)
		}
		require.Len(t, events, len(keys), "one telephone-event per key, by timestamp")
		for i, e := range events {
			code, ok := rfc4733.Code(keys[i])
			require.True(t, ok)
			ends, final := 0, 0
			for j, p := range e.packets {
				assert.Equal(t, int(code), int(testutil.TsharkUint(t, p[2])), "key %d: event code", i)
				assert.Equal(t, j == 0, testutil.TsharkBool(t, p[0]), "key %d packet %d: Marker on the first packet only", i, j)
				assert.Equal(t, int(ssrc), int(testutil.TsharkUint(t, p[5])), "key %d: the stream's SSRC", i)
				assert.Equal(t, "101", p[6])
				d := int(testutil.TsharkUint(t, p[4]))
				if j > 0 {
					assert.GreaterOrEqual(t, d, int(testutil.TsharkUint(t, e.packets[j-1][4])), "key %d: durations never shrink", i)
				}
				if testutil.TsharkBool(t, p[3]) {
					ends++
					final = d
				} else {
					assert.Zero(t, ends, "key %d: nothing after the end but its repeats", i)
				}
			}
			assert.Equal(t, 3, ends, "key %d: the final packet three times", i)
			want := float64(truth[i].End-truth[i].Start) / 8
			assert.InDelta(t, want, float64(final)/8, 10, "key %d %c: duration", i, keys[i])
		}
		// Timestamps: the tones' starts, 8 units a ms apart as in the WAV.
		for i := 1; i < len(events); i++ {
			want := float64(truth[i].Start - truth[0].Start)
			assert.InDelta(t, want, float64(uint32(events[i].ts-events[0].ts)), 80, "key %d: timestamp", i)
		}
	})

	t.Run("gateway audio", func(t *testing.T) {
		kept := tsharkAudio(t, gateway(t, "kept.pcap", "--keep-tones"), port)
		suppressed := tsharkAudio(t, gw, port)
		require.InDelta(t, len(s.PCM()), len(suppressed), 160, "the audio is forwarded")
		assert.Equal(t, keys, keysIn(t, kept), "this detector finds the keys --keep-tones leaves")
		assert.Empty(t, keysIn(t, suppressed), "no key left for this detector")
		assert.Equal(t, keys, peers.Digits(peers.Spandsp(t, kept, 8000)), "spandsp finds the keys --keep-tones leaves")
		assert.Empty(t, peers.Spandsp(t, suppressed, 8000), "no key left for spandsp")
		assert.Equal(t, keys, peers.Digits(peers.Multimon(t, kept, 8000)), "multimon-ng finds the keys --keep-tones leaves")
		assert.Empty(t, peers.Multimon(t, suppressed, 8000), "no key left for multimon-ng")
	})
}
