package talkoff

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sine(n int, hz, peak float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(math.Round(peak * math.Sin(2*math.Pi*hz*float64(i)/8000)))
	}
	return out
}

func TestActiveLevel(t *testing.T) {
	ref := 0.6997 * 32768
	lvl, act := ActiveLevel(sine(8000, 1000, ref))
	assert.InDelta(t, 0, lvl, 0.01, "0 dBm0 sine")
	assert.InDelta(t, 1, act, 1e-9)

	// Half silence: the pauses are not active, the level is the sound's.
	x := append(sine(8000, 440, ref*math.Pow(10, -15.0/20)), make([]int16, 8000)...)
	lvl, act = ActiveLevel(x)
	assert.InDelta(t, -15, lvl, 0.01)
	assert.InDelta(t, 0.5, act, 0.01)

	lvl, act = ActiveLevel(make([]int16, 800))
	assert.True(t, math.IsInf(lvl, -1))
	assert.Zero(t, act)
	lvl, _ = ActiveLevel(make([]int16, 10))
	assert.True(t, math.IsInf(lvl, -1), "shorter than a frame")
}

func TestScale(t *testing.T) {
	x := []int16{1000, -1000, 20000, -20000}
	clipped := Scale(x, 20*math.Log10(2))
	assert.Equal(t, []int16{2000, -2000, 32767, -32768}, x)
	assert.Equal(t, 2, clipped)

	y := sine(8000, 300, 10000)
	before, _ := ActiveLevel(y)
	Scale(y, -10)
	after, _ := ActiveLevel(y)
	assert.InDelta(t, -10, after-before, 0.01)
}

func TestEstimatePitch(t *testing.T) {
	// A harmonic tone like voiced speech: f0 185 Hz with 8 harmonics.
	const f0 = 185
	x := make([]int16, 16000)
	for i := range x {
		var v float64
		for k := 1; k <= 8; k++ {
			v += math.Sin(2*math.Pi*f0*float64(k*i)/8000) / float64(k)
		}
		x[i] = int16(3000 * v)
	}
	p := EstimatePitch(x)
	require.NotNil(t, p)
	assert.InDelta(t, f0, p.Median, 3)
	assert.InDelta(t, f0, p.P10, 3)
	assert.InDelta(t, 2, p.VoicedS, 0.1)

	assert.Nil(t, EstimatePitch(make([]int16, 16000)), "silence has no pitch")
}
