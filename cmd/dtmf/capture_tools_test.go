package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/peers"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
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

// udpSink listens on a free UDP port of 127.0.0.1 and drains it, so that
// the sender gets no ICMP errors; it returns the port.
func udpSink(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 65536)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// tcpdumpLo starts tcpdump on lo for one UDP port and waits until it
// captures. Capturing needs root or CAP_NET_RAW: refused permission, the
// test skips as for a missing tool (fails under DTMF_REQUIRE_TOOLS=1). It
// returns a function that stops it.
func tcpdumpLo(t *testing.T, file string, port int) func() {
	t.Helper()
	tcpdump := testenv.Tool(t, "tcpdump")
	cmd := exec.Command(tcpdump, "-i", "lo", "-U", "--immediate-mode", "-n", "-Z", "root", "-w", file, fmt.Sprintf("udp port %d", port))
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(20 * time.Second)
	var said []string
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				msg := "tcpdump exited before capturing: " + strings.Join(said, "; ")
				if strings.Contains(msg, "ermission") || strings.Contains(msg, "not permitted") {
					if testenv.Required() {
						t.Fatalf("%s (%s=1)", msg, testenv.RequireEnv)
					}
					t.Skip(msg)
				}
				t.Fatal(msg)
			}
			said = append(said, l)
			if strings.Contains(l, "listening on") {
				go func() {
					for range lines {
					}
				}()
				return func() {
					time.Sleep(300 * time.Millisecond) // the last packets through lo
					require.NoError(t, cmd.Process.Signal(os.Interrupt))
					_ = cmd.Wait()
				}
			}
		case <-timeout:
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatal("tcpdump did not start capturing")
		}
	}
}

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
	require.NoError(t, err, "tshark %s: %s", strings.Join(args, " "), exitStderr(err))
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			rows = append(rows, strings.Split(l, ","))
		}
	}
	return rows
}

func exitStderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	v, err := strconv.ParseInt(s, 0, 64)
	require.NoError(t, err, s)
	return int(v)
}

func boolField(t *testing.T, s string) bool {
	t.Helper()
	switch s {
	case "1", "True":
		return true
	case "0", "False":
		return false
	}
	t.Fatalf("not a boolean field: %q", s)
	return false
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
	port := udpSink(t)
	in := filepath.Join(dir, "in.pcap")
	stop := tcpdumpLo(t, in, port)
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
			ts := atoi(t, r[1])
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
				assert.Equal(t, int(code), atoi(t, p[2]), "key %d: event code", i)
				assert.Equal(t, j == 0, boolField(t, p[0]), "key %d packet %d: Marker on the first packet only", i, j)
				assert.Equal(t, int(ssrc), atoi(t, p[5]), "key %d: the stream's SSRC", i)
				assert.Equal(t, "101", p[6])
				d := atoi(t, p[4])
				if j > 0 {
					assert.GreaterOrEqual(t, d, atoi(t, e.packets[j-1][4]), "key %d: durations never shrink", i)
				}
				if boolField(t, p[3]) {
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
