package main

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/dtmfkit/dtmf/internal/talkoff"
)

// summary prints hours of material (each item counted once, at -15 dBm0
// clean) per kind, genre or language, and split, and the total of all files.
func summary(w io.Writer, m *talkoff.Manifest, took time.Duration) {
	type key struct{ a, b string }
	hours := map[key]float64{}
	var all, items float64
	for _, f := range m.Files {
		all += f.DurationS / 3600
		if f.Codec != talkoff.CodecPCM || f.LevelDBm0 != levels[0] {
			continue
		}
		items += f.DurationS / 3600
		sub := f.Genre
		if f.Kind == talkoff.KindSpeech {
			sub = f.Language
		}
		for _, k := range []key{{f.Kind, ""}, {f.Kind, sub}, {f.Kind, "split " + f.Split}, {"source " + f.Source, f.Split}} {
			hours[k] += f.DurationS / 3600
		}
	}
	keys := make([]key, 0, len(hours))
	for k := range hours {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].a != keys[j].a {
			return keys[i].a < keys[j].a
		}
		return keys[i].b < keys[j].b
	})
	fmt.Fprintf(w, "corpus: %.2f h of material, %d files, %.2f h in all (2 levels x 3 codecs), built in %s\n",
		items, len(m.Files), all, took.Round(time.Second))
	for _, k := range keys {
		fmt.Fprintf(w, "  %-48s %-14s %6.2f h\n", k.a, k.b, hours[k])
	}
}
