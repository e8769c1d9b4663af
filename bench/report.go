package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Report is the result of one accuracy run over one or more decoders: what
// [Report.Markdown] prints and what encoding/json writes for machines.
type Report struct {
	// Command is the command line that produced the report.
	Command string  `json:"command"`
	Machine Machine `json:"machine"`
	Options Options `json:"options"`
	// Decoders are the decoder names, in column order.
	Decoders []string `json:"decoders"`
	// Checks are pass/fail rows against the standards' numbers.
	Checks []Check `json:"checks"`
	// Edges are the measured accept/reject boundaries.
	Edges []Edge `json:"edges"`
	// Metrics are measured figures without a pass/fail floor.
	Metrics []Metric `json:"metrics"`
	// Curves are rates against a swept parameter (noise, talk-down).
	Curves []Curve `json:"curves"`
	// Regions are accept rates over frequency offset × twist, per decoder.
	Regions []Region `json:"regions,omitempty"`
	// Durations holds every duration error [ms] per decoder, for the
	// distribution plot.
	Durations []Sample `json:"durations,omitempty"`
	// ElapsedS is the run's wall time [s].
	ElapsedS float64 `json:"elapsed_s"`
}

// Machine describes where a report was measured.
type Machine struct {
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	GoVersion string `json:"go_version"`
}

// thisMachine describes the running machine (the CPU model from
// /proc/cpuinfo where it exists).
func thisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, GoVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// Check is one pass/fail row: a requirement of the standards and each
// decoder's result on it.
type Check struct {
	Category string `json:"category"`
	// Name says what was tested; Floor the requirement.
	Name    string        `json:"name"`
	Floor   string        `json:"floor"`
	Results []CheckResult `json:"results"`
}

// Check statuses.
const (
	StatusPass = "pass"
	StatusFail = "fail"
	// StatusNA: the decoder does not report what the check measures (e.g.
	// durations).
	StatusNA = "n/a"
)

// CheckResult is one decoder's result on a [Check].
type CheckResult struct {
	Decoder string `json:"decoder"`
	Status  string `json:"status"`
	// Passed of Total trials met the requirement.
	Passed int `json:"passed"`
	Total  int `json:"total"`
	// Measured is the figure behind the verdict, if any (e.g. "worst 2.4 ms").
	Measured string `json:"measured,omitempty"`
	// Failures are some of the failing trials, with how to rebuild them.
	Failures []Failure `json:"failures,omitempty"`
}

// Num is a float64 that encodes NaN and ±Inf as JSON null ("not found").
type Num float64

// MarshalJSON writes the number, or null if it is not finite.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// Edge is a measured boundary of a swept parameter: the last value of the
// run where every trial passed and the first value of the run where every
// trial was rejected (or gave the alternative outcome).
type Edge struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	// AcceptLabel and RejectLabel say what the two values mean, e.g.
	// "accepted up to" and "rejected from".
	AcceptLabel string `json:"accept_label"`
	RejectLabel string `json:"reject_label"`
	// Standard is the requirement the edges are judged against.
	Standard string      `json:"standard"`
	Values   []EdgeValue `json:"values"`
	// Detail marks per-tone rows that the Markdown summary folds.
	Detail bool `json:"detail,omitempty"`
}

// EdgeValue is one decoder's edges; null (NaN) where the sweep found none.
type EdgeValue struct {
	Decoder string `json:"decoder"`
	Accept  Num    `json:"accept"`
	Reject  Num    `json:"reject"`
}

// Metric is a measured figure without a pass/fail floor.
type Metric struct {
	Category string        `json:"category"`
	Name     string        `json:"name"`
	Unit     string        `json:"unit"`
	Values   []MetricValue `json:"values"`
}

// MetricValue is one decoder's figure; null (NaN) if not measured.
type MetricValue struct {
	Decoder string `json:"decoder"`
	Value   Num    `json:"value"`
	Note    string `json:"note,omitempty"`
}

// Curve is a rate against a swept parameter, one series per decoder.
type Curve struct {
	Category string   `json:"category"`
	Name     string   `json:"name"`
	XLabel   string   `json:"x_label"`
	YLabel   string   `json:"y_label"`
	Series   []Series `json:"series"`
}

// Series is one decoder's points of a [Curve].
type Series struct {
	Decoder string       `json:"decoder"`
	Points  []CurvePoint `json:"points"`
}

// CurvePoint is one swept value: Y (e.g. the share of digits found) over
// Trials trials, and Extra false or wrong digits reported there.
type CurvePoint struct {
	X      float64 `json:"x"`
	Y      Num     `json:"y"`
	Trials int     `json:"trials"`
	Extra  int     `json:"extra"`
}

// Region is one decoder's accept rate over frequency offset (both tones,
// [%]) × twist (high minus low level, [dB]): Rate[j][i] at Offsets[i],
// Twists[j].
type Region struct {
	Decoder string      `json:"decoder"`
	Offsets []float64   `json:"offsets_pct"`
	Twists  []float64   `json:"twists_db"`
	Rate    [][]float64 `json:"rate"`
}

// Sample is one decoder's list of measured values.
type Sample struct {
	Decoder string    `json:"decoder"`
	Values  []float64 `json:"values"`
}

// Failed returns the checks some decoder named name failed, as
// "category: name" strings.
func (r *Report) Failed(decoder string) []string {
	var out []string
	for _, c := range r.Checks {
		for _, res := range c.Results {
			if res.Decoder == decoder && res.Status == StatusFail {
				out = append(out, fmt.Sprintf("%s: %s", c.Category, c.Name))
			}
		}
	}
	return out
}
