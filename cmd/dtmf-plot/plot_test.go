package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/bench"
)

func TestPlots(t *testing.T) {
	rep := &bench.Report{
		Decoders: []string{"a", "b c"},
		Curves: []bench.Curve{
			{Category: "noise", Name: "n", XLabel: "SNR", YLabel: "found", Series: []bench.Series{
				{Decoder: "a", Points: []bench.CurvePoint{{X: 10, Y: 1}, {X: 0, Y: 0.2}}},
				{Decoder: "b c", Points: []bench.CurvePoint{{X: 10, Y: 0.9}, {X: 0, Y: bench.Num(math.NaN())}}},
			}},
			{Category: "talk-down", Name: "t", XLabel: "STR", YLabel: "found", Series: []bench.Series{
				{Decoder: "a", Points: []bench.CurvePoint{{X: -10, Y: 1}, {X: 10, Y: 0.3}}},
			}},
			{Category: "other", Name: "skipped"},
		},
		Durations: []bench.Sample{{Decoder: "a", Values: []float64{-1, 0, 0, 1.5}}, {Decoder: "b c"}},
		Regions: []bench.Region{{Decoder: "b c", Offsets: []float64{-1, 0, 1}, Twists: []float64{-2, 0},
			Rate: [][]float64{{0, 0.5, 1}, {1, 1, 0}}}},
	}
	dir := t.TempDir()
	names, err := plots(rep, dir)
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
	empty, err := plots(&bench.Report{}, dir)
	require.NoError(t, err)
	assert.Empty(t, empty)
	_, err = plots(rep, filepath.Join(dir, "missing"))
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

// TestPlotDir is the plot step of a report directory: from accuracy.json
// alone it draws the figures the report has data for and rewrites
// accuracy.md as the report's Markdown with those figures linked.
func TestPlotDir(t *testing.T) {
	rep, err := bench.Run(context.Background(), bench.Options{Quick: true, Categories: []string{"keys", "duration", "noise"}},
		bench.NewNative(), &bench.Command{Label: "deaf", Cmd: "true"})
	require.NoError(t, err)
	dir := t.TempDir()
	b, err := json.MarshalIndent(rep, "", " ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "accuracy.json"), b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "accuracy.md"), []byte(rep.Markdown()), 0o644))

	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{dir}, &stdout, &stderr), stderr.String())
	assert.Equal(t, dir+": 2 figures\n", stdout.String())
	for _, f := range []string{"snr", "duration_error"} {
		assert.FileExists(t, filepath.Join(dir, f+".svg"))
		assert.FileExists(t, filepath.Join(dir, f+".png"))
	}
	md, err := os.ReadFile(filepath.Join(dir, "accuracy.md"))
	require.NoError(t, err)
	assert.Equal(t, rep.Markdown("snr.svg", "duration_error.svg"), string(md), "the report's Markdown with the figures linked")
	assert.Contains(t, string(md), "![snr.svg](snr.svg)")
}

func TestRunErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run(nil, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "usage: dtmf-plot")
	stderr.Reset()
	dir := t.TempDir()
	assert.Equal(t, 1, run([]string{dir}, &stdout, &stderr), "no accuracy.json")
	assert.Contains(t, stderr.String(), "accuracy.json")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "accuracy.json"), []byte("{"), 0o644))
	stderr.Reset()
	assert.Equal(t, 1, run([]string{dir}, &stdout, &stderr), "bad accuracy.json")
	assert.Contains(t, stderr.String(), "accuracy.json")
	stdout.Reset()
	assert.Equal(t, 0, run([]string{"-h"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "usage: dtmf-plot")
}
