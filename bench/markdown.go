package bench

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// table writes Markdown tables whose last columns are the decoders.
type table struct {
	b        *strings.Builder
	decoders []string
}

func (t table) head(first string, extra ...string) {
	cols := append([]string{first}, extra...)
	cols = append(cols, t.decoders...)
	t.b.WriteString("| " + strings.Join(cols, " | ") + " |\n|")
	for range cols {
		t.b.WriteString("---|")
	}
	t.b.WriteString("\n")
}

func (t table) row(cells ...string) { t.b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }

// Summary renders the headline tables, side by side for every decoder:
// checks passed per category (and in all), the measured edges of the
// sweeps, and the measured figures (noise, duration, latency, talk-off).
func (r *Report) Summary() string {
	var b strings.Builder
	t := table{&b, r.Decoders}
	if len(r.Checks) > 0 {
		b.WriteString("#### Checks passed per category\n\n")
		t.head("category")
		var cats []string
		for _, c := range r.Checks {
			if !slices.Contains(cats, c.Category) {
				cats = append(cats, c.Category)
			}
		}
		for _, cat := range append(cats, "") {
			cells := []string{cat}
			if cat == "" {
				cells[0] = "**all**"
			}
			for d := range r.Decoders {
				passed, total, na := 0, 0, 0
				for _, c := range r.Checks {
					if cat != "" && c.Category != cat {
						continue
					}
					switch c.Results[d].Status {
					case StatusPass:
						passed++
						total++
					case StatusFail:
						total++
					default:
						na++
					}
				}
				cell := fmt.Sprintf("%d/%d", passed, total)
				switch {
				case total == 0:
					cell = "n/a"
				case passed == total:
					cell = "✅ " + cell
				default:
					cell = "❌ " + cell
				}
				if na > 0 && total > 0 {
					cell += fmt.Sprintf(" (+%d n/a)", na)
				}
				cells = append(cells, cell)
			}
			t.row(cells...)
		}
		b.WriteString("\n")
	}
	if slices.ContainsFunc(r.Edges, func(e Edge) bool { return !e.Detail }) {
		b.WriteString("#### Measured edges\n\n")
		b.WriteString("Each cell is *accepted … rejected*: the last value of the sweep up to which every trial was decoded correctly, and the value from which on, to the end of the sweep, every trial gave the other outcome (—: not reached in the sweep).\n\n")
		t.head("category", "sweep", "edges", "requirement")
		for _, e := range r.Edges {
			if !e.Detail {
				r.edgeRow(t, e)
			}
		}
		b.WriteString("\n")
	}
	if len(r.Metrics) > 0 {
		b.WriteString("#### Measured figures\n\n")
		t.head("category", "figure", "unit")
		for _, mt := range r.Metrics {
			cells := []string{mt.Category, esc(mt.Name), mt.Unit}
			for _, v := range mt.Values {
				s := num(float64(v.Value), 2)
				if v.Note != "" {
					s += " (" + esc(v.Note) + ")"
				}
				cells = append(cells, s)
			}
			t.row(cells...)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Markdown renders the whole report: how it was made, the [Report.Summary],
// every pass/fail row against the standards, the frequency edges per tone,
// the curves, the plots (image files relative to the Markdown file) and the
// failing trials with how to rebuild them.
func (r *Report) Markdown(plots ...string) string {
	var b strings.Builder
	t := table{&b, r.Decoders}
	fmt.Fprintf(&b, "Command: `%s`  \n", r.Command)
	m := r.Machine
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s/%s, %s; run took %.0f s.  \n", orDash(m.CPU), m.Cores, m.GOOS, m.GOARCH, m.GoVersion, r.ElapsedS)
	fmt.Fprintf(&b, "Signals: %d Hz, run seed %d", r.Options.SampleRate, r.Options.Seed)
	if r.Options.Quick {
		b.WriteString(", quick subset (no sweeps)")
	}
	b.WriteString(". Levels are per tone; 0 dBm0 is a sine of peak 0.6997 of 16-bit full scale; twist is the high tone's level minus the low tone's.\n\n")
	b.WriteString("### Summary\n\n")
	b.WriteString(r.Summary())
	if len(r.Checks) > 0 {
		b.WriteString("### Pass/fail against the standards\n\n")
		t.head("category", "test", "requirement")
		for _, c := range r.Checks {
			cells := []string{c.Category, esc(c.Name), esc(c.Floor)}
			for _, res := range c.Results {
				cells = append(cells, checkCell(res))
			}
			t.row(cells...)
		}
		b.WriteString("\n")
	}
	if slices.ContainsFunc(r.Edges, func(e Edge) bool { return e.Detail }) {
		b.WriteString("### Frequency edges per tone [% of nominal]\n\n")
		t.head("category", "tone", "edges", "requirement")
		for _, e := range r.Edges {
			if e.Detail {
				r.edgeRow(t, e)
			}
		}
		b.WriteString("\n")
	}
	for _, c := range r.Curves {
		fmt.Fprintf(&b, "### %s: %s\n\n", c.Category, esc(c.Name))
		t.head(esc(c.XLabel))
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
			t.row(cells...)
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

func (r *Report) edgeRow(t table, e Edge) {
	cells := []string{e.Category, esc(e.Name), fmt.Sprintf("%s … %s [%s]", e.AcceptLabel, e.RejectLabel, e.Unit), esc(e.Standard)}
	for _, v := range e.Values {
		cells = append(cells, num(float64(v.Accept), 2)+" … "+num(float64(v.Reject), 2))
	}
	t.row(cells...)
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
