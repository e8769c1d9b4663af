package tone_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/tone"
)

// TestAppendKeyIsDetected: every key, at 8 and 48 kHz, is found by the
// detector with its digit and length; the level is the one asked for.
func TestAppendKeyIsDetected(t *testing.T) {
	for _, rate := range []int{8000, 16000, 48000} {
		cfg := detector.DefaultConfig()
		cfg.SampleRate = rate
		for i := range len(detector.Keys) {
			k := detector.Keys[i]
			pcm := tone.AppendSilence(nil, rate, 50*time.Millisecond)
			pcm, err := tone.AppendKey(pcm, rate, k, 80*time.Millisecond, -20)
			require.NoError(t, err)
			pcm = tone.AppendSilence(pcm, rate, 100*time.Millisecond)
			d, err := detector.New(cfg)
			require.NoError(t, err)
			evs := d.Flush(d.Process(nil, pcm))
			require.Len(t, evs, 2, "rate %d key %c", rate, k)
			assert.Equal(t, k, evs[1].Digit)
			assert.InDelta(t, 80, evs[1].DurationMS, 2)
			assert.InDelta(t, -20, evs[0].LowLevel, 0.5)
			assert.InDelta(t, -20, evs[0].HighLevel, 0.5)
		}
	}
}

// TestAppendKeyJoins: a tone appended in pieces is the tone appended at
// once (phase follows the absolute index).
func TestAppendKeyJoins(t *testing.T) {
	whole, err := tone.AppendKey(nil, 8000, '#', 60*time.Millisecond, -10)
	require.NoError(t, err)
	var parts []int16
	for range 3 {
		parts, err = tone.AppendKey(parts, 8000, '#', 20*time.Millisecond, -10)
		require.NoError(t, err)
	}
	assert.Equal(t, whole, parts)
	assert.Len(t, whole, 480)
}

func TestAppendKeyErrors(t *testing.T) {
	dst := []int16{1, 2}
	for name, call := range map[string]func() ([]int16, error){
		"digit":    func() ([]int16, error) { return tone.AppendKey(dst, 8000, 'E', time.Second, -10) },
		"rate":     func() ([]int16, error) { return tone.AppendKey(dst, 4000, '1', time.Second, -10) },
		"duration": func() ([]int16, error) { return tone.AppendKey(dst, 8000, '1', -time.Second, -10) },
		"level":    func() ([]int16, error) { return tone.AppendKey(dst, 8000, '1', time.Second, 4) },
		"nan":      func() ([]int16, error) { return tone.AppendKey(dst, 8000, '1', time.Second, math.NaN()) },
	} {
		got, err := call()
		assert.ErrorIs(t, err, tone.ErrInvalid, name)
		assert.Equal(t, dst, got, "%s: dst unchanged", name)
	}
	// Full scale: +3 dBm0 per tone peaks at 16-bit full scale, clipped, never wrapped.
	pcm, err := tone.AppendKey(nil, 8000, '1', time.Second, tone.MaxLevel)
	require.NoError(t, err)
	peak := 0
	for _, v := range pcm {
		peak = max(peak, int(v), -int(v))
	}
	assert.Greater(t, peak, 30000)
}

// TestG711 round-trips through the detector: µ-law and A-law payloads of a
// key are decoded to the key.
func TestG711(t *testing.T) {
	pcm, err := tone.AppendKey(tone.AppendSilence(nil, 8000, 40*time.Millisecond), 8000, '9', 70*time.Millisecond, -10)
	require.NoError(t, err)
	pcm = tone.AppendSilence(pcm, 8000, 100*time.Millisecond)
	for name, process := range map[string]func(d *detector.Detector) []detector.Event{
		"ulaw": func(d *detector.Detector) []detector.Event { return d.ProcessULaw(nil, tone.AppendULaw(nil, pcm)) },
		"alaw": func(d *detector.Detector) []detector.Event { return d.ProcessALaw(nil, tone.AppendALaw(nil, pcm)) },
	} {
		d, err := detector.New(detector.DefaultConfig())
		require.NoError(t, err)
		evs := d.Flush(process(d))
		require.Len(t, evs, 2, name)
		assert.Equal(t, byte('9'), evs[1].Digit, name)
	}
	assert.Len(t, tone.AppendULaw([]byte{7}, pcm[:160]), 161)
}
