package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dtmfkit/dtmf/internal/keypad"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// Categories lists the suite's test categories in report order; any subset
// can be chosen with [Options.Categories].
var Categories = []string{
	"keys", "frequency", "twist", "level", "length", "pause", "interruption",
	"noise", "duration", "talkoff-speech", "talkoff-tones", "talkdown", "codec", "region",
}

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

// plan sizes a run: trials per point and sweep steps. A zero sweep count
// skips the sweep.
type plan struct {
	keys                              int
	freq, freqSweep                   int
	freqStep                          float64
	twist, twistSweep                 int
	twistStep                         float64
	level, levelSweep                 int
	levelStep                         float64
	length, lengthSweep               int
	lengthStep                        float64
	pause, pauseSweep                 int
	pauseStep                         float64
	gap, gapSweep                     int
	noise, noiseClean                 int
	snrs                              []float64
	dur                               int
	durLengths                        []float64
	tones                             int
	speechGains                       []float64
	talkdown                          int
	strs                              []float64
	codec                             int
	region                            int
	regionOffsetStep, regionTwistStep float64
}

func fullPlan() plan {
	return plan{
		keys: 20,
		freq: 8, freqSweep: 8, freqStep: 0.05,
		twist: 4, twistSweep: 16, twistStep: 0.25,
		level: 4, levelSweep: 16, levelStep: 0.5,
		length: 8, lengthSweep: 16, lengthStep: 0.5,
		pause: 8, pauseSweep: 16, pauseStep: 1,
		gap: 8, gapSweep: 16,
		noise: 8, noiseClean: 32, snrs: steps(30, -3, 1),
		dur:         2,
		durLengths:  []float64{40, 45, 50, 60, 70, 80, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10000},
		tones:       3,
		speechGains: []float64{0, 6, -12},
		talkdown:    8, strs: steps(-10, 20, 2.5),
		codec:  4,
		region: 2, regionOffsetStep: 0.25, regionTwistStep: 1,
	}
}

func quickPlan() plan {
	return plan{
		keys: 4, freq: 4, twist: 2, level: 2, length: 4, pause: 2, gap: 2,
		noise: 8, noiseClean: 16, snrs: []float64{10, 8},
		dur:         2,
		durLengths:  []float64{40, 50, 70, 100, 200, 1000, 10000},
		tones:       1,
		speechGains: []float64{0},
		talkdown:    8, strs: []float64{-10, 0},
		codec: 2,
	}
}

// scale multiplies every trial count by f (at least 1 trial).
func (p *plan) scale(f float64) {
	for _, n := range []*int{
		&p.keys, &p.freq, &p.freqSweep, &p.twist, &p.twistSweep, &p.level, &p.levelSweep,
		&p.length, &p.lengthSweep, &p.pause, &p.pauseSweep, &p.gap, &p.gapSweep,
		&p.noise, &p.noiseClean, &p.dur, &p.tones, &p.talkdown, &p.codec, &p.region,
	} {
		if *n > 0 {
			*n = max(1, int(math.Round(float64(*n)*f)))
		}
	}
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

// runner holds one run's state.
type runner struct {
	ctx         context.Context
	opts        Options
	plan        plan
	decoders    []Decoder
	workers     int
	rep         *Report
	corpus      []Recording
	keepPresses bool

	mu   sync.Mutex
	done int
}

// Run runs the accuracy suite (see [Categories]) with every decoder on
// identical signals and returns the report. It fails if a decoder fails, a
// category needing the speech corpus cannot load it (error wrapping
// [ErrCorpus]), or ctx is done. Failing checks are results, not errors.
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
	cats := opts.Categories
	if len(cats) == 0 {
		cats = Categories
	}
	for _, c := range cats {
		if !slices.Contains(Categories, c) {
			return nil, fmt.Errorf("%w: unknown category %q, want one of %s", ErrOptions, c, strings.Join(Categories, ", "))
		}
	}
	r := &runner{
		ctx: ctx, opts: opts, decoders: decoders, workers: opts.Workers,
		rep: &Report{Machine: ThisMachine(), Options: opts, Decoders: names},
	}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	r.plan = fullPlan()
	if opts.Quick {
		r.plan = quickPlan()
	}
	if opts.Scale < 0 || opts.Scale > 1000 || math.IsNaN(opts.Scale) {
		return nil, fmt.Errorf("%w: scale %g, want 0 to 1000", ErrOptions, opts.Scale)
	}
	if opts.Scale > 0 {
		r.plan.scale(opts.Scale)
	}
	start := time.Now()
	steps := map[string]func() error{
		"keys": r.keys, "frequency": r.frequency, "twist": r.twist, "level": r.level,
		"length": r.length, "pause": r.pause, "interruption": r.interruption,
		"noise": r.noise, "duration": r.duration, "talkoff-speech": r.talkoffSpeech,
		"talkoff-tones": r.talkoffTones, "talkdown": r.talkdown, "codec": r.codec,
		"region": r.region,
	}
	for _, c := range Categories {
		if !slices.Contains(cats, c) {
			continue
		}
		t0 := time.Now()
		if err := steps[c](); err != nil {
			return nil, err
		}
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "%-15s %6.1f s\n", c, time.Since(t0).Seconds())
		}
	}
	r.rep.ElapsedS = math.Round(time.Since(start).Seconds()*10) / 10
	return r.rep, nil
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
func (r *runner) spec(seed uint64, rng *rand.Rand, digit byte) Spec {
	return Spec{
		SampleRate: r.opts.SampleRate, Seed: seed, Digits: string(digit),
		ToneMS: 100, LeadMS: r.lead(rng), TrailMS: 200, LowLevel: -10, HighLevel: -10,
	}
}

