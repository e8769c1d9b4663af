package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmf/bench"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchRun runs "dtmf bench args..." and returns exit code, stdout and
// stderr.
func benchRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"bench"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestBenchSpeed(t *testing.T) {
	dir := t.TempDir()
	wav := filepath.Join(dir, "s.wav")
	code, _, stderr := genRun(t, "--digits", "0123456789", "--snr", "25", wav)
	require.Equal(t, 0, code, stderr)
	raw := filepath.Join(dir, "s.raw")
	code, _, stderr = genRun(t, "--digits", "*#", "--rate", "16000", raw)
	require.Equal(t, 0, code, stderr)

	for _, tt := range []struct {
		name     string
		args     []string
		digits   int
		rate     int
		pipeline bool
	}{
		{"wav", []string{"--repeat", "3", wav}, 10, 8000, false},
		{"pipeline", []string{"--repeat", "2", "--pipeline", "--frame", "80", wav}, 10, 8000, true},
		{"raw 16 kHz", []string{"--rate", "16000", "--repeat", "1", raw}, 2, 16000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := benchRun(t, append([]string{"speed"}, tt.args...)...)
			require.Equal(t, 0, code, stderr)
			require.Equal(t, 1, strings.Count(stdout, "\n"), "one JSON line")
			var res map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &res))
			for _, k := range []string{"samples", "seconds", "ns_per_sample", "channels_per_core", "allocations", "digits", "detector_bytes"} {
				assert.Contains(t, res, k)
			}
			assert.Equal(t, float64(tt.digits), res["digits"])
			assert.Equal(t, float64(tt.rate), res["sample_rate"])
			assert.Equal(t, tt.pipeline, res["bench"] == "dtmf pipeline")
		})
	}
}

// TestBenchAccuracy runs categories that need no speech corpus, so it runs
// on any machine.
func TestBenchAccuracy(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := benchRun(t, "accuracy", "--quick", "--categories", "keys,duration,noise", "--out", dir,
		"--decoder", "deaf=true")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "| category | test | requirement | dtmf | deaf |")
	assert.Contains(t, stdout, "| keys | all 16 keys")
	assert.Contains(t, stdout, "✅ pass 64/64 | ❌ **fail** 0/64")
	md, err := os.ReadFile(filepath.Join(dir, "accuracy.md"))
	require.NoError(t, err)
	assert.Equal(t, stdout, string(md))
	summary, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, stdout, string(summary))
	assert.Contains(t, string(summary), "| **all** | ✅ 4/4 | ❌ 0/2 (+2 n/a) |")
	// Plots are the plot step's (cmd/dtmf-plot, tested there): none here.
	svgs, err := filepath.Glob(filepath.Join(dir, "*.svg"))
	require.NoError(t, err)
	assert.Empty(t, svgs)
	assert.NotContains(t, stdout, ".svg)")
	b, err := os.ReadFile(filepath.Join(dir, "accuracy.json"))
	require.NoError(t, err)
	var rep bench.Report
	require.NoError(t, json.Unmarshal(b, &rep))
	assert.Equal(t, []string{"dtmf", "deaf"}, rep.Decoders)
	assert.Empty(t, rep.Failed("dtmf"))
	assert.NotEmpty(t, rep.Failed("deaf"))
	assert.Contains(t, rep.Command, "--decoder deaf=true")

	code, _, _ = benchRun(t, "accuracy", "--quick", "--categories", "keys", "--no-native", "--strict", "--decoder", "deaf=true")
	assert.Equal(t, 3, code, "--strict: the first decoder failed")
}

func TestBenchErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"nothing", nil, 2, "usage: dtmf bench"},
		{"unknown", []string{"latency"}, 2, "unknown benchmark"},
		{"speed no file", []string{"speed"}, 2, "want one FILE"},
		{"speed missing file", []string{"speed", filepath.Join(dir, "none.wav")}, 1, "none.wav"},
		{"speed repeat", []string{"speed", "--repeat", "0", "x"}, 1, "x"},
		{"speed rate", []string{"speed", "--rate", "4000", "x"}, 2, "--rate"},
		{"accuracy category", []string{"accuracy", "--categories", "keys,nope"}, 2, "unknown category"},
		{"accuracy argument", []string{"accuracy", "extra"}, 2, "unexpected argument"},
		{"accuracy no decoder", []string{"accuracy", "--no-native"}, 2, "--no-native"},
		{"accuracy empty decoder", []string{"accuracy", "--decoder", " "}, 2, "empty decoder"},
		{"accuracy rate", []string{"accuracy", "--rate", "100"}, 2, "sample rate"},
		{"accuracy failing decoder", []string{"accuracy", "--quick", "--categories", "keys", "--decoder", "bad=exit 7;"}, 1, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := benchRun(t, tt.args...)
			assert.Equal(t, tt.code, code, stderr)
			assert.Contains(t, stderr, tt.msg)
		})
	}
	code, stdout, _ := benchRun(t, "speed", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "channels_per_core")
	code, stdout, _ = benchRun(t, "accuracy", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "--decoder")
}
