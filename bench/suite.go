package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dtmfkit/dtmf/internal/keypad"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

// category is one test category of the suite: its name (as in
// [Options.Categories] and the report), whether it needs the speech corpus,
// and what it runs. Each family of categories lives in a file of its own
// (suite_tones.go, suite_timing.go, ...).
type category struct {
	name   string
	corpus bool
	run    func(*runner) error
}

// categories is the suite, in report order: the one list Run, Categories
// and the option check read.
var categories = []category{
	{name: "keys", run: (*runner).keys},
	{name: "frequency", run: (*runner).frequency},
	{name: "twist", run: (*runner).twist},
	{name: "level", run: (*runner).level},
	{name: "length", run: (*runner).length},
	{name: "pause", run: (*runner).pause},
	{name: "interruption", run: (*runner).interruption},
	{name: "noise", run: (*runner).noise},
	{name: "duration", run: (*runner).duration},
	{name: "talkoff-speech", corpus: true, run: (*runner).talkoffSpeech},
	{name: "talkoff-tones", run: (*runner).talkoffTones},
	{name: "talkdown", corpus: true, run: (*runner).talkdown},
	{name: "codec", run: (*runner).codec},
	{name: "region", run: (*runner).region},
}

// Categories returns the names of the suite's test categories in report
// order; any subset can be chosen with [Options.Categories]. The slice is
// new on each call.
func Categories() []string {
	names := make([]string, len(categories))
	for i, c := range categories {
		names[i] = c.name
	}
	return names
}

// DefaultCorpus is where Debian's asterisk-core-sounds-en-wav package
// installs the Allison voice prompts (8 kHz, 16-bit mono): the speech the
// talk-off and talk-down categories use.
const DefaultCorpus = "/usr/share/asterisk/sounds/en_US_f_Allison"

// Options configures an accuracy run.
type Options struct {
	// SampleRate of the test signals [Hz]; 8000 if zero.
	SampleRate int `json:"sample_rate"`
	// Seed is the run seed every trial's seed is derived from; 1 if zero.
	Seed uint64 `json:"seed"`
	// Quick runs the fast subset: a few trials per check and no sweeps, so
	// that edges and the accept region are not measured.
	Quick bool `json:"quick"`
	// Scale multiplies the number of trials per point of every category
	// (not the sweep steps), e.g. 10 for a soak of the native detector that
	// finds rare failures; 1 if zero.
	Scale float64 `json:"scale,omitempty"`
	// Corpus is the speech directory for talk-off and talk-down;
	// [DefaultCorpus] if empty.
	Corpus string `json:"corpus"`
	// Categories to run (see [Categories]); all if empty.
	Categories []string `json:"categories,omitempty"`
	// Workers is how many points are built and decoded at once;
	// runtime.GOMAXPROCS if zero.
	Workers int `json:"-"`
	// Progress, if set, receives one line per finished category.
	Progress io.Writer `json:"-"`
}

// size is a number of trials per point, or of sweep steps, in the full run
// and in the quick subset; 0 skips what it sizes (the quick subset has no
// sweeps). Each category family declares its own.
type size struct{ full, quick int }

// choice is a parameter list of a category in the full run and the quick
// subset.
type choice[T any] struct{ full, quick T }

// pick returns c's value for the run.
func pick[T any](r *runner, c choice[T]) T {
	if r.opts.Quick {
		return c.quick
	}
	return c.full
}

// n returns s for the run, multiplied by [Options.Scale].
func (r *runner) n(s size) int {
	n := s.full
	if r.opts.Quick {
		n = s.quick
	}
	if r.opts.Scale > 0 {
		n = scaled(n, r.opts.Scale)
	}
	return n
}

// scaled multiplies a trial count n by f, rounding, keeping at least one
// trial (and none if n is 0).
func scaled(n int, f float64) int {
	if n <= 0 {
		return n
	}
	return max(1, int(math.Round(float64(n)*f)))
}

// steps returns from, from±step, ... up to and including to.
func steps(from, to, step float64) []float64 {
	var xs []float64
	n := int(math.Round(math.Abs(to-from)/step)) + 1
	sign := 1.0
	if to < from {
		sign = -1
	}
	for i := range n {
		xs = append(xs, math.Round((from+sign*float64(i)*step)*1e6)/1e6)
	}
	return xs
}

