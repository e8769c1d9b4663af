package bench

import (
	"testing"

	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpeed(t *testing.T) {
	s := siggen.DefaultSpec()
	s.Digits = "1234567890*#ABCD#"
	sig, err := s.Build()
	require.NoError(t, err)
	for _, pipeline := range []bool{false, true} {
		res, err := Speed(sig.PCM, SpeedOptions{Repeat: 3, Frame: 237, Pipeline: pipeline})
		require.NoError(t, err)
		assert.Equal(t, 17, res.Digits)
		assert.Equal(t, len(sig.PCM), res.Samples)
		assert.Equal(t, 3, res.Repeat)
		assert.Equal(t, 237, res.Frame)
		assert.Equal(t, 8000, res.SampleRate)
		assert.Positive(t, res.NsPerSample)
		assert.LessOrEqual(t, res.BestNsPerSample, res.NsPerSample*1.0001)
		assert.InDelta(t, 1e9/(res.NsPerSample*8000), res.ChannelsPerCore, 1e-6*res.ChannelsPerCore)
		assert.Positive(t, res.DetectorBytes)
		if pipeline {
			assert.Equal(t, "dtmf pipeline", res.Bench)
			assert.Positive(t, res.CollectorBytes)
			// Each "#" ends a collection (terminator), and the hang-up at
			// the end of each pass the third.
			assert.Equal(t, 3, res.Collections)
		} else {
			assert.Equal(t, "dtmf detector", res.Bench)
			assert.Zero(t, res.Allocations, "the detector allocates nothing while timed")
		}
	}
}

func TestSpeedErrors(t *testing.T) {
	pcm := make([]int16, 800)
	for _, o := range []SpeedOptions{{Repeat: -1}, {Frame: -5}} {
		_, err := Speed(pcm, o)
		assert.ErrorIs(t, err, ErrOptions, "%+v", o)
	}
	_, err := Speed(nil, SpeedOptions{})
	assert.ErrorIs(t, err, ErrOptions)
	_, err = Speed(pcm, SpeedOptions{SampleRate: 1000})
	assert.Error(t, err)
}
