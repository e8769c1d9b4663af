package rtpdtmf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// multimonDigits runs multimon-ng's DTMF demodulator on 8 kHz audio (sox
// resamples it to the 22050 Hz multimon-ng wants) and returns the digits.
func multimonDigits(t *testing.T, pcm []int16) string {
	t.Helper()
	sox := testenv.Tool(t, "sox")
	mm := testenv.Tool(t, "multimon-ng")
	wav := filepath.Join(t.TempDir(), "out.wav")
	f, err := os.Create(wav)
	require.NoError(t, err)
	require.NoError(t, wavfile.Write(f, wavfile.PCM16, 8000, 1, pcm))
	require.NoError(t, f.Close())
	raw, err := exec.Command(sox, "-V1", wav, "-t", "raw", "-r", "22050", "-c", "1", "-e", "signed", "-b", "16", "-L", "-").Output()
	require.NoError(t, err)
	cmd := exec.Command(mm, "-q", "-c", "-a", "DTMF", "-t", "raw", "-")
	cmd.Stdin = strings.NewReader(string(raw))
	out, err := cmd.Output()
	require.NoError(t, err)
	var digits strings.Builder
	for _, line := range strings.Split(string(out), "\n") {
		if d, ok := strings.CutPrefix(line, "DTMF: "); ok {
			digits.WriteString(strings.TrimSpace(d))
		}
	}
	return digits.String()
}

// outputAudio returns the PCMU audio of a gateway's output.
func outputAudio(out []rtp.Packet) []int16 {
	var pcm []int16
	for _, p := range out {
		if p.PayloadType == 0 {
			for _, c := range p.Payload {
				pcm = append(pcm, g711.ULawToLinear(c))
			}
		}
	}
	return pcm
}

// TestGatewayOutputPeers: multimon-ng and spandsp, independent detectors, find
// the keys in what the pass-through forwards (so this test can fail) and
// none in what a suppressing gateway forwards.
func TestGatewayOutputPeers(t *testing.T) {
	pcm, truth := signal(t, 8000, 66, gatewayPresses...)
	var want strings.Builder
	for _, p := range truth {
		want.WriteByte(p.Digit)
	}
	in := marshal(t, newStream(PCMU).packets(pcm))
	passed := runGateway(t, newGateway(t, nil), in)
	assert.Equal(t, want.String(), multimonDigits(t, outputAudio(passed)), "pass-through keeps the tones")

	muted := runGateway(t, newGateway(t, func(c *GatewayConfig) {
		c.NewSuppressor = func(dc detector.Config) (Suppressor, error) { return newMuter(dc, 480) }
	}), in)
	assert.Empty(t, multimonDigits(t, outputAudio(muted)), "no key left for multimon-ng")

	// spandsp's dtmf_rx through the shared peer wrapper (not a Debian
	// package: /work/shared/peers, or DTMF_PEERS), when it is there.
	peers := os.Getenv("DTMF_PEERS")
	if peers == "" {
		peers = "/work/shared/peers"
	}
	wrapper := filepath.Join(peers, "spandsp-dtmf-wav")
	if _, err := os.Stat(wrapper); err != nil {
		t.Logf("spandsp peer %s not found: its half of the check not run", wrapper)
		return
	}
	assert.Equal(t, want.String(), spandspDigits(t, wrapper, outputAudio(passed)), "spandsp finds the keys the pass-through keeps")
	assert.Empty(t, spandspDigits(t, wrapper, outputAudio(muted)), "no key left for spandsp")
}

// spandspDigits runs the peer wrapper (one JSON object per key) on 8 kHz
// audio and returns the digits.
func spandspDigits(t *testing.T, wrapper string, pcm []int16) string {
	t.Helper()
	wav := filepath.Join(t.TempDir(), "out.wav")
	f, err := os.Create(wav)
	require.NoError(t, err)
	require.NoError(t, wavfile.Write(f, wavfile.PCM16, 8000, 1, pcm))
	require.NoError(t, f.Close())
	out, err := exec.Command(wrapper, wav).Output()
	require.NoError(t, err)
	var digits strings.Builder
	for _, line := range strings.Split(string(out), "\n") {
		if _, rest, ok := strings.Cut(line, `"digit":"`); ok && rest != "" {
			digits.WriteByte(rest[0])
		}
	}
	return digits.String()
}