// index returns 0, 1, ..., n-1 as float64 parameter values.
func index(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

// runner holds one run's state.
type runner struct {
	ctx         context.Context
	opts        Options
	decoders    []Decoder
	workers     int
	rep         *Report
	corpus      []siggen.Recording
	keepPresses bool
}

// Run runs the accuracy suite (see [Categories]) with every decoder on
// identical signals and returns the report. It fails if a decoder fails, a
// category needing the speech corpus cannot load it (error wrapping
// [ErrCorpus]), or ctx is done; invalid options fail with an error wrapping
// [ErrOptions]. Failing checks are results, not errors. Run is safe for
// concurrent use if the decoders are.
func Run(ctx context.Context, opts Options, decoders ...Decoder) (*Report, error) {
	if opts.SampleRate == 0 {
		opts.SampleRate = 8000
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Corpus == "" {
		opts.Corpus = DefaultCorpus
	}
	if opts.SampleRate < 8000 || opts.SampleRate > 48000 {
		return nil, fmt.Errorf("%w: sample rate %d, want 8000 to 48000 Hz", ErrOptions, opts.SampleRate)
	}
	if len(decoders) == 0 {
		return nil, fmt.Errorf("%w: no decoder", ErrOptions)
	}
	names := make([]string, len(decoders))
	for i, d := range decoders {
		names[i] = d.Name()
		if slices.Contains(names[:i], names[i]) {
			return nil, fmt.Errorf("%w: two decoders named %q", ErrOptions, names[i])
		}
	}
	all := Categories()
	for _, c := range opts.Categories {
		if !slices.Contains(all, c) {
			return nil, fmt.Errorf("%w: unknown category %q, want one of %s", ErrOptions, c, strings.Join(all, ", "))
		}
	}
	if opts.Scale < 0 || opts.Scale > 1000 || math.IsNaN(opts.Scale) {
		return nil, fmt.Errorf("%w: scale %g, want 0 to 1000", ErrOptions, opts.Scale)
	}
	r := &runner{
		ctx: ctx, opts: opts, decoders: decoders, workers: opts.Workers,
		rep: &Report{Machine: thisMachine(), Options: opts, Decoders: names},
	}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	for _, c := range categories {
		if len(opts.Categories) > 0 && !slices.Contains(opts.Categories, c.name) {
			continue
		}
		t0 := time.Now()
		if c.corpus {
			if err := r.loadCorpus(); err != nil {
				return nil, err
			}
		}
		if err := c.run(r); err != nil {
			return nil, err
		}
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "%-15s %6.1f s\n", c.name, time.Since(t0).Seconds())
		}
	}
	r.rep.ElapsedS = math.Round(time.Since(start).Seconds()*10) / 10
	return r.rep, nil
}

// loadCorpus loads the speech corpus once per run.
func (r *runner) loadCorpus() error {
	if r.corpus != nil {
		return nil
	}
	c, err := siggen.LoadCorpus(r.opts.Corpus, r.opts.SampleRate)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorpus, err)
	}
	r.corpus = c
	return nil
}

// ms converts samples to milliseconds at the run's rate.
func (r *runner) ms(n int) float64 { return float64(n) * 1000 / float64(r.opts.SampleRate) }

// lead draws a leading silence of 100 ms plus 0 to 40 ms at sample
// resolution, so that onsets fall anywhere relative to a detector's blocks.
func (r *runner) lead(rng *rand.Rand) float64 {
	return 100 + r.ms(rng.IntN(r.opts.SampleRate*40/1000))
}

// spec returns the base trial: one 100 ms press of digit at -10 dBm0 per
// tone, random onset, 200 ms of silence after.
func (r *runner) spec(seed uint64, rng *rand.Rand, digit byte) siggen.Spec {
	return siggen.Spec{
		SampleRate: r.opts.SampleRate, Seed: seed, Digits: string(digit),
		ToneMS: 100, LeadMS: r.lead(rng), TrailMS: 200, LowLevel: -10, HighLevel: -10,
	}
}

// specTrial builds s into a trial that must report want (alt: the other
// outcome a sweep tells apart).
func specTrial(s siggen.Spec, want, alt string) (trial, error) {
	sig, err := s.Build()
	if err != nil {
		return trial{}, err
	}
	return trial{PCM: sig.PCM, Truth: sig.Presses, Want: want, Alt: alt, Repro: s.Command("t.wav")}, nil
}

// key returns the key of low-group row and high-group column.
func key(row, col int) byte { return keypad.Keys[4*row+col] }

// specGen builds the signal of trial i at parameter value x; seed is the
// trial's own seed and rng a generator seeded from it.
type specGen func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec

// acceptReject runs n trials at each x of xs, built by spec, under the seed
// key, and appends the pass/fail row cat/name: with accept every trial must
// be decoded as exactly its digits, without it every trial must be
// rejected (no digit at all).
func (r *runner) acceptReject(key string, xs []float64, n int, accept bool, cat, name, floor string, spec specGen) error {
	pts, err := r.eval(key, xs, n, func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error) {
		s := spec(x, i, seed, rng)
		want := ""
		if accept {
			want = s.Digits
		}
		return specTrial(s, want, "")
	})
	if err != nil {
		return err
	}
	r.check(cat, name, floor, pts)
	return nil
}