// trial builds s into a trial that must report want (alt: the other
// outcome a sweep tells apart).
func trial(s Spec, want, alt string) (Trial, error) {
	sig, err := s.Build()
	if err != nil {
		return Trial{}, err
	}
	return Trial{PCM: sig.PCM, Truth: sig.Presses, Want: want, Alt: alt, Repro: s.Command("t.wav")}, nil
}

// key returns the key of low-group row and high-group column.
func key(row, col int) byte { return keypad.Keys[4*row+col] }

// check appends a pass/fail row whose per-decoder points are pts: a decoder
// passes if every trial was Correct.
func (r *runner) check(cat, name, floor string, pts [][]Point) {
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
func (r *runner) wrongCheck(cat, name string, sweeps [][][]Point) {
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
func (r *runner) edge(e Edge, pts [][]Point) {
	for d, ps := range pts {
		a, j := edges(ps)
		e.Values = append(e.Values, EdgeValue{Decoder: r.rep.Decoders[d], Accept: Num(a), Reject: Num(j)})
	}
	r.rep.Edges = append(r.rep.Edges, e)
}

func (r *runner) metric(cat, name, unit string, values []MetricValue) {
	r.rep.Metrics = append(r.rep.Metrics, Metric{Category: cat, Name: name, Unit: unit, Values: values})
}

// index returns 0, 1, ..., n-1 as float64 parameter values.
func index(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

func (r *runner) keys() error {
	pts, err := r.eval("keys", index(16), r.plan.keys, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		d := keypad.Keys[int(x)]
		return trial(r.spec(seed, rng, d), string(d), "")
	})
	if err != nil {
		return err
	}
	r.check("keys", "all 16 keys, 100 ms at -10 dBm0 per tone", "every press found, right digit, once", pts)
	return nil
}

// tones8 are the 8 DTMF frequencies, low group first.
var tones8 = keypad.Frequencies()

// offsetSpec is the base trial with tone k (0-7) shifted by off [%]; the
// other group's tone is chosen by i.
func (r *runner) offsetSpec(seed uint64, rng *rand.Rand, k, i int, off float64) Spec {
	var s Spec
	if k < 4 {
		s = r.spec(seed, rng, key(k, i%4))
		s.LowOffset = off
	} else {
		s = r.spec(seed, rng, key(i%4, k-4))
		s.HighOffset = off
	}
	return s
}

// acceptOffset is the deviation [%] Q.24 requires to be accepted at f:
// 1.5 % + 2 Hz.
func acceptOffset(f float64) float64 { return 1.5 + 200/f }

func (r *runner) frequency() error {
	p := r.plan
	// Conditions 0-15: tone c/2, sign by parity.
	cond := func(c int) (k int, sign float64) {
		if c%2 == 0 {
			return c / 2, -1
		}
		return c / 2, 1
	}
	for _, t := range []struct {
		name, floor string
		off         func(f float64) float64
		accept      bool
	}{
		{"each tone off by ±(1.5 % + 2 Hz)", "accepted (Q.24)", acceptOffset, true},
		{"each tone off by ±3.5 %", "rejected (Q.24)", func(float64) float64 { return 3.5 }, false},
	} {
		pts, err := r.eval("frequency/"+t.floor, index(16), p.freq, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			k, sign := cond(int(x))
			s := r.offsetSpec(seed, rng, k, i, sign*t.off(tones8[k]))
			want := ""
			if t.accept {
				want = s.Digits
			}
			return trial(s, want, "")
		})
		if err != nil {
			return err
		}
		r.check("frequency", t.name, t.floor, pts)
	}
	if p.freqSweep == 0 {
		return nil
	}
	xs := steps(1, 5, p.freqStep)
	var accept []EdgeValue
	var sweeps [][][]Point
	for k, f := range tones8 {
		for _, sign := range []float64{-1, 1} {
			cat := fmt.Sprintf("frequency/sweep/%d/%+g", k, sign)
			pts, err := r.eval(cat, xs, p.freqSweep, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
				s := r.offsetSpec(seed, rng, k, i, sign*x)
				return trial(s, s.Digits, "")
			})
			if err != nil {
				return err
			}
			sweeps = append(sweeps, pts)
			dir := "+"
			if sign < 0 {
				dir = "−"
			}
			r.edge(Edge{
				Category: "frequency", Name: fmt.Sprintf("%g Hz %s", f, dir), Unit: "%",
				AcceptLabel: "accepted up to", RejectLabel: "rejected at or above",
				Standard: fmt.Sprintf("accept ≤ %.2f, reject ≥ 3.5", acceptOffset(f)), Detail: true,
			}, pts)
			last := r.rep.Edges[len(r.rep.Edges)-1]
			for d, v := range last.Values {
				if len(accept) <= d {
					accept = append(accept, EdgeValue{Decoder: v.Decoder, Accept: Num(math.Inf(1)), Reject: Num(math.Inf(-1))})
				}
				accept[d].Accept = Num(nanMin(float64(accept[d].Accept), float64(v.Accept)))
				accept[d].Reject = Num(nanMax(float64(accept[d].Reject), float64(v.Reject)))
			}
		}
	}
	r.rep.Edges = append(r.rep.Edges, Edge{
		Category: "frequency", Name: "all 8 tones, both directions", Unit: "%",
		AcceptLabel: "all accepted up to", RejectLabel: "all rejected at or above",
		Standard: "accept ≤ 1.5 % + 2 Hz (1.62–1.79), reject ≥ 3.5", Values: accept,
	})
	r.wrongCheck("frequency", fmt.Sprintf("sweeps of each tone off by %g … %g %%", xs[0], xs[len(xs)-1]), sweeps)
	return nil
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

// twistSpec is the base trial of key k with the weaker tone tw dB below the
// stronger one (-10 dBm0): normal twist weakens the high tone.
func (r *runner) twistSpec(seed uint64, rng *rand.Rand, k int, tw float64, normal bool) Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	if normal {
		s.HighLevel = s.LowLevel - tw
	} else {
		s.LowLevel = s.HighLevel - tw
	}
	return s
}

