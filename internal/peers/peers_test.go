package peers_test

import (
	"testing"

	"github.com/dtmfkit/dtmf/internal/peers"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The peers find every key of a clean test signal, and nothing in silence
// or in the same signal with the tones removed: they can tell.
func TestPeersFindKeys(t *testing.T) {
	for _, rate := range []int{8000, 16000, 48000} {
		s := siggen.DefaultSpec()
		s.SampleRate = rate
		sig, err := s.Build()
		require.NoError(t, err)
		assert.Equal(t, s.Digits, peers.Digits(peers.Spandsp(t, sig.PCM, rate)), "spandsp at %d Hz", rate)
		assert.Equal(t, s.Digits, peers.Digits(peers.Multimon(t, sig.PCM, rate)), "multimon-ng at %d Hz", rate)
		silent := make([]int16, rate)
		assert.Empty(t, peers.Spandsp(t, silent, rate))
		assert.Empty(t, peers.Multimon(t, silent, rate))
	}
}

func TestSpandspPositions(t *testing.T) {
	s := siggen.DefaultSpec()
	s.Digits = "5"
	sig, err := s.Build()
	require.NoError(t, err)
	p := peers.Spandsp(t, sig.PCM, 8000)
	require.Len(t, p, 1)
	// Reported after the tone started, within the frame of 160 samples
	// after its confirmation (two 102-sample blocks and a frame at most).
	start := int64(sig.Presses[0].Start)
	assert.Greater(t, p[0].At, start)
	assert.Less(t, p[0].At, start+2*102+2*160)
}