// sweep runs n trials at each x of xs (easiest first), built by spec, under
// the seed key, each to be decoded as its digits, alt(s) being the other
// outcome the sweep tells apart ("" if alt is nil: rejected). It appends
// the measured edge e and returns the points, for a [runner.wrongCheck].
func (r *runner) sweep(key string, xs []float64, n int, e Edge, alt func(siggen.Spec) string, spec specGen) ([][]point, error) {
	pts, err := r.eval(key, xs, n, func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error) {
		s := spec(x, i, seed, rng)
		a := ""
		if alt != nil {
			a = alt(s)
		}
		return specTrial(s, s.Digits, a)
	})
	if err != nil {
		return nil, err
	}
	r.edge(e, pts)
	return pts, nil
}

// check appends a pass/fail row whose per-decoder points are pts: a decoder
// passes if every trial was Correct.
func (r *runner) check(cat, name, floor string, pts [][]point) {
	c := Check{Category: cat, Name: name, Floor: floor}
	for d, ps := range pts {
		t := total(ps)
		res := CheckResult{Decoder: r.rep.Decoders[d], Passed: t.Correct, Total: t.Trials, Status: StatusPass, Failures: t.Failures}
		if t.Correct != t.Trials {
			res.Status = StatusFail
		}
		c.Results = append(c.Results, res)
	}
	r.rep.Checks = append(r.rep.Checks, c)
}

// wrongCheck appends a check that no decoder reported a key other than the
// one pressed over all the given sweeps (pts[sweep][decoder][point]).
func (r *runner) wrongCheck(cat, name string, sweeps [][][]point) {
	c := Check{Category: cat, Name: name, Floor: "never a key other than the one pressed"}
	for d, dec := range r.rep.Decoders {
		res := CheckResult{Decoder: dec, Status: StatusPass}
		for _, sw := range sweeps {
			t := total(sw[d])
			res.Total += t.Trials
			res.Passed += t.Trials - t.WrongTrials
			for _, f := range t.WrongFailures {
				if len(res.Failures) < maxFailures {
					res.Failures = append(res.Failures, f)
				}
			}
		}
		if res.Passed != res.Total {
			res.Status = StatusFail
		}
		c.Results = append(c.Results, res)
	}
	r.rep.Checks = append(r.rep.Checks, c)
}

// edge appends a measured boundary from sweep points ordered easiest first.
func (r *runner) edge(e Edge, pts [][]point) {
	for d, ps := range pts {
		a, j := edges(ps)
		e.Values = append(e.Values, EdgeValue{Decoder: r.rep.Decoders[d], Accept: Num(a), Reject: Num(j)})
	}
	r.rep.Edges = append(r.rep.Edges, e)
}

// curve appends c with one series per decoder: the share of digits found
// at each point.
func (r *runner) curve(c Curve, pts [][]point) {
	for d, ps := range pts {
		s := Series{Decoder: r.rep.Decoders[d]}
		for _, q := range ps {
			s.Points = append(s.Points, CurvePoint{X: q.X, Y: Num(q.Rate()), Trials: q.Trials, Extra: q.Extra})
		}
		c.Series = append(c.Series, s)
	}
	r.rep.Curves = append(r.rep.Curves, c)
}

func (r *runner) metric(cat, name, unit string, values []MetricValue) {
	r.rep.Metrics = append(r.rep.Metrics, Metric{Category: cat, Name: name, Unit: unit, Values: values})
}

// durationLimit is the largest duration_ms error accepted [ms] (the
// project's promise, within a 5 ms analysis block).
const durationLimit = 3

// durationResult is decoder's row of a duration check over the trials t:
// every correctly decoded single press must have its duration_ms within
// ±durationLimit; n/a if the decoder reports no durations.
func durationResult(decoder string, t point) CheckResult {
	res := CheckResult{Decoder: decoder, Total: t.Trials}
	res.Passed, res.Failures = within(t.DurationErr, t.DurationRepro, t.Failures, "duration within ±3 ms",
		func(e float64) bool { return math.Abs(e) <= durationLimit }, func(e float64) string { return fmt.Sprintf("duration error %+.1f ms", e) })
	res.Status = verdict(res.Passed, res.Total, len(t.DurationErr))
	if m, w := meanWorst(t.DurationErr); len(t.DurationErr) > 0 {
		res.Measured = fmt.Sprintf("mean %+.2f ms, worst %+.1f ms", m, w)
	}
	return res
}

// verdict is pass if all n trials passed, n/a if the decoder reported no
// measurement at all.
func verdict(passed, n, measured int) string {
	switch {
	case measured == 0:
		return StatusNA
	case passed == n:
		return StatusPass
	}
	return StatusFail
}

// meanWorst returns the mean and the value of largest magnitude, NaN for
// none.
func meanWorst(v []float64) (mean, worst float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	var s float64
	for _, x := range v {
		s += x
		if math.Abs(x) > math.Abs(worst) {
			worst = x
		}
	}
	return s / float64(len(v)), worst
}

// nanMin and nanMax propagate NaN (an edge not found anywhere stays unknown).
func nanMin(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return math.Min(a, b)
}

func nanMax(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return math.Max(a, b)
}
