package talkoff

import (
	"cmp"
	"slices"
)

// Dimensions along which [Tally] groups files.
const (
	DimAll      = "all"
	DimKind     = "kind"
	DimGenre    = "genre"
	DimLanguage = "language"
	DimSource   = "source"
	DimLevel    = "level"
	DimCodec    = "codec"
	// DimSection groups the passages of generated pieces by kind
	// (File.Sections); presses without a time are "unattributed".
	DimSection = "section"
)

// Unattributed labels the section row of presses that have no time.
const Unattributed = "unattributed"

// SplitAll labels rows that count both splits.
const SplitAll = "all"

// Row is the false digits of each decoder in one group of files.
type Row struct {
	Split     string  `json:"split"`
	Dimension string  `json:"dimension"`
	Value     string  `json:"value"`
	Kind      string  `json:"kind,omitempty"` // for sources, genres and languages
	Files     int     `json:"files"`
	Hours     float64 `json:"hours"`
	// False[i] is decoder i's false digits in the group.
	False []int `json:"false"`
}

// PerHour returns decoder i's false digits per hour in the row.
func (r *Row) PerHour(i int) float64 {
	if r.Hours == 0 {
		return 0
	}
	return float64(r.False[i]) / r.Hours
}

// Tally groups a result's files by split (each split, and both together
// when the result has both) and by each dimension, and counts every press
// as a false digit. Rows come in a fixed order: split, dimension, then kind
// and value.
func Tally(res *Result) []Row {
	rows := map[rowKey]*Row{}
	splits := map[string]bool{}
	for _, fr := range res.Files {
		splits[fr.File.Split] = true
	}
	both := len(splits) > 1
	for _, fr := range res.Files {
		f := &fr.File
		groups := []rowKey{{dim: DimAll, value: "all"}, {dim: DimKind, value: f.Kind}, {dim: DimSource, value: f.Source, kind: f.Kind},
			{dim: DimLevel, value: f.Level()}, {dim: DimCodec, value: f.Codec}}
		if f.Kind == KindMusic {
			groups = append(groups, rowKey{dim: DimGenre, value: f.Genre, kind: f.Kind})
		} else {
			groups = append(groups, rowKey{dim: DimLanguage, value: f.Language, kind: f.Kind})
		}
		ss := []string{f.Split}
		if both {
			ss = append(ss, SplitAll)
		}
		for _, s := range ss {
			for _, g := range groups {
				g.split = s
				r := rows[g]
				if r == nil {
					r = &Row{Split: s, Dimension: g.dim, Value: g.value, Kind: g.kind, False: make([]int, len(res.Decoders))}
					rows[g] = r
				}
				r.Files++
				r.Hours += f.DurationS / 3600
				for i, ps := range fr.Presses {
					r.False[i] += len(ps)
				}
			}
			if len(f.Sections) > 0 {
				tallySections(rows, s, f, fr.Presses, len(res.Decoders))
			}
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	order := func(list []string, v string) int {
		if i := slices.Index(list, v); i >= 0 {
			return i
		}
		return len(list)
	}
	splitOrder := []string{SplitTuning, SplitHeldOut, SplitAll}
	dimOrder := []string{DimAll, DimKind, DimGenre, DimLanguage, DimSource, DimLevel, DimCodec, DimSection}
	slices.SortFunc(out, func(a, b Row) int {
		return cmp.Or(
			cmp.Compare(order(splitOrder, a.Split), order(splitOrder, b.Split)),
			cmp.Compare(order(dimOrder, a.Dimension), order(dimOrder, b.Dimension)),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Value, b.Value),
		)
	})
	return out
}

type rowKey struct{ split, dim, value, kind string }

func row(rows map[rowKey]*Row, k rowKey, decoders int) *Row {
	r := rows[k]
	if r == nil {
		r = &Row{Split: k.split, Dimension: k.dim, Value: k.value, Kind: k.kind, False: make([]int, decoders)}
		rows[k] = r
	}
	return r
}

// tallySections adds a generated file's passages to the section rows of
// split: hours per section kind, and each press in the section its offset
// falls in.
func tallySections(rows map[rowKey]*Row, split string, f *File, presses [][]Press, decoders int) {
	seen := map[string]bool{}
	for _, sec := range f.Sections {
		r := row(rows, rowKey{split: split, dim: DimSection, value: sec.Kind, kind: f.Kind}, decoders)
		r.Hours += float64(sec.EndMS-sec.StartMS) / 3.6e6
		if !seen[sec.Kind] {
			r.Files++
			seen[sec.Kind] = true
		}
	}
	for i, ps := range presses {
		for _, p := range ps {
			kind := f.SectionAt(p.OffsetMS)
			if kind == "" {
				kind = Unattributed
			}
			row(rows, rowKey{split: split, dim: DimSection, value: kind, kind: f.Kind}, decoders).False[i]++
		}
	}
}
