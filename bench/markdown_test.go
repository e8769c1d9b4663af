package bench

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testReport() *Report {
	nan := Num(math.NaN())
	return &Report{
		Command:  "dtmf bench accuracy",
		Options:  Options{SampleRate: 8000, Seed: 3},
		Decoders: []string{"a", "b"},
		Checks: []Check{
			{Category: "keys", Name: "all | keys", Floor: "found", Results: []CheckResult{
				{Decoder: "a", Status: StatusPass, Passed: 4, Total: 4},
				{Decoder: "b", Status: StatusFail, Passed: 3, Total: 4, Measured: "worst 9 ms",
					Failures: []Failure{{Repro: "dtmf gen --digits 1 t.wav", Want: "1", Got: "nothing"}}},
			}},
			{Category: "duration", Name: "d", Floor: "±3 ms", Results: []CheckResult{
				{Decoder: "a", Status: StatusPass, Passed: 2, Total: 2},
				{Decoder: "b", Status: StatusNA},
			}},
		},
		Edges: []Edge{
			{Category: "twist", Name: "normal", Unit: "dB", AcceptLabel: "accepted up to", RejectLabel: "rejected from", Standard: "≤ 8",
				Values: []EdgeValue{{Decoder: "a", Accept: 8.25, Reject: 9}, {Decoder: "b", Accept: 7.5, Reject: nan}}},
			{Category: "frequency", Name: "697 Hz +", Unit: "%", Detail: true,
				Values: []EdgeValue{{Decoder: "a", Accept: 2.2, Reject: 2.25}, {Decoder: "b", Accept: nan, Reject: 3}}},
		},
		Metrics: []Metric{{Category: "noise", Name: "SNR", Unit: "dB", Values: []MetricValue{{Decoder: "a", Value: 7}, {Decoder: "b", Value: nan, Note: "none"}}}},
		Curves: []Curve{{Category: "noise", Name: "found", XLabel: "SNR [dB]", YLabel: "found", Series: []Series{
			{Decoder: "a", Points: []CurvePoint{{X: 5, Y: 0.906, Trials: 128}}},
			{Decoder: "b", Points: []CurvePoint{{X: 5, Y: 1.0 / 3, Trials: 128, Extra: 2}}},
		}}},
	}
}

func TestMarkdown(t *testing.T) {
	rep := testReport()
	sum := rep.Summary()
	assert.Contains(t, sum, "| keys | ✅ 1/1 | ❌ 0/1 |")
	assert.Contains(t, sum, "| duration | ✅ 1/1 | n/a |")
	assert.Contains(t, sum, "| **all** | ✅ 2/2 | ❌ 0/1 (+1 n/a) |")
	assert.Contains(t, sum, "| twist | normal | accepted up to … rejected from [dB] | ≤ 8 | 8.25 … 9 | 7.5 … — |")
	assert.NotContains(t, sum, "697 Hz", "per-tone edges are details")
	assert.Contains(t, sum, "| noise | SNR | dB | 7 | — (none) |")

	md := rep.Markdown("snr.svg")
	assert.Contains(t, md, "Command: `dtmf bench accuracy`")
	assert.Contains(t, md, sum)
	assert.Contains(t, md, `| keys | all \| keys | found | ✅ pass 4/4 | ❌ **fail** 3/4; worst 9 ms |`)
	assert.Contains(t, md, "| frequency | 697 Hz + |")
	assert.Contains(t, md, "| 5 | 90.6 % | 33.3 % (+2 false) |")
	assert.Contains(t, md, "![snr.svg](snr.svg)")
	assert.Contains(t, md, "- **b** — keys: all | keys (found): 3 of 4 passed; worst 9 ms\n  - want 1, got nothing: `dtmf gen --digits 1 t.wav`")
	assert.Equal(t, []string{"keys: all | keys"}, rep.Failed("b"))
	assert.Empty(t, rep.Failed("a"))
}

// NaN edges and figures are null in JSON and come back as NaN.
func TestReportJSON(t *testing.T) {
	b, err := json.Marshal(testReport())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"accept":7.5,"reject":null`)
	var back Report
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, math.IsNaN(float64(back.Edges[0].Values[1].Reject)))
	assert.Equal(t, Num(8.25), back.Edges[0].Values[0].Accept)
	assert.Equal(t, testReport().Checks, back.Checks)
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{2.5: "2.5", 1.0 / 3: "0.33", -0.001: "0", 10: "10", math.Inf(1): "—"} {
		assert.Equal(t, want, num(v, 2), "%v", v)
	}
}