func (r *runner) twist() error {
	p := r.plan
	for _, t := range []struct {
		name, floor string
		tw          float64
		normal      bool
		accept      bool
	}{
		{"normal twist 8 dB (high tone weaker)", "accepted (Q.24)", 8, true, true},
		{"reverse twist 4 dB (high tone stronger)", "accepted (Q.24)", 4, false, true},
		{"normal twist 10 dB", "rejected (limit + 2 dB)", 10, true, false},
		{"reverse twist 6 dB", "rejected (limit + 2 dB)", 6, false, false},
	} {
		pts, err := r.eval("twist/"+t.name, index(16), p.twist, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.twistSpec(seed, rng, int(x), t.tw, t.normal)
			want := ""
			if t.accept {
				want = s.Digits
			}
			return trial(s, want, "")
		})
		if err != nil {
			return err
		}
		r.check("twist", t.name, t.floor, pts)
	}
	if p.twistSweep == 0 {
		return nil
	}
	var sweeps [][][]Point
	for _, t := range []struct {
		name, std string
		normal    bool
		xs        []float64
	}{
		{"normal (high tone weaker)", "accept ≤ 8, reject ≥ 10", true, steps(4, 14, p.twistStep)},
		{"reverse (high tone stronger)", "accept ≤ 4, reject ≥ 6", false, steps(0, 10, p.twistStep)},
	} {
		pts, err := r.eval("twist/sweep/"+t.name, t.xs, p.twistSweep, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.twistSpec(seed, rng, i, x, t.normal)
			return trial(s, s.Digits, "")
		})
		if err != nil {
			return err
		}
		r.edge(Edge{Category: "twist", Name: t.name, Unit: "dB", AcceptLabel: "accepted up to", RejectLabel: "rejected at or above", Standard: t.std}, pts)
		sweeps = append(sweeps, pts)
	}
	r.wrongCheck("twist", "sweeps of normal twist 4 … 14 dB and reverse twist 0 … 10 dB", sweeps)
	return nil
}

func (r *runner) levelSpec(seed uint64, rng *rand.Rand, k int, level float64) Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	s.LowLevel, s.HighLevel = level, level
	return s
}

