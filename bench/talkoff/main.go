// Command talkoff counts the false digits of this module's detector and of
// the peer decoders on the talk-off corpus (bench/corpus):
//
//	go run ./bench/talkoff --corpus DIR [--decoders dtmf,spandsp,multimon-ng]
//	    [--split all|tuning|heldout] [--out DIR] [--jobs N] [--peers DIR]
//	    [--MinEnergyShare 0.8 ...]
//
// Every field of detector.Config has a flag of its own name (e.g.
// --MinEnergyShare, --MinToneDuration 30ms) that overrides the default for
// the in-process detector. The report goes to DIR/talkoff.md and
// DIR/talkoff.json (default: the current directory); a summary is printed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/talkoff"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "talkoff:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("talkoff", flag.ContinueOnError)
	def := os.Getenv("DTMF_CORPUS")
	if def == "" {
		home, _ := os.UserHomeDir()
		def = filepath.Join(home, ".cache", "dtmf-corpus")
	}
	corpus := fs.String("corpus", def, "corpus directory (with manifest.json), built by bench/corpus/build.sh")
	decoders := fs.String("decoders", "dtmf,spandsp,multimon-ng", "comma-separated decoders: dtmf, spandsp, multimon-ng")
	split := fs.String("split", "all", "files to decode: all, tuning or heldout")
	out := fs.String("out", ".", "directory for talkoff.md and talkoff.json")
	jobs := fs.Int("jobs", 0, "files decoded at once (default GOMAXPROCS)")
	peers := fs.String("peers", "bench/peers", "directory of the peer drivers")
	only := fs.String("only", "", "decode only files whose path contains this")
	profile := fs.String("profile", "balanced", "start from this detector.Profile (balanced, talkoff, sensitive); the Config-field flags override it")
	cfg := detector.DefaultConfig()
	changed := configFlags(fs, &cfg)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// The profile's thresholds, with the Config-field flags given on top.
	p, err := detector.ParseProfile(*profile)
	if err != nil {
		return err
	}
	cfg = withFields(p.Config(), cfg, changed())
	if err := cfg.Validate(); err != nil {
		return err
	}
	m, err := talkoff.ReadManifest(filepath.Join(*corpus, talkoff.ManifestName))
	if err != nil {
		return fmt.Errorf("%w (build the corpus with bench/corpus/build.sh)", err)
	}
	if *only != "" {
		var keep []talkoff.File
		for _, f := range m.Files {
			if strings.Contains(f.Path, *only) {
				keep = append(keep, f)
			}
		}
		m.Files = keep
	}
	var decs []talkoff.Decoder
	for _, name := range strings.Split(*decoders, ",") {
		switch strings.TrimSpace(name) {
		case "dtmf":
			decs = append(decs, &talkoff.Native{Config: cfg})
		case "spandsp":
			decs = append(decs, &talkoff.Command{Label: "spandsp", Argv: []string{filepath.Join(*peers, "spandsp-dtmf")}})
		case "multimon-ng":
			decs = append(decs, &talkoff.Command{Label: "multimon-ng", Argv: []string{filepath.Join(*peers, "multimon-dtmf")}})
		default:
			return fmt.Errorf("--decoders: unknown decoder %q: want dtmf, spandsp or multimon-ng", name)
		}
	}
	for _, d := range decs {
		if c, ok := d.(*talkoff.Command); ok {
			if _, err := os.Stat(c.Argv[0]); err != nil {
				return fmt.Errorf("%s: %w (run from the repository root or set --peers)", c.Label, err)
			}
		}
	}
	sp := *split
	switch sp {
	case "all":
		sp = ""
	case talkoff.SplitTuning, talkoff.SplitHeldOut:
	default:
		return fmt.Errorf("--split %q: want all, tuning or heldout", sp)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := talkoff.Run(ctx, *corpus, m, decs, talkoff.Options{Jobs: *jobs, Split: sp, Progress: os.Stderr})
	if err != nil {
		return err
	}
	settings := map[string]string{"detector config": fmt.Sprintf("%+v", cfg), "profile": *profile}
	if set := changed(); len(set) > 0 {
		settings["detector overrides"] = strings.Join(set, " ")
	}
	rep := talkoff.NewReport(res, "go run ./bench/talkoff "+strings.Join(args, " "), settings)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, w := range []struct {
		name  string
		write func(f *os.File) error
	}{
		{"talkoff.md", func(f *os.File) error { return rep.WriteMarkdown(f) }},
		{"talkoff.json", func(f *os.File) error { return rep.WriteJSON(f) }},
	} {
		f, err := os.Create(filepath.Join(*out, w.name))
		if err != nil {
			return err
		}
		if err := w.write(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if r.Dimension != talkoff.DimAll && r.Dimension != talkoff.DimKind {
			continue
		}
		fmt.Printf("%-8s %-7s %7.2f h", r.Split, r.Value, r.Hours)
		for k, d := range rep.Decoders {
			fmt.Printf("  %s %d (%.2f/h)", d, r.False[k], r.PerHour(k))
		}
		fmt.Println()
	}
	fmt.Fprintf(os.Stderr, "talkoff: wrote %s and %s in %s\n", filepath.Join(*out, "talkoff.md"),
		filepath.Join(*out, "talkoff.json"), res.Elapsed.Round(time.Second))
	return nil
}

// configFlags defines one flag per exported field of *cfg, named as the
// field, for the kinds detector.Config uses (float64, int, bool,
// time.Duration), so that fields added later get flags too. The returned
// function lists, after parsing, the "Name=value" the command line set.
// withFields returns base with the fields named in set ("Name=value", as
// configFlags' changed returns them) taken from from.
func withFields(base, from detector.Config, set []string) detector.Config {
	b, f := reflect.ValueOf(&base).Elem(), reflect.ValueOf(from)
	for _, kv := range set {
		name, _, _ := strings.Cut(kv, "=")
		b.FieldByName(name).Set(f.FieldByName(name))
	}
	return base
}

func configFlags(fs *flag.FlagSet, cfg *detector.Config) func() []string {
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	durType := reflect.TypeFor[time.Duration]()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "SampleRate" {
			continue // the corpus is 8000 Hz
		}
		fv := v.Field(i)
		usage := "detector.Config." + f.Name
		switch {
		case f.Type == durType:
			fs.DurationVar(fv.Addr().Interface().(*time.Duration), f.Name, time.Duration(fv.Int()), usage)
		case f.Type.Kind() == reflect.Float64:
			fs.Float64Var(fv.Addr().Interface().(*float64), f.Name, fv.Float(), usage)
		case f.Type.Kind() == reflect.Int:
			fs.IntVar(fv.Addr().Interface().(*int), f.Name, int(fv.Int()), usage)
		case f.Type.Kind() == reflect.Bool:
			fs.BoolVar(fv.Addr().Interface().(*bool), f.Name, fv.Bool(), usage)
		}
	}
	return func() []string {
		var set []string
		fs.Visit(func(fl *flag.Flag) {
			if _, ok := t.FieldByName(fl.Name); ok {
				set = append(set, fl.Name+"="+fl.Value.String())
			}
		})
		return set
	}
}
