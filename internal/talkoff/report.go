package talkoff

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/dtmfkit/dtmf/detector"
)

// ReportFormat identifies the JSON report layout.
const ReportFormat = "dtmf-talkoff-report/1"

// Report is a run's tally and every false digit, ready to render.
type Report struct {
	Format   string   `json:"format"`
	Corpus   string   `json:"corpus"`
	Split    string   `json:"split"`
	Decoders []string `json:"decoders"`
	// Command and Settings say how the run was made (free text).
	Command  string            `json:"command"`
	Settings map[string]string `json:"settings,omitempty"`
	// Seconds is the run's wall time; DecoderSeconds each decoder's time.
	Seconds        float64      `json:"seconds"`
	DecoderSeconds []float64    `json:"decoder_seconds"`
	Rows           []Row        `json:"rows"`
	FalseDigits    []FalseDigit `json:"false_digits"`
}

// FalseDigit is one false key press, with what the decoder measured.
type FalseDigit struct {
	Decoder    string   `json:"decoder"`
	Path       string   `json:"path"`
	Item       string   `json:"item"`
	Source     string   `json:"source"`
	Kind       string   `json:"kind"`
	Split      string   `json:"split"`
	Level      string   `json:"level"`
	Codec      string   `json:"codec"`
	Section    string   `json:"section,omitempty"`
	Digit      string   `json:"digit"`
	OffsetMS   *float64 `json:"offset_ms"`
	DurationMS *float64 `json:"duration_ms"`
	LowLevel   *float64 `json:"low_level_dbm0,omitempty"`
	HighLevel  *float64 `json:"high_level_dbm0,omitempty"`
	LowFreq    *float64 `json:"low_freq_hz,omitempty"`
	HighFreq   *float64 `json:"high_freq_hz,omitempty"`
	Level0     *float64 `json:"level_dbm0,omitempty"`
	// LowOffset and HighOffset are the measured frequencies' deviations
	// from nominal [%], Twist is HighLevel - LowLevel [dB].
	LowOffset  *float64 `json:"low_offset_pct,omitempty"`
	HighOffset *float64 `json:"high_offset_pct,omitempty"`
	Twist      *float64 `json:"twist_db,omitempty"`
}

func opt(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	v = math.Round(v*100) / 100
	return &v
}

