package bench

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/dtmfkit/dtmf/internal/synth"
)

// trial is one test signal of the suite and what a correct decoder reports
// for it.
type trial struct {
	PCM []int16
	// Truth lists the tones written into PCM.
	Truth []synth.Press
	// Want is the digits a correct decoder reports, in order; "" means the
	// signal must be rejected. Alt is the other outcome a sweep tells apart
	// from Want (e.g. one bridged press instead of two); for acceptance
	// sweeps it is "" (rejected).
	Want, Alt string
	// Repro rebuilds the signal: a `dtmf gen` command or a description.
	Repro string
}

// Failure is one trial a decoder got wrong.
type Failure struct {
	Repro string `json:"repro"`
	Want  string `json:"want"`
	Got   string `json:"got"`
}

// point aggregates one decoder's results on the trials of one parameter
// value.
type point struct {
	X float64 `json:"x"`
	// Trials run; Correct: trials whose digits were exactly Want; Alt:
	// exactly Alt; Silent: no digit at all.
	Trials  int `json:"trials"`
	Correct int `json:"correct"`
	Alt     int `json:"alt"`
	Silent  int `json:"silent"`
	// Wanted presses over all trials, Found of them (in order, right
	// digit), and Extra presses beyond those found (false or wrong digits).
	Wanted int `json:"wanted"`
	Found  int `json:"found"`
	Extra  int `json:"extra"`
	// Wrong counts presses of a key that was not pressed at all in the
	// trial (a tone pair taken for another key); WrongFailures are the
	// first few such trials.
	Wrong         int       `json:"wrong"`
	WrongTrials   int       `json:"-"`
	WrongFailures []Failure `json:"-"`
	// DurationErr is reported minus true press length [ms] and Latency is
	// key-down time minus true onset [ms], for each correctly decoded
	// single-press trial where the decoder reports them.
	DurationErr []float64 `json:"-"`
	Latency     []float64 `json:"-"`
	// DurationRepro and LatencyRepro rebuild the trial of each value.
	DurationRepro []string `json:"-"`
	LatencyRepro  []string `json:"-"`
	// Failures are the first few trials not Correct (Repro, Want, Got).
	Failures []Failure `json:"failures,omitempty"`
	// FailCount counts all trials not Correct.
	FailCount int `json:"-"`
	// Presses holds every press reported per trial, when a category needs
	// more than the counts (talk-off listings).
	Presses [][]Press `json:"-"`
}

// Rate returns Found/Wanted, or NaN if nothing was wanted.
func (p *point) Rate() float64 {
	if p.Wanted == 0 {
		return math.NaN()
	}
	return float64(p.Found) / float64(p.Wanted)
}

func (p *point) add(q *point) {
	p.Trials += q.Trials
	p.Correct += q.Correct
	p.Alt += q.Alt
	p.Silent += q.Silent
	p.Wanted += q.Wanted
	p.Found += q.Found
	p.Extra += q.Extra
	p.Wrong += q.Wrong
	p.WrongTrials += q.WrongTrials
	for _, f := range q.WrongFailures {
		if len(p.WrongFailures) < maxFailures {
			p.WrongFailures = append(p.WrongFailures, f)
		}
	}
	p.FailCount += q.FailCount
	p.DurationErr = append(p.DurationErr, q.DurationErr...)
	p.Latency = append(p.Latency, q.Latency...)
	p.DurationRepro = append(p.DurationRepro, q.DurationRepro...)
	p.LatencyRepro = append(p.LatencyRepro, q.LatencyRepro...)
	for _, f := range q.Failures {
		if len(p.Failures) < maxFailures {
			p.Failures = append(p.Failures, f)
		}
	}
	p.Presses = append(p.Presses, q.Presses...)
}

// maxFailures bounds the failing trials kept per point for reports.
const maxFailures = 5

// generator builds trial i of parameter value x; seed is the trial's own
// seed and rng a generator seeded from it for the trial's random choices.
type generator func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error)

// trialSeed derives a trial's seed from the run seed, the category name, the
// point index and the trial index: every trial has its own seed, and the
// same trial gets the same seed whatever else the run contains.
func trialSeed(base uint64, cat string, xi, i int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(cat))
	return splitmix(base ^ splitmix(h.Sum64()^splitmix(uint64(xi)<<32^uint64(i))))
}

