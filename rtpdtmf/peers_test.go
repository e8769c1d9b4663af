package rtpdtmf

import (
	"strings"
	"testing"

	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/peers"
)

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
// none in what the gateway forwards with its default suppressor, nor does
// this detector.
func TestGatewayOutputPeers(t *testing.T) {
	pcm, truth := signal(t, 8000, 66, gatewayPresses...)
	var want strings.Builder
	for _, p := range truth {
		want.WriteByte(p.Digit)
	}
	in := marshal(t, newStream(PCMU).packets(pcm))
	passed := outputAudio(runGateway(t, newGateway(t, func(c *GatewayConfig) { c.KeepTones = true }), in))
	suppressed := outputAudio(runGateway(t, newGateway(t, nil), in))
	assert.Equal(t, want.String(), peers.Digits(peers.Multimon(t, passed, 8000)), "multimon-ng finds the keys the pass-through keeps")
	assert.Equal(t, want.String(), peers.Digits(peers.Spandsp(t, passed, 8000)), "spandsp finds the keys the pass-through keeps")
	assert.Empty(t, peers.Multimon(t, suppressed, 8000), "no key left for multimon-ng")
	assert.Empty(t, peers.Spandsp(t, suppressed, 8000), "no key left for spandsp")
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	assert.Empty(t, d.Flush(d.Process(nil, suppressed)), "no key left for this detector")
}
