package detector_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// Every profile is a valid config that finds a clean key; the names round
// trip; the balanced profile is the default; an unknown name is an error.
func TestProfiles(t *testing.T) {
	assert.Equal(t, detector.DefaultConfig(), detector.Balanced.Config())
	for _, p := range []detector.Profile{detector.Balanced, detector.TalkOff, detector.Sensitive} {
		cfg := p.Config()
		require.NoError(t, cfg.Validate(), p.String())
		got, err := detector.ParseProfile(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, got)
		pcm := single(1, 8000, tone('8', 60, -20, -21)).PCM()
		assert.Equal(t, "8", digits(decodeAll(t, cfg, pcm)), p.String())
	}
	p, err := detector.ParseProfile(" Default ")
	require.NoError(t, err)
	assert.Equal(t, detector.Balanced, p)
	_, err = detector.ParseProfile("loud")
	assert.ErrorIs(t, err, detector.ErrConfig)
	// The talk-off profile is stricter on every talk-off guard than the
	// default, the sensitive one looser.
	d, to, se := detector.DefaultConfig(), detector.TalkOff.Config(), detector.Sensitive.Config()
	assert.Greater(t, to.MinEnergyShare, d.MinEnergyShare)
	assert.Less(t, to.MaxResidual, d.MaxResidual)
	assert.Less(t, to.MaxThirdTone, d.MaxThirdTone)
	assert.Less(t, to.MaxPriorTone, d.MaxPriorTone)
	assert.Less(t, se.MinEnergyShare, d.MinEnergyShare)
	assert.Greater(t, se.MaxResidual, d.MaxResidual)
	assert.Greater(t, se.MaxThirdTone, d.MaxThirdTone)
	assert.Greater(t, se.MaxPriorTone, d.MaxPriorTone)
}
