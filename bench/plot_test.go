package bench

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlots(t *testing.T) {
	rep := &Report{
		Decoders: []string{"a", "b c"},
		Curves: []Curve{
			{Category: "noise", Name: "n", XLabel: "SNR", YLabel: "found", Series: []Series{
				{Decoder: "a", Points: []CurvePoint{{X: 10, Y: 1}, {X: 0, Y: 0.2}}},
				{Decoder: "b c", Points: []CurvePoint{{X: 10, Y: 0.9}, {X: 0, Y: Num(math.NaN())}}},
			}},
			{Category: "talk-down", Name: "t", XLabel: "STR", YLabel: "found", Series: []Series{
				{Decoder: "a", Points: []CurvePoint{{X: -10, Y: 1}, {X: 10, Y: 0.3}}},
			}},
			{Category: "other", Name: "skipped"},
		},
		Durations: []Sample{{Decoder: "a", Values: []float64{-1, 0, 0, 1.5}}, {Decoder: "b c"}},
		Regions: []Region{{Decoder: "b c", Offsets: []float64{-1, 0, 1}, Twists: []float64{-2, 0},
			Rate: [][]float64{{0, 0.5, 1}, {1, 1, 0}}}},
	}
	dir := t.TempDir()
	names, err := rep.Plots(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"snr.svg", "talkdown.svg", "duration_error.svg", "region_b_c.svg"}, names)
	for _, n := range names {
		svg, err := os.ReadFile(filepath.Join(dir, n))
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(svg, []byte("<?xml")) && bytes.Contains(svg, []byte("<svg")), n)
		f, err := os.Open(filepath.Join(dir, strings.TrimSuffix(n, ".svg")+".png"))
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err, n)
		assert.Greater(t, img.Bounds().Dx(), 500)
	}
	empty, err := (&Report{}).Plots(dir)
	require.NoError(t, err)
	assert.Empty(t, empty)
	_, err = rep.Plots(filepath.Join(dir, "missing"))
	assert.Error(t, err)
}

func TestIntegerTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (integerTicks{}).Ticks(lo, hi) {
			out = append(out, tk.Label)
		}
		return out
	}
	assert.Equal(t, []string{"-2", "-1", "0", "1", "2"}, labels(-2.5, 2.5))
	assert.Equal(t, []string{"-18", "-16", "-14", "-12", "-10", "-8", "-6", "-4", "-2", "0", "2"}, labels(-19.5, 3.5))
	assert.Len(t, labels(-500, 500), 11)
}