func (r *runner) level() error {
	p := r.plan
	acc := []float64{3, 0, -10, -20, -30, -36}
	for _, t := range []struct {
		name, floor string
		levels      []float64
		accept      bool
	}{
		{"levels +3, 0, -10, -20, -30, -36 dBm0 per tone", "accepted (Q.24; +3 and 0 dBm0 clip at 16 bits)", acc, true},
		{"level -42 dBm0 per tone", "rejected", []float64{-42}, false},
	} {
		pts, err := r.eval("level/"+t.name, index(16*len(t.levels)), p.level, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.levelSpec(seed, rng, int(x), t.levels[int(x)/16])
			want := ""
			if t.accept {
				want = s.Digits
			}
			return trial(s, want, "")
		})
		if err != nil {
			return err
		}
		r.check("level", t.name, t.floor, pts)
	}
	if p.levelSweep == 0 {
		return nil
	}
	var sweeps [][][]Point
	for _, t := range []struct {
		name, accept, reject, std string
		xs                        []float64
	}{
		{"lowest level", "accepted down to", "rejected at or below", "accept ≥ -36, reject ≤ -42", steps(-30, -50, p.levelStep)},
		{"highest level", "accepted up to", "rejected at or above", "accept ≤ +3", steps(-6, 6, p.levelStep)},
	} {
		pts, err := r.eval("level/sweep/"+t.name, t.xs, p.levelSweep, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.levelSpec(seed, rng, i, x)
			return trial(s, s.Digits, "")
		})
		if err != nil {
			return err
		}
		r.edge(Edge{Category: "level", Name: t.name + " (both tones)", Unit: "dBm0", AcceptLabel: t.accept, RejectLabel: t.reject, Standard: t.std}, pts)
		sweeps = append(sweeps, pts)
	}
	r.wrongCheck("level", "sweeps of -30 … -50 and -6 … +6 dBm0 per tone", sweeps)
	return nil
}

func (r *runner) lengthSpec(seed uint64, rng *rand.Rand, k int, ms float64) Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	s.ToneMS = ms
	return s
}

func (r *runner) length() error {
	p := r.plan
	for _, t := range []struct {
		name, floor string
		ms          float64
		accept      bool
	}{
		{"40 ms tones", "accepted (Q.24)", 40, true},
		{"23 ms tones", "rejected (Q.24)", 23, false},
	} {
		pts, err := r.eval("length/"+t.name, index(16), p.length, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.lengthSpec(seed, rng, int(x), t.ms)
			want := ""
			if t.accept {
				want = s.Digits
			}
			return trial(s, want, "")
		})
		if err != nil {
			return err
		}
		r.check("length", t.name, t.floor, pts)
	}
	if p.lengthSweep == 0 {
		return nil
	}
	pts, err := r.eval("length/sweep", steps(50, 15, p.lengthStep), p.lengthSweep, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		s := r.lengthSpec(seed, rng, i, x)
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	r.edge(Edge{Category: "length", Name: "tone length", Unit: "ms", AcceptLabel: "accepted down to", RejectLabel: "rejected at or below", Standard: "accept ≥ 40, reject ≤ 23"}, pts)
	return nil
}

// pauseSpec is digits pressed with 40 ms tones and pause ms pauses.
func (r *runner) pauseSpec(seed uint64, rng *rand.Rand, digits string, pause float64) Spec {
	s := r.spec(seed, rng, digits[0])
	s.Digits, s.ToneMS, s.PauseMS = digits, 40, pause
	return s
}

func (r *runner) pause() error {
	p := r.plan
	for _, t := range []struct {
		name   string
		digits func(k int) string
		n      int
	}{
		{"two presses of the same key, 40 ms on / 40 ms off", func(k int) string { return strings.Repeat(keypad.Keys[k:k+1], 2) }, 16},
		{`"5555" at 40 ms on / 40 ms off`, func(int) string { return "5555" }, 1},
		{`"1234567890*#ABCD" at 40 ms on / 40 ms off`, func(int) string { return "1234567890*#ABCD" }, 1},
	} {
		n := p.pause
		if t.n == 1 {
			n *= 16
		}
		pts, err := r.eval("pause/"+t.name, index(t.n), n, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.pauseSpec(seed, rng, t.digits(int(x)), 40)
			return trial(s, s.Digits, "")
		})
		if err != nil {
			return err
		}
		r.check("pause", t.name, "every press separate (Q.24)", pts)
	}
	if p.pauseSweep == 0 {
		return nil
	}
	pts, err := r.eval("pause/sweep", steps(50, 0, p.pauseStep), p.pauseSweep, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		d := keypad.Keys[i%16 : i%16+1]
		s := r.pauseSpec(seed, rng, d+d, x)
		return trial(s, s.Digits, d)
	})
	if err != nil {
		return err
	}
	r.edge(Edge{Category: "pause", Name: "pause between two 40 ms presses of a key", Unit: "ms", AcceptLabel: "separated down to", RejectLabel: "bridged at or below", Standard: "separate ≥ 40"}, pts)
	return nil
}

// gapSpec is a 200 ms press of key k interrupted for gap ms, starting 40
// to 60 ms into the tone: at least 80 ms of tone follow a gap of up to
// 60 ms, enough for a second press if the gap is not bridged.
func (r *runner) gapSpec(seed uint64, rng *rand.Rand, k int, gap float64) Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	s.ToneMS = 200
	if gap > 0 {
		s.Gaps = [][2]float64{{40 + r.ms(rng.IntN(r.opts.SampleRate*20/1000)), gap}}
	}
	return s
}