// paired returns the seed and generator of trial i of a curve: the same at
// every point of the curve, so that its points differ only in the swept
// parameter (common random numbers) and the curve is not jagged by
// sampling.
func (r *runner) paired(cat string, i int) (uint64, *rand.Rand) {
	seed := trialSeed(r.opts.Seed, cat, 0, i)
	return seed, rand.New(rand.NewPCG(seed, 0x5eed))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// eval builds n trials for every x with gen, decodes each point's trials as
// one batch with every decoder, and returns the points per decoder (same
// order as r.decoders) and x. Points are evaluated concurrently.
func (r *runner) eval(cat string, xs []float64, n int, gen generator) ([][]point, error) {
	return r.evalN(cat, xs, func(int) int { return n }, gen)
}

// evalN is eval with nOf(xi) trials at point xi.
func (r *runner) evalN(cat string, xs []float64, nOf func(xi int) int, gen generator) ([][]point, error) {
	out := make([][]point, len(r.decoders))
	for d := range out {
		out[d] = make([]point, len(xs))
	}
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	sem := make(chan struct{}, r.workers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel()
		}
		mu.Unlock()
	}
	for xi, x := range xs {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			n := nOf(xi)
			trials := make([]trial, n)
			signals := make([][]int16, n)
			for i := range n {
				seed := trialSeed(r.opts.Seed, cat, xi, i)
				t, err := gen(x, i, seed, rand.New(rand.NewPCG(seed, 0x5eed)))
				if err != nil {
					fail(fmt.Errorf("%s: %w", cat, err))
					return
				}
				trials[i], signals[i] = t, t.PCM
			}
			for d, dec := range r.decoders {
				got, err := dec.Decode(ctx, signals, r.opts.SampleRate)
				if err != nil {
					fail(fmt.Errorf("%s: %s: %w", cat, dec.Name(), err))
					return
				}
				out[d][xi] = score(x, trials, got, r.opts.SampleRate, r.keepPresses)
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, r.ctx.Err()
}

// score compares what a decoder reported with the trials.
func score(x float64, trials []trial, got [][]Press, rate int, keep bool) point {
	p := point{X: x, Trials: len(trials)}
	for i, t := range trials {
		g := got[i]
		digits := digitsOf(g)
		found := lcs(digits, t.Want)
		p.Wanted += len(t.Want)
		p.Found += found
		p.Extra += len(digits) - found
		if len(t.Truth) > 0 {
			wrong := 0
			for _, g := range g {
				if !slices.ContainsFunc(t.Truth, func(tr synth.Press) bool { return tr.Digit == g.Digit }) {
					wrong++
				}
			}
			p.Wrong += wrong
			if wrong > 0 {
				p.WrongTrials++
			}
			if wrong > 0 && len(p.WrongFailures) < maxFailures {
				p.WrongFailures = append(p.WrongFailures, Failure{Repro: t.Repro, Want: "no other key than " + digitsOfTruth(t.Truth), Got: describe(g)})
			}
		}
		if len(g) == 0 {
			p.Silent++
		}
		if keep {
			p.Presses = append(p.Presses, g)
		}
		if digits == t.Alt {
			p.Alt++
		}
		if digits != t.Want {
			p.FailCount++
			if len(p.Failures) < maxFailures {
				p.Failures = append(p.Failures, Failure{Repro: t.Repro, Want: t.Want, Got: describe(g)})
			}
			continue
		}
		p.Correct++
		if len(t.Want) == 1 && len(t.Truth) == 1 {
			tr := t.Truth[0]
			ms := func(n int) float64 { return float64(n) * 1000 / float64(rate) }
			if d := g[0].DurationMS; !math.IsNaN(d) {
				p.DurationErr = append(p.DurationErr, d-ms(tr.End-tr.Start))
				p.DurationRepro = append(p.DurationRepro, t.Repro)
			}
			if a := g[0].DetectedMS; !math.IsNaN(a) {
				p.Latency = append(p.Latency, a-ms(tr.Start))
				p.LatencyRepro = append(p.LatencyRepro, t.Repro)
			}
		}
	}
	return p
}

func digitsOfTruth(ps []synth.Press) string {
	b := make([]byte, len(ps))
	for i, p := range ps {
		b[i] = p.Digit
	}
	return string(b)
}

func digitsOf(ps []Press) string {
	b := make([]byte, len(ps))
	for i, p := range ps {
		b[i] = p.Digit
	}
	return string(b)
}

// lcs returns the length of the longest common subsequence of a and b.
func lcs(a, b string) int {
	if a == b {
		return len(a)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range len(a) {
		for j := range len(b) {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// describe lists presses as "5 (102 ms @ 130 ms)" for failure reports.
func describe(ps []Press) string {
	if len(ps) == 0 {
		return "nothing"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		s := string(p.Digit)
		var extra []string
		if !math.IsNaN(p.DurationMS) {
			extra = append(extra, fmt.Sprintf("%g ms", p.DurationMS))
		}
		if !math.IsNaN(p.OffsetMS) {
			extra = append(extra, fmt.Sprintf("at %.1f ms", p.OffsetMS))
		}
		if len(extra) > 0 {
			s += " (" + strings.Join(extra, " ") + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

// total sums points.
func total(ps []point) point {
	var t point
	for i := range ps {
		t.add(&ps[i])
	}
	return t
}

// within counts the values within ok and returns, after the trials that
// failed outright (failed), the trials of the first values outside it, each
// described by got(value).
func within(values []float64, repros []string, failed []Failure, want string, ok func(float64) bool, got func(float64) string) (int, []Failure) {
	n := 0
	fails := append([]Failure(nil), failed...)
	for i, v := range values {
		if ok(v) {
			n++
		} else if len(fails) < maxFailures {
			fails = append(fails, Failure{Repro: repros[i], Want: want, Got: got(v)})
		}
	}
	return n, fails
}

// edges finds the ends of the all-accepted run at the start of points
// (ordered from easiest to hardest) and of the all-Alt run at their end:
// accept is the X of the last point of the first run, reject the X of the
// first point of the last run; NaN where there is no such run.
func edges(points []point) (accept, reject float64) {
	accept, reject = math.NaN(), math.NaN()
	for _, p := range points {
		if p.Correct != p.Trials {
			break
		}
		accept = p.X
	}
	for i := len(points) - 1; i >= 0; i-- {
		if p := points[i]; p.Alt != p.Trials {
			break
		}
		reject = points[i].X
	}
	return accept, reject
}
