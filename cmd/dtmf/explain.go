package main

import (
	"bufio"
	"math"
	"strconv"

	"github.com/dtmfkit/dtmf/detector"
)

// checkUnits is the unit of each check's value in --explain output, as the
// detector's Check docs give it.
var checkUnits = map[string]string{
	"relative-peak":   "dB",
	"group-lead":      "dB",
	"frequency":       "%",
	"level":           "dBm0",
	"twist":           "dB",
	"energy-share":    "fraction",
	"tone-fill":       "fraction",
	"duration":        "ms",
	"second-harmonic": "dB",
	"residual":        "dB",
	"third-tone":      "dB",
	"onset":           "dB",
}

// explainer writes one NDJSON "explain" line per candidate the detector
// evaluates (see detector.Detector.Explain) to out, ahead of the events
// the same audio produces.
type explainer struct {
	out     *bufio.Writer
	session string
	channel int // -1: not written
	rate    float64
	buf     []byte
}

// newExplainer returns an explainer for one channel of one input.
func newExplainer(out *bufio.Writer, session string, channel, rate int) *explainer {
	return &explainer{out: out, session: session, channel: channel, rate: float64(rate)}
}

// ms converts a sample position to milliseconds, to 0.1 ms.
func (x *explainer) ms(pos int64) float64 {
	return math.Round(float64(pos)*10000/x.rate) / 10
}

// explain is the detector's callback.
func (x *explainer) explain(e *detector.Evaluation) {
	b := x.buf[:0]
	b = append(b, `{"event":"explain","session_uuid":`...)
	b = strconv.AppendQuote(b, x.session)
	if x.channel >= 0 {
		b = append(b, `,"channel":`...)
		b = strconv.AppendInt(b, int64(x.channel), 10)
	}
	b = append(b, `,"time_ms":`...)
	b = strconv.AppendFloat(b, x.ms(e.At), 'f', -1, 64)
	b = append(b, `,"start_ms":`...)
	b = strconv.AppendFloat(b, x.ms(e.Start), 'f', -1, 64)
	b = append(b, `,"digit":"`...)
	b = append(b, e.Digit)
	b = append(b, `","stage":"`...)
	b = append(b, e.Stage.String()...)
	if e.Passed() {
		b = append(b, `","verdict":"pass","failed":[`...)
	} else {
		b = append(b, `","verdict":"reject","failed":[`...)
	}
	first := true
	for i, c := range e.Checks {
		if c.Measured && !c.Passed {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = strconv.AppendQuote(b, detector.Check(i).String())
		}
	}
	b = append(b, `],"checks":{`...)
	first = true
	for i, c := range e.Checks {
		if !c.Measured {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		name := detector.Check(i).String()
		b = strconv.AppendQuote(b, name)
		b = append(b, `:{"value":`...)
		b = appendNumber(b, c.Value)
		b = append(b, `,"min":`...)
		b = appendNumber(b, c.Min)
		b = append(b, `,"max":`...)
		b = appendNumber(b, c.Max)
		b = append(b, `,"unit":`...)
		b = strconv.AppendQuote(b, checkUnits[name])
		b = append(b, `,"pass":`...)
		b = strconv.AppendBool(b, c.Passed)
		b = append(b, '}')
	}
	b = append(b, "}}\n"...)
	x.buf = b
	x.out.Write(b)
}

// appendNumber appends v to 3 decimals, or null for ±Inf and NaN (no
// bound, or a value that could not be measured).
func appendNumber(b []byte, v float64) []byte {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, math.Round(v*1000)/1000, 'f', -1, 64)
}
