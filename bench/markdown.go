package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Markdown renders the report: the pass/fail table against the standards,
// the measured edges, metrics and curves side by side for every decoder,
// then the failing trials with how to rebuild them. plots lists image files
// (relative to the Markdown file) to embed.
func (r *Report) Markdown(plots ...string) string {
	var b strings.Builder
	head := func(first string, extra ...string) {
		cols := append([]string{first}, extra...)
		cols = append(cols, r.Decoders...)
		b.WriteString("| " + strings.Join(cols, " | ") + " |\n|")
		for range cols {
			b.WriteString("---|")
		}
		b.WriteString("\n")
	}
	row := func(cells ...string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }

	fmt.Fprintf(&b, "Command: `%s`  \n", r.Command)
	m := r.Machine
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s/%s, %s; run took %.0f s.  \n", orDash(m.CPU), m.Cores, m.GOOS, m.GOARCH, m.GoVersion, r.ElapsedS)
	fmt.Fprintf(&b, "Signals: %d Hz, run seed %d", r.Options.SampleRate, r.Options.Seed)
	if r.Options.Quick {
		b.WriteString(", quick subset (no sweeps)")
	}
	b.WriteString(". Levels are per tone; 0 dBm0 is a sine of peak 0.6997 of 16-bit full scale; twist is the high tone's level minus the low tone's.\n\n")

	if len(r.Checks) > 0 {
		b.WriteString("### Pass/fail against the standards\n\n")
		head("category", "test", "requirement")
		for _, c := range r.Checks {
			cells := []string{c.Category, esc(c.Name), esc(c.Floor)}
			for _, res := range c.Results {
				cells = append(cells, checkCell(res))
			}
			row(cells...)
		}
		b.WriteString("\n")
	}
	if len(r.Edges) > 0 {
		b.WriteString("### Measured edges\n\n")
		b.WriteString("Each cell is *accepted … rejected*: the last value of the sweep where every trial was decoded correctly, and the first value from which every trial gave the other outcome (— : not reached in the sweep).\n\n")
		head("category", "sweep", "edges", "requirement")
		for _, e := range r.Edges {
			if e.Detail {
				continue
			}
			r.edgeRow(&b, e, row)
		}
		var detail []Edge
		for _, e := range r.Edges {
			if e.Detail {
				detail = append(detail, e)
			}
		}
		if len(detail) > 0 {
			b.WriteString("\nFrequency edges per tone [% of nominal]:\n\n")
			head("category", "tone", "edges", "requirement")
			for _, e := range detail {
				r.edgeRow(&b, e, row)
			}
		}
		b.WriteString("\n")
	}
	if len(r.Metrics) > 0 {
		b.WriteString("### Measured figures\n\n")
		head("category", "figure", "unit")
		for _, mt := range r.Metrics {
			cells := []string{mt.Category, esc(mt.Name), mt.Unit}
			for _, v := range mt.Values {
				s := num(float64(v.Value), 2)
				if v.Note != "" {
					s += " (" + esc(v.Note) + ")"
				}
				cells = append(cells, s)
			}
			row(cells...)
		}
		b.WriteString("\n")
	}
	for _, c := range r.Curves {
		fmt.Fprintf(&b, "### %s: %s\n\n", c.Category, esc(c.Name))
		head(esc(c.XLabel))
		for i := range c.Series[0].Points {
			cells := []string{strconv.FormatFloat(c.Series[0].Points[i].X, 'g', -1, 64)}
			for _, s := range c.Series {
				p := s.Points[i]
				cell := num(100*float64(p.Y), 1) + " %"
				if p.Extra > 0 {
					cell += fmt.Sprintf(" (+%d false)", p.Extra)
				}
				cells = append(cells, cell)
			}
			row(cells...)
		}
		fmt.Fprintf(&b, "\n%s: share of digits found (right digit, in order) over %d trials per point; \"false\" counts digits reported beyond those.\n\n", esc(c.YLabel), c.Series[0].Points[0].Trials)
	}
	for _, p := range plots {
		fmt.Fprintf(&b, "![%s](%s)\n\n", p, p)
	}
	var fails strings.Builder
	for _, c := range r.Checks {
		for _, res := range c.Results {
			if res.Status != StatusFail {
				continue
			}
			fmt.Fprintf(&fails, "- **%s** — %s: %s (%s): %d of %d passed", res.Decoder, c.Category, c.Name, c.Floor, res.Passed, res.Total)
			if res.Measured != "" {
				fmt.Fprintf(&fails, "; %s", res.Measured)
			}
			fails.WriteString("\n")
			for _, f := range res.Failures {
				want := f.Want
				if want == "" {
					want = "nothing"
				}
				fmt.Fprintf(&fails, "  - want %s, got %s: `%s`\n", want, f.Got, f.Repro)
			}
		}
	}
	if fails.Len() > 0 {
		b.WriteString("### Failing trials\n\nEach line rebuilds the signal (`dtmf gen … t.wav`) or names the recording.\n\n")
		b.WriteString(fails.String())
		b.WriteString("\n")
	}
	return b.String()
}

func (r *Report) edgeRow(b *strings.Builder, e Edge, row func(...string)) {
	cells := []string{e.Category, esc(e.Name), fmt.Sprintf("%s … %s [%s]", e.AcceptLabel, e.RejectLabel, e.Unit), esc(e.Standard)}
	for _, v := range e.Values {
		cells = append(cells, num(float64(v.Accept), 2)+" … "+num(float64(v.Reject), 2))
	}
	row(cells...)
}

func checkCell(res CheckResult) string {
	var s string
	switch res.Status {
	case StatusPass:
		s = "✅ pass"
	case StatusFail:
		s = "❌ **fail**"
	default:
		return "n/a"
	}
	s += fmt.Sprintf(" %d/%d", res.Passed, res.Total)
	if res.Measured != "" {
		s += "; " + esc(res.Measured)
	}
	return s
}

// num formats v rounded to prec decimals without trailing zeros, "—" for
// NaN or ±Inf.
func num(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
