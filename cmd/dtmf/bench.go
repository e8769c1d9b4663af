package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/dtmfkit/dtmf/bench"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

const benchUsage = `usage: dtmf bench accuracy [flags]
       dtmf bench speed [flags] FILE

accuracy runs the receiver test suite (ITU-T Q.24, ETSI ES 201 235-3, the
classic test tape) on this module's detector and on any external decoder,
on identical signals, and prints a Markdown table. Run
"dtmf bench accuracy -h" for its flags.

speed times the detector in-process over FILE (a WAV file, or raw s16le
mono) and prints one JSON line. Run "dtmf bench speed -h" for its flags.
`

// runBench implements dtmf bench.
func runBench(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, benchUsage)
		return 2
	}
	switch args[0] {
	case "accuracy":
		return runBenchAccuracy(args[1:], stdout, stderr)
	case "speed":
		return runBenchSpeed(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, benchUsage)
		return 0
	}
	fmt.Fprintf(stderr, "dtmf bench: unknown benchmark %q\n%s", args[0], benchUsage)
	return 2
}

const accuracyUsage = `usage: dtmf bench accuracy [flags]

Runs the accuracy suite and prints the report (Markdown) on stdout; with
--out DIR it also writes DIR/accuracy.md, DIR/summary.md (the headline
tables) and DIR/accuracy.json there. The plots are drawn from
accuracy.json by a command of their own, which also links them into
DIR/accuracy.md:

  go run ./cmd/dtmf-plot DIR

Categories: all 16 keys; frequency tolerance (accept ±(1.5 % + 2 Hz), reject
±3.5 %, and a sweep per tone for the actual edges); twist; levels; tone and
pause length; interruptions; noise (digits found vs SNR); duration_ms and
key-down latency; talk-off on speech (every prompt of
asterisk-core-sounds-en-wav) and on dial, ringback, busy, 1004 Hz, fax CNG
and CED tones; talk-down (digits under speech); G.711 µ-law and A-law; the
accept region over frequency offset × twist. Every trial has its own seed;
a failing trial is listed with the "dtmf gen" command that rebuilds it.

--decoder adds an external decoder: a command that takes a WAV file path
(appended, or in place of {}) and prints one JSON object per key press with
"digit" and, if it measures them, "duration_ms", "offset_ms" (any time
inside the press, ms from the file start: lets a batch of signals share one
file) and "detected_ms" (when key-down was known). Repeat it to compare
several. The repository carries wrappers for spandsp and multimon-ng in
bench/peers (see bench/peers/README.md; they need gcc, libspandsp-dev,
multimon-ng and sox); from the repository's root:

  dtmf bench accuracy --out /tmp/results \
    --decoder 'spandsp=bench/peers/spandsp-dtmf' \
    --decoder 'multimon-ng=bench/peers/multimon-dtmf'

Exit status: 0 when the report was made (whatever it says; see --strict),
1 if a decoder or the corpus failed, 2 for a usage error.

Flags:
`

// decoderFlags collects repeated --decoder values.
type decoderFlags []string

func (d *decoderFlags) String() string     { return strings.Join(*d, "; ") }
func (d *decoderFlags) Set(s string) error { *d = append(*d, s); return nil }

