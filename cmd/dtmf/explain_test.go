package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// explainLine is one --explain output line.
type explainLine struct {
	Event   string   `json:"event"`
	TimeMS  float64  `json:"time_ms"`
	StartMS float64  `json:"start_ms"`
	Digit   string   `json:"digit"`
	Stage   string   `json:"stage"`
	Verdict string   `json:"verdict"`
	Failed  []string `json:"failed"`
	Checks  map[string]struct {
		Value    float64  `json:"value"`
		Min, Max *float64 // nil: unbounded
		Unit     string   `json:"unit"`
		Pass     bool     `json:"pass"`
	} `json:"checks"`
}

// TestExplainUnitsCoverEveryCheck: every check has a unit.
func TestExplainUnitsCoverEveryCheck(t *testing.T) {
	for c := range detector.NumChecks {
		assert.NotEmpty(t, checkUnits[c.String()], "check %s has no unit", c)
	}
}

// TestDecodeExplain: a clean key gives a passing confirm evaluation at its
// time; the same key with 11 dB of twist gives rejections naming the
// twist check and no passing confirm; the dtmf events are those of a
// run without --explain.
func TestDecodeExplain(t *testing.T) {
	s := synth.New(8000, 1)
	s.Silence(100)
	require.NoError(t, s.Add(synth.Tone{Digit: '6', Duration: 80, LowLevel: -12, HighLevel: -12}))
	s.Silence(300)
	// The same key with its high tone 11 dB weaker: twist beyond 8 dB.
	require.NoError(t, s.Add(synth.Tone{Digit: '6', Duration: 120, LowLevel: -10, HighLevel: -21}))
	s.Silence(200)
	pcm := s.PCM()
	dir := t.TempDir()
	path := writeWAV(t, dir, "x.wav", wavfile.PCM16, 8000, 1, pcm)

	code, plain, stderr := decodeRun(t, nil, path)
	require.Equal(t, 0, code, stderr)
	code, out, stderr := decodeRun(t, nil, "--explain", path)
	require.Equal(t, 0, code, stderr)

	var events []string
	var keyOK, twisted bool
	for _, l := range strings.SplitAfter(out, "\n") {
		if l == "" {
			continue
		}
		var e explainLine
		require.NoError(t, json.Unmarshal([]byte(l), &e), "%q", l)
		if e.Event != "explain" {
			events = append(events, l)
			continue
		}
		require.Contains(t, []string{"window", "confirm"}, e.Stage)
		require.Contains(t, []string{"pass", "reject"}, e.Verdict)
		assert.Equal(t, e.Verdict == "pass", len(e.Failed) == 0, "%q", l)
		assert.LessOrEqual(t, e.StartMS, e.TimeMS)
		for _, f := range e.Failed {
			assert.False(t, e.Checks[f].Pass, "failed check %s passes: %q", f, l)
		}
		for name, c := range e.Checks {
			assert.NotEmpty(t, c.Unit)
			inside := (c.Min == nil || c.Value >= *c.Min-1e-3) && (c.Max == nil || c.Value <= *c.Max+1e-3)
			if c.Pass {
				assert.True(t, inside, "%s passes outside its limits: %q", name, l)
			}
		}
		switch {
		case e.Digit == "6" && e.Stage == "confirm" && e.Verdict == "pass" && e.StartMS < 200:
			keyOK = true
			assert.InDelta(t, 100, e.StartMS, 2)
		case e.StartMS > 400:
			twisted = twisted || slices.Contains(e.Failed, "twist")
			assert.False(t, e.Verdict == "pass" && e.Stage == "confirm", "the twisted key is confirmed: %q", l)
		}
	}
	assert.True(t, keyOK, "the key's confirm evaluation passes")
	assert.True(t, twisted, "the twisted key is rejected for its twist")
	assert.Equal(t, plain, strings.Join(events, ""), "the events are those without --explain")
	assert.Equal(t, "6", digitsOf(parseLines(t, plain)))
}