// NewReport tallies res.
func NewReport(res *Result, command string, settings map[string]string) *Report {
	r := &Report{
		Format: ReportFormat, Corpus: res.Corpus, Split: res.Split, Decoders: res.Decoders,
		Command: command, Settings: settings, Seconds: math.Round(res.Elapsed.Seconds()*10) / 10,
		Rows: Tally(res), FalseDigits: []FalseDigit{},
	}
	if r.Split == "" {
		r.Split = SplitAll
	}
	for _, d := range res.DecoderTime {
		r.DecoderSeconds = append(r.DecoderSeconds, math.Round(d.Seconds()*10)/10)
	}
	for k, name := range res.Decoders {
		for _, fr := range res.Files {
			f := &fr.File
			for _, p := range fr.Presses[k] {
				lo, hi, _ := detector.KeyFrequencies(p.Digit)
				r.FalseDigits = append(r.FalseDigits, FalseDigit{
					Decoder: name, Path: f.Path, Item: f.Item, Source: f.Source, Kind: f.Kind, Split: f.Split,
					Level: f.Level(), Codec: f.Codec, Digit: string(p.Digit), Section: f.SectionAt(p.OffsetMS),
					OffsetMS: opt(p.OffsetMS), DurationMS: opt(p.DurationMS),
					LowLevel: opt(p.LowLevel), HighLevel: opt(p.HighLevel), LowFreq: opt(p.LowFreq), HighFreq: opt(p.HighFreq),
					Level0: opt(p.Level), LowOffset: opt(100 * (p.LowFreq/lo - 1)), HighOffset: opt(100 * (p.HighFreq/hi - 1)),
					Twist: opt(p.HighLevel - p.LowLevel),
				})
			}
		}
	}
	slices.SortStableFunc(r.FalseDigits, func(a, b FalseDigit) int {
		if a.Decoder != b.Decoder {
			return slices.Index(res.Decoders, a.Decoder) - slices.Index(res.Decoders, b.Decoder)
		}
		if a.Item != b.Item {
			return strings.Compare(a.Item, b.Item)
		}
		ao, bo := -1.0, -1.0
		if a.OffsetMS != nil {
			ao = *a.OffsetMS
		}
		if b.OffsetMS != nil {
			bo = *b.OffsetMS
		}
		if ao != bo {
			if ao < bo {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Path, b.Path)
	})
	return r
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// MaxListed is how many false digits of one decoder the Markdown lists (the
// JSON lists all).
const MaxListed = 400

// WriteMarkdown renders the report: a summary by split and kind, then per
// split the tables by genre, language, source, level and codec, then every
// false digit of this module's detector (with its measurements) and up to
// MaxListed of each other decoder's.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Talk-off: false digits on music and speech\n\n")
	p("The corpus holds no DTMF: every key press reported is false. Counts are false digits, with false digits per hour of audio in parentheses; hours count every file (2 levels × 3 codecs of each item).\n\n")
	p("- corpus: `%s`, split: %s\n- command: `%s`\n", r.Corpus, r.Split, r.Command)
	keys := make([]string, 0, len(r.Settings))
	for k := range r.Settings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p("- %s: %s\n", k, r.Settings[k])
	}
	p("- run time: %.0f s wall;", r.Seconds)
	for i, d := range r.Decoders {
		p(" %s %.0f s", d, r.DecoderSeconds[i])
		if i < len(r.Decoders)-1 {
			p(",")
		}
	}
	p(" (decoder time summed over parallel workers)\n\n")

	header := func(first string) {
		p("| %s | files | hours |", first)
		for _, d := range r.Decoders {
			p(" %s |", d)
		}
		p("\n|---|---:|---:|")
		for range r.Decoders {
			p("---:|")
		}
		p("\n")
	}
	row := func(label string, x *Row) {
		p("| %s | %d | %.2f |", label, x.Files, x.Hours)
		for i := range r.Decoders {
			p(" %d (%.2f) |", x.False[i], x.PerHour(i))
		}
		p("\n")
	}
	p("## Summary\n\n")
	header("split / kind")
	for i := range r.Rows {
		x := &r.Rows[i]
		if x.Dimension == DimAll || x.Dimension == DimKind {
			row(x.Split+" / "+x.Value, x)
		}
	}
	p("\n")
	splitName := map[string]string{SplitTuning: "tuning", SplitHeldOut: "held-out", SplitAll: "tuning + held-out"}
	for _, s := range []string{SplitTuning, SplitHeldOut, SplitAll} {
		for _, dim := range []string{DimGenre, DimLanguage, DimLevel, DimCodec, DimSection, DimSource} {
			var rows []*Row
			for i := range r.Rows {
				if x := &r.Rows[i]; x.Split == s && x.Dimension == dim {
					rows = append(rows, x)
				}
			}
			if len(rows) == 0 || (s == SplitAll && dim == DimSource) {
				continue
			}
			p("## By %s (%s)\n\n", dim, splitName[s])
			header(dim)
			for _, x := range rows {
				label := x.Value
				if dim == DimSource {
					label = x.Kind + ": " + x.Value
				}
				row(label, x)
			}
			p("\n")
		}
	}
	for k, d := range r.Decoders {
		var list []FalseDigit
		for _, f := range r.FalseDigits {
			if f.Decoder == d {
				list = append(list, f)
			}
		}
		p("## False digits of %s (%d)\n\n", d, len(list))
		if len(list) == 0 {
			p("None.\n\n")
			continue
		}
		if k > 0 && len(list) > MaxListed && list[0].LowFreq == nil {
			p("The first %d (by item and time); the JSON report lists all.\n\n", MaxListed)
			list = list[:MaxListed]
		}
		detailed := false
		for _, f := range list {
			detailed = detailed || f.LowFreq != nil
		}
		if detailed {
			p("Levels and frequencies as measured at key-down; offsets from the nominal DTMF frequencies; twist = high − low level.\n\n")
			p("| file | split | section | offset ms | digit | duration ms | low dBm0 | high dBm0 | twist dB | low Hz | high Hz | low off %% | high off %% |\n|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
			for _, f := range list {
				p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f.Path, f.Split, f.Section, num(f.OffsetMS, 0), f.Digit, num(f.DurationMS, 0),
					num(f.LowLevel, 1), num(f.HighLevel, 1), num(f.Twist, 1), num(f.LowFreq, 1), num(f.HighFreq, 1), num(f.LowOffset, 2), num(f.HighOffset, 2))
			}
			p("\n")
			continue
		}
		p("| file | split | offset ms | digit | duration ms | level dBm0 |\n|---|---|---:|---|---:|---:|\n")
		for _, f := range list {
			p("| %s | %s | %s | %s | %s | %s |\n", f.Path, f.Split, num(f.OffsetMS, 0), f.Digit, num(f.DurationMS, 0), num(f.Level0, 1))
		}
		p("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func num(v *float64, prec int) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.*f", prec, *v)
}