func runBenchAccuracy(args []string, stdout, stderr io.Writer) int {
	var (
		opts     bench.Options
		decoders decoderFlags
		profiles decoderFlags
		noNative bool
		out      string
		cats     string
		strict   bool
		progress bool
	)
	fset := flag.NewFlagSet("dtmf bench accuracy", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.Var(&decoders, "decoder", "external decoder `NAME=CMD` (or just CMD); repeatable")
	fset.BoolVar(&noNative, "no-native", false, "do not run this module's detector (external decoders only)")
	fset.Var(&profiles, "profile", "also run this module's detector with a named profile (talkoff, sensitive), labelled dtmf-NAME; repeatable")
	fset.BoolVar(&opts.Quick, "quick", false, "the fast subset: few trials per check, no sweeps")
	fset.Uint64Var(&opts.Seed, "seed", 1, "run seed; every trial's seed is derived from it")
	fset.Float64Var(&opts.Scale, "scale", 1, "multiply the trials per point (e.g. 10 for a soak that finds rare failures)")
	fset.IntVar(&opts.SampleRate, "rate", 8000, "sample rate of the test signals [Hz], 8000 to 48000")
	fset.StringVar(&opts.Corpus, "corpus", bench.DefaultCorpus, "speech directory for talk-off and talk-down (*.wav, recursively)")
	fset.StringVar(&cats, "categories", "", "comma-separated categories to run (default all): "+strings.Join(bench.Categories(), ","))
	fset.StringVar(&out, "out", "", "also write accuracy.md, summary.md and accuracy.json into this directory (plots: go run ./cmd/dtmf-plot DIR)")
	fset.IntVar(&opts.Workers, "workers", 0, "points built and decoded at once (default GOMAXPROCS)")
	fset.BoolVar(&strict, "strict", false, "exit 3 if the first decoder fails any check")
	fset.BoolVar(&progress, "progress", false, "print each category's time on stderr")
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "dtmf bench accuracy: "+format+"\n", a...)
		return code
	}
	err := fset.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, accuracyUsage, fset)
		return 0
	}
	if err != nil {
		return fail(2, "%v (run \"dtmf bench accuracy -h\" for usage)", err)
	}
	if fset.NArg() > 0 {
		return fail(2, "unexpected argument %q (run \"dtmf bench accuracy -h\" for usage)", fset.Arg(0))
	}
	if cats != "" {
		opts.Categories = strings.Split(cats, ",")
	}
	if progress {
		opts.Progress = stderr
	}
	var decs []bench.Decoder
	if !noNative {
		decs = append(decs, bench.NewNative())
	}
	for _, name := range profiles {
		p, err := detector.ParseProfile(name)
		if err != nil {
			return fail(2, "--profile: %v", err)
		}
		n := bench.NewNative()
		n.Label, n.Config = "dtmf-"+p.String(), p.Config()
		decs = append(decs, n)
	}
	for _, d := range decoders {
		c, err := bench.ParseCommand(d)
		if err != nil {
			return fail(2, "--decoder: %v", err)
		}
		decs = append(decs, c)
	}
	if len(decs) == 0 {
		return fail(2, "--no-native needs at least one --decoder")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := bench.Run(ctx, opts, decs...)
	if errors.Is(err, bench.ErrOptions) {
		return fail(2, "%v", err)
	}
	if err != nil {
		return fail(1, "%v", err)
	}
	rep.Command = benchCommandLine("accuracy", args)
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return fail(1, "%v", err)
		}
		b, err := json.MarshalIndent(rep, "", " ")
		if err != nil {
			return fail(1, "%v", err)
		}
		if err := os.WriteFile(filepath.Join(out, "accuracy.json"), append(b, '\n'), 0o644); err != nil {
			return fail(1, "%v", err)
		}
	}
	md := rep.Markdown()
	if out != "" {
		if err := os.WriteFile(filepath.Join(out, "accuracy.md"), []byte(md), 0o644); err != nil {
			return fail(1, "%v", err)
		}
		if err := os.WriteFile(filepath.Join(out, "summary.md"), []byte(rep.Summary()), 0o644); err != nil {
			return fail(1, "%v", err)
		}
	}
	if _, err := io.WriteString(stdout, md); err != nil {
		return fail(1, "writing output: %v", err)
	}
	if strict && len(rep.Failed(rep.Decoders[0])) > 0 {
		return 3
	}
	return 0
}

// benchCommandLine reconstructs the command for the report, quoting
// arguments with spaces.
func benchCommandLine(sub string, args []string) string {
	parts := []string{"dtmf", "bench", sub}
	for _, a := range args {
		if strings.ContainsAny(a, " '\"$*?") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

const speedUsage = `usage: dtmf bench speed [flags] FILE

Loads FILE into memory (a WAV file, mixed to mono; or raw s16le mono at
--rate) and runs a detector over it --repeat times, each pass from a fresh
state, in --frame sample calls, timed in-process. Prints one JSON line:

  samples            samples per pass
  seconds            time of all passes [s]
  ns_per_sample      over all passes; best_ns_per_sample: fastest pass
  channels_per_core  real-time channels one core can carry
  allocations        fewest heap allocations in one pass (the counter is
                     process-wide; allocations_total: all passes)
  digits             key presses found per pass
  detector_bytes     memory one channel's detector owns

--pipeline times detector + digit collector (a collection always running)
+ JSON encoding of every event, as a media server runs them.

Compare with spandsp on the same file (from the repository's root; the
1-hour speech + DTMF file is made by bench/peers/make_long.sh, and
bench/compare.sh runs the whole comparison):
  bench/peers/make_long.sh long.raw
  dtmf bench speed --repeat 10 long.raw
  bench/peers/spandsp-dtmf --bench 10 long.raw

Flags:
`

func runBenchSpeed(args []string, stdout, stderr io.Writer) int {
	var o bench.SpeedOptions
	fset := flag.NewFlagSet("dtmf bench speed", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.IntVar(&o.Repeat, "repeat", 10, "timed passes over the file")
	fset.IntVar(&o.Frame, "frame", 160, "samples per detector call")
	fset.BoolVar(&o.Pipeline, "pipeline", false, "time detector + collector + event encoding")
	fset.IntVar(&o.SampleRate, "rate", 8000, "sample rate of a raw FILE [Hz] (a WAV file's header gives its own)")
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "dtmf bench speed: "+format+"\n", a...)
		return code
	}
	err := fset.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, speedUsage, fset)
		return 0
	}
	if err != nil {
		return fail(2, "%v (run \"dtmf bench speed -h\" for usage)", err)
	}
	if fset.NArg() != 1 {
		return fail(2, "want one FILE, got %d (run \"dtmf bench speed -h\" for usage)", fset.NArg())
	}
	if o.SampleRate < 8000 || o.SampleRate > 48000 {
		return fail(2, "--rate %d: want 8000 to 48000 Hz", o.SampleRate)
	}
	pcm, rate, err := siggen.ReadAudioRate(fset.Arg(0), o.SampleRate)
	if err != nil {
		return fail(1, "%v", err)
	}
	o.SampleRate = rate
	res, err := bench.Speed(pcm, o)
	if errors.Is(err, bench.ErrOptions) {
		return fail(2, "%v", err)
	}
	if err != nil {
		return fail(1, "%v", err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return fail(1, "%v", err)
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", b); err != nil {
		return fail(1, "writing output: %v", err)
	}
	return 0
}