func (r *runner) interruption() error {
	p := r.plan
	gaps := []float64{5, 10, 15, 20}
	pts, err := r.eval("interruption", index(16*len(gaps)), p.gap, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		s := r.gapSpec(seed, rng, int(x), gaps[int(x)/16])
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	r.check("interruption", "200 ms tone interrupted for 5, 10, 15 or 20 ms", "one press (ES 201 235-3)", pts)
	if p.gapSweep == 0 {
		return nil
	}
	pts, err = r.eval("interruption/sweep", steps(0, 60, 1), p.gapSweep, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		s := r.gapSpec(seed, rng, i, x)
		return trial(s, s.Digits, s.Digits+s.Digits)
	})
	if err != nil {
		return err
	}
	r.edge(Edge{Category: "interruption", Name: "interruption inside a 200 ms tone", Unit: "ms", AcceptLabel: "bridged up to", RejectLabel: "split at or above", Standard: "bridge ≤ 20"}, pts)
	return nil
}

func (r *runner) noise() error {
	p := r.plan
	pts, err := r.eval("noise", p.snrs, 16*p.noise, func(x float64, i int, _ uint64, _ *rand.Rand) (Trial, error) {
		seed, rng := r.paired("noise", i)
		s := r.spec(seed, rng, keypad.Keys[i%16])
		s.ToneMS = 50
		snr := x
		s.SNR = &snr
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	// Well above the knee every digit must be found: a regression floor
	// (the standards set none), on many independent trials so that rare
	// misses show.
	clean, err := r.eval("noise/clean", steps(30, 12, 3), 16*p.noiseClean, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		s := r.spec(seed, rng, keypad.Keys[i%16])
		s.ToneMS = 50
		snr := x
		s.SNR = &snr
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	r.check("noise", "50 ms tones at -10 dBm0 per tone, SNR 30, 27, … 12 dB", "every digit found, no false digit (regression floor)", clean)
	c := Curve{Category: "noise", Name: "digits found vs SNR (50 ms tones at -10 dBm0 per tone, white noise)", XLabel: "SNR [dB]", YLabel: "digits found"}
	var snr99, found []MetricValue
	for d, ps := range pts {
		s := Series{Decoder: r.rep.Decoders[d]}
		sorted := append([]Point(nil), ps...)
		sort.Slice(sorted, func(a, b int) bool { return sorted[a].X > sorted[b].X })
		edge := math.NaN()
		for _, q := range sorted {
			if q.Rate() < 0.99 {
				break
			}
			edge = q.X
		}
		for _, q := range ps {
			s.Points = append(s.Points, CurvePoint{X: q.X, Y: Num(q.Rate()), Trials: q.Trials, Extra: q.Extra})
		}
		c.Series = append(c.Series, s)
		snr99 = append(snr99, MetricValue{Decoder: s.Decoder, Value: Num(edge)})
		t := total(ps)
		found = append(found, MetricValue{Decoder: s.Decoder, Value: Num(100 * t.Rate()), Note: fmt.Sprintf("%d/%d found, %d false over %g..%g dB", t.Found, t.Wanted, t.Extra, p.snrs[0], p.snrs[len(p.snrs)-1])})
	}
	r.rep.Curves = append(r.rep.Curves, c)
	r.metric("noise", "lowest SNR with ≥ 99 % of digits found (and at every higher SNR tested)", "dB", snr99)
	r.metric("noise", "digits found over the whole sweep", "%", found)
	return nil
}

func (r *runner) duration() error {
	p := r.plan
	lens := p.durLengths
	pts, err := r.eval("duration", lens, 16*p.dur, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		s := r.spec(seed, rng, keypad.Keys[i%16])
		s.ToneMS = x
		s.LowLevel = -30 + 27*rng.Float64()
		s.HighLevel = s.LowLevel - 3 + 6*rng.Float64()
		s.LowLevel, s.HighLevel = math.Round(s.LowLevel*10)/10, math.Round(s.HighLevel*10)/10
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	durCheck := Check{Category: "duration", Name: fmt.Sprintf("duration_ms of %g ms … %g s tones, -30 … -3 dBm0, twist ±3 dB", lens[0], lens[len(lens)-1]/1000), Floor: "within ±3 ms"}
	latCheck := Check{Category: "latency", Name: "key-down latency from true onset, same tones", Floor: "≤ 32 ms"}
	var meanDur, worstDur, meanLat, worstLat []MetricValue
	for d, ps := range pts {
		name := r.rep.Decoders[d]
		t := total(ps)
		dr := CheckResult{Decoder: name, Total: t.Trials}
		lr := CheckResult{Decoder: name, Total: t.Trials}
		dr.Passed, dr.Failures = within(t.DurationErr, t.DurationRepro, t.Failures, "duration within ±3 ms",
			func(e float64) bool { return math.Abs(e) <= 3 }, func(e float64) string { return fmt.Sprintf("duration error %+.1f ms", e) })
		lr.Passed, lr.Failures = within(t.Latency, t.LatencyRepro, t.Failures, "key-down ≤ 32 ms after onset",
			func(l float64) bool { return l <= 32 }, func(l float64) string { return fmt.Sprintf("key-down %.1f ms after onset", l) })
		dm, dw := meanWorst(t.DurationErr)
		lm, lw := meanWorst(t.Latency)
		dr.Status, lr.Status = verdict(dr.Passed, dr.Total, len(t.DurationErr)), verdict(lr.Passed, lr.Total, len(t.Latency))
		if len(t.DurationErr) > 0 {
			dr.Measured = fmt.Sprintf("mean %+.2f ms, worst %+.1f ms", dm, dw)
		}
		if len(t.Latency) > 0 {
			lr.Measured = fmt.Sprintf("mean %.1f ms, worst %.1f ms", lm, lw)
		}
		durCheck.Results = append(durCheck.Results, dr)
		latCheck.Results = append(latCheck.Results, lr)
		meanDur = append(meanDur, MetricValue{Decoder: name, Value: Num(dm)})
		worstDur = append(worstDur, MetricValue{Decoder: name, Value: Num(dw)})
		meanLat = append(meanLat, MetricValue{Decoder: name, Value: Num(lm)})
		worstLat = append(worstLat, MetricValue{Decoder: name, Value: Num(lw)})
		r.rep.Durations = append(r.rep.Durations, Sample{Decoder: name, Values: t.DurationErr})
	}
	r.rep.Checks = append(r.rep.Checks, durCheck, latCheck)
	r.metric("duration", "duration error, mean", "ms", meanDur)
	r.metric("duration", "duration error, worst", "ms", worstDur)
	r.metric("latency", "key-down latency, mean", "ms", meanLat)
	r.metric("latency", "key-down latency, worst", "ms", worstLat)
	return nil
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

func (r *runner) loadCorpus() error {
	if r.corpus != nil {
		return nil
	}
	c, err := LoadCorpus(r.opts.Corpus, r.opts.SampleRate)
	if err != nil {
		return err
	}
	r.corpus = c
	return nil
}

func (r *runner) talkoffSpeech() error {
	if err := r.loadCorpus(); err != nil {
		return err
	}
	// One point per chunk of files so that chunks decode in parallel.
	const chunk = 16
	n := (len(r.corpus) + chunk - 1) / chunk
	r.keepPresses = true
	defer func() { r.keepPresses = false }()
	var samples int
	for _, rec := range r.corpus {
		samples += len(rec.PCM)
	}
	hours := float64(samples) / float64(r.opts.SampleRate) / 3600
	extra := make([]int, len(r.decoders))
	for _, gain := range r.plan.speechGains {
		name := func(j int) string {
			s := r.opts.Corpus + "/" + r.corpus[j].Name
			if gain != 0 {
				s += fmt.Sprintf(" amplified by %+g dB (saturating at 16 bits)", gain)
			}
			return s
		}
		nOf := func(xi int) int { return min(chunk, len(r.corpus)-xi*chunk) }
		pts, err := r.evalN(fmt.Sprintf("talkoff-speech/%g", gain), index(n), nOf, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			j := int(x)*chunk + i
			return Trial{PCM: amplify(r.corpus[j].PCM, gain), Repro: name(j)}, nil
		})
		if err != nil {
			return err
		}
		level := "as recorded"
		if gain != 0 {
			level = fmt.Sprintf("%+g dB", gain)
		}
		c := Check{Category: "talk-off", Name: fmt.Sprintf("speech %s: all %d asterisk-core-sounds-en prompts, %.1f min", level, len(r.corpus), hours*60), Floor: "0 false digits"}
		for d, ps := range pts {
			t := total(ps)
			extra[d] += t.Extra
			res := CheckResult{Decoder: r.rep.Decoders[d], Passed: t.Trials - t.FailCount, Total: t.Trials, Status: StatusPass}
			// Every false digit with its file, not just the first few.
			for xi, q := range ps {
				for i, got := range q.Presses {
					if len(got) > 0 && len(res.Failures) < 50 {
						res.Failures = append(res.Failures, Failure{Repro: name(xi*chunk + i), Want: "", Got: describe(got)})
					}
				}
			}
			if t.Extra > 0 {
				res.Status = StatusFail
			}
			res.Measured = fmt.Sprintf("%d false digits = %.1f per hour", t.Extra, float64(t.Extra)/hours)
			c.Results = append(c.Results, res)
		}
		r.rep.Checks = append(r.rep.Checks, c)
	}
	all := hours * float64(len(r.plan.speechGains))
	var perHour []MetricValue
	for d, e := range extra {
		perHour = append(perHour, MetricValue{Decoder: r.rep.Decoders[d], Value: Num(float64(e) / all), Note: fmt.Sprintf("%d in %.1f min", e, all*60)})
	}
	r.metric("talk-off", "false digits per hour of speech (all levels)", "1/h", perHour)
	return nil
}

// amplify returns pcm scaled by gain [dB], saturated to 16 bits; pcm itself
// for 0 dB.
func amplify(pcm []int16, gain float64) []int16 {
	if gain == 0 {
		return pcm
	}
	g := math.Pow(10, gain/20)
	out := make([]int16, len(pcm))
	for i, v := range pcm {
		out[i] = int16(math.Max(-32768, math.Min(32767, math.Round(g*float64(v)))))
	}
	return out
}

// callTone is a non-DTMF telephony signal: components [Hz] with a cadence of
// on/off times [ms] (repeated), lasting total ms; reversals > 0 flips the
// phase every reversals ms (V.25 answer tone).
type callTone struct {
	name      string
	freqs     []float64
	cadence   []float64
	total     float64
	reversals float64
}

var callTones = []callTone{
	{name: "dial tone 350+440 Hz", freqs: []float64{350, 440}, total: 10000},
	{name: "ringback 440+480 Hz, 2 s on / 4 s off", freqs: []float64{440, 480}, cadence: []float64{2000, 4000}, total: 12000},
	{name: "busy 480+620 Hz, 0.5 s on / 0.5 s off", freqs: []float64{480, 620}, cadence: []float64{500, 500}, total: 10000},
	{name: "test tone 1004 Hz", freqs: []float64{1004}, total: 10000},
	{name: "fax CNG 1100 Hz, 0.5 s on / 3 s off", freqs: []float64{1100}, cadence: []float64{500, 3000}, total: 10500},
	{name: "fax CED 2100 Hz", freqs: []float64{2100}, total: 3300},
	{name: "answer tone 2100 Hz, phase reversals every 450 ms", freqs: []float64{2100}, total: 3300, reversals: 450},
}

// build writes the tone at level [dBm0] per component into a signal with
// 200 ms of silence either side.
func (c callTone) build(rate int, seed uint64, level float64) []int16 {
	g := synth.New(rate, seed)
	g.Silence(200)
	rng := rand.New(rand.NewPCG(seed, 1))
	a := synth.Amplitude(level)
	n := g.N(c.total)
	ph := make([]float64, len(c.freqs))
	for i := range ph {
		ph[i] = 2 * math.Pi * rng.Float64()
	}
	for i := range n {
		t := float64(i) / float64(rate)
		on := true
		if len(c.cadence) > 0 {
			period := c.cadence[0] + c.cadence[1]
			on = math.Mod(t*1000, period) < c.cadence[0]
		}
		var v float64
		if on {
			sign := 1.0
			if c.reversals > 0 && int(t*1000/c.reversals)%2 == 1 {
				sign = -1
			}
			for k, f := range c.freqs {
				v += sign * a * math.Sin(2*math.Pi*f*t+ph[k])
			}
		}
		g.Samples = append(g.Samples, v)
	}
	g.Silence(200)
	return g.PCM()
}

func (r *runner) talkoffTones() error {
	levels := []float64{-30, -20, -10, -3}
	r.keepPresses = true
	defer func() { r.keepPresses = false }()
	for _, ct := range callTones {
		pts, err := r.eval("talkoff-tones/"+ct.name, levels, r.plan.tones, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			return Trial{
				PCM:   ct.build(r.opts.SampleRate, seed, x),
				Repro: fmt.Sprintf("%s at %g dBm0 per component, %g s, seed %d", ct.name, x, ct.total/1000, seed),
			}, nil
		})
		if err != nil {
			return err
		}
		r.check("talk-off", ct.name+" at -30, -20, -10, -3 dBm0", "no digit", pts)
	}
	return nil
}

func (r *runner) talkdown() error {
	if err := r.loadCorpus(); err != nil {
		return err
	}
	p := r.plan
	// Prompts with at least 1.5 s of audio, so a digit lands inside speech.
	var long []int
	for i, rec := range r.corpus {
		if len(rec.PCM) >= r.opts.SampleRate*3/2 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return fmt.Errorf("%w: no prompt of 1.5 s or more in %s", ErrCorpus, r.opts.Corpus)
	}
	const level = -20
	pts, err := r.eval("talkdown", p.strs, 16*p.talkdown, func(x float64, i int, _ uint64, _ *rand.Rand) (Trial, error) {
		seed, rng := r.paired("talkdown", i)
		rec := r.corpus[long[rng.IntN(len(long))]]
		s := r.spec(seed, rng, keypad.Keys[i%16])
		s.ToneMS = 80
		s.LowLevel, s.HighLevel = level, level
		s.LeadMS = 300 + r.ms(rng.IntN(r.opts.SampleRate*400/1000))
		s.TrailMS = 300
		s.Background = r.opts.Corpus + "/" + rec.Name
		s.BackgroundPCM = rec.PCM
		s.BackgroundLevel = math.Round((PowerLevel(DTMFPower(level, level))+x)*100) / 100
		s.BackgroundOffsetMS = r.ms(rng.IntN(max(1, len(rec.PCM)-r.opts.SampleRate)))
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	c := Curve{Category: "talk-down", Name: "digits found under speech (80 ms tones at -20 dBm0 per tone)", XLabel: "speech-to-DTMF ratio [dB]", YLabel: "digits found"}
	for d, ps := range pts {
		s := Series{Decoder: r.rep.Decoders[d]}
		for _, q := range ps {
			s.Points = append(s.Points, CurvePoint{X: q.X, Y: Num(q.Rate()), Trials: q.Trials, Extra: q.Extra})
		}
		c.Series = append(c.Series, s)
	}
	r.rep.Curves = append(r.rep.Curves, c)
	return nil
}

func (r *runner) codec() error {
	p := r.plan
	levels := []float64{-36, -25, -10, -3}
	for _, codec := range []string{CodecULaw, CodecALaw} {
		label := map[string]string{CodecULaw: "G.711 µ-law", CodecALaw: "G.711 A-law"}[codec]
		// Accept: 16 keys at each level (100 ms) and 40 ms tones at -10.
		pts, err := r.eval("codec/accept/"+codec, index(16*(len(levels)+1)), p.codec, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			k, j := int(x)%16, int(x)/16
			var s Spec
			if j < len(levels) {
				s = r.levelSpec(seed, rng, k, levels[j])
			} else {
				s = r.lengthSpec(seed, rng, k, 40)
			}
			s.Codec = codec
			return trial(s, s.Digits, "")
		})
		if err != nil {
			return err
		}
		r.check("codec", label+": 16 keys at -36, -25, -10, -3 dBm0 and 40 ms tones", "accepted", pts)
		pts, err = r.eval("codec/reject/"+codec, index(32), p.codec, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			k := int(x) % 16
			var s Spec
			if x < 16 {
				s = r.levelSpec(seed, rng, k, -42)
			} else {
				s = r.lengthSpec(seed, rng, k, 23)
			}
			s.Codec = codec
			return trial(s, "", "")
		})
		if err != nil {
			return err
		}
		r.check("codec", label+": -42 dBm0 and 23 ms tones", "rejected", pts)
		lens := []float64{40, 60, 100, 500, 2000}
		pts, err = r.eval("codec/duration/"+codec, lens, 16*p.codec, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
			s := r.lengthSpec(seed, rng, i, x)
			s.Codec = codec
			return trial(s, s.Digits, "")
		})
		if err != nil {
			return err
		}
		c := Check{Category: "codec", Name: label + ": duration_ms of 40 ms … 2 s tones", Floor: "within ±3 ms"}
		for d, ps := range pts {
			t := total(ps)
			res := CheckResult{Decoder: r.rep.Decoders[d], Total: t.Trials}
			res.Passed, res.Failures = within(t.DurationErr, t.DurationRepro, t.Failures, "duration within ±3 ms",
				func(e float64) bool { return math.Abs(e) <= 3 }, func(e float64) string { return fmt.Sprintf("duration error %+.1f ms", e) })
			res.Status = verdict(res.Passed, res.Total, len(t.DurationErr))
			if m, w := meanWorst(t.DurationErr); len(t.DurationErr) > 0 {
				res.Measured = fmt.Sprintf("mean %+.2f ms, worst %+.1f ms", m, w)
			}
			c.Results = append(c.Results, res)
		}
		r.rep.Checks = append(r.rep.Checks, c)
	}
	return nil
}

func (r *runner) region() error {
	p := r.plan
	if p.region == 0 {
		return nil
	}
	offs := steps(-5, 5, p.regionOffsetStep)
	twists := steps(-12, 8, p.regionTwistStep)
	xs := index(len(offs) * len(twists))
	pts, err := r.eval("region", xs, p.region, func(x float64, i int, seed uint64, rng *rand.Rand) (Trial, error) {
		off, tw := offs[int(x)%len(offs)], twists[int(x)/len(offs)]
		s := r.spec(seed, rng, keypad.Keys[(int(x)+i)%16])
		s.LowOffset, s.HighOffset = off, off
		// Twist = high - low; the stronger tone stays at -10 dBm0.
		if tw < 0 {
			s.HighLevel = s.LowLevel + tw
		} else {
			s.LowLevel = s.HighLevel - tw
		}
		return trial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	r.wrongCheck("region", fmt.Sprintf("offsets %g … %g %% × twists %g … %g dB", offs[0], offs[len(offs)-1], twists[0], twists[len(twists)-1]), [][][]Point{pts})
	for d, ps := range pts {
		reg := Region{Decoder: r.rep.Decoders[d], Offsets: offs, Twists: twists, Rate: make([][]float64, len(twists))}
		for j := range twists {
			reg.Rate[j] = make([]float64, len(offs))
			for i := range offs {
				q := ps[j*len(offs)+i]
				reg.Rate[j][i] = float64(q.Correct) / float64(q.Trials)
			}
		}
		r.rep.Regions = append(r.rep.Regions, reg)
	}
	return nil
}
