package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dtmfkit/dtmf/internal/keypad"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

// The tone categories: which keys, and how far each tone's frequency, the
// twist between them and their level may stray (ITU-T Q.24), and the accept
// region over frequency offset × twist.

// Trials per point (16 keys or conditions per check) and per sweep step.
var (
	keysTrials        = size{full: 20, quick: 4}
	frequencyTrials   = size{full: 8, quick: 4}
	frequencySweep    = size{full: 8}
	twistTrials       = size{full: 4, quick: 2}
	twistSweep        = size{full: 16}
	levelTrials       = size{full: 4, quick: 2}
	levelSweep        = size{full: 16}
	regionTrials      = size{full: 2}
	frequencySweepPct = 0.05 // sweep step [% of nominal]
	twistSweepDB      = 0.25 // [dB]
	levelSweepDB      = 0.5  // [dB]
	regionOffsetPct   = 0.25 // region grid steps [%] and [dB]
	regionTwistDB     = 1.0
)

func (r *runner) keys() error {
	return r.acceptReject("keys", index(16), r.n(keysTrials), true,
		"keys", "all 16 keys, 100 ms at -10 dBm0 per tone", "every press found, right digit, once",
		func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
			return r.spec(seed, rng, keypad.Keys[int(x)])
		})
}

// tones8 are the 8 DTMF frequencies, low group first.
var tones8 = keypad.Frequencies()

// offsetSpec is the base trial with tone k (0-7) shifted by off [%]; the
// other group's tone is chosen by i.
func (r *runner) offsetSpec(seed uint64, rng *rand.Rand, k, i int, off float64) siggen.Spec {
	var s siggen.Spec
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
		err := r.acceptReject("frequency/"+t.floor, index(16), r.n(frequencyTrials), t.accept, "frequency", t.name, t.floor,
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				k, sign := cond(int(x))
				return r.offsetSpec(seed, rng, k, i, sign*t.off(tones8[k]))
			})
		if err != nil {
			return err
		}
	}
	n := r.n(frequencySweep)
	if n == 0 {
		return nil
	}
	xs := steps(1, 5, frequencySweepPct)
	var accept []EdgeValue
	var sweeps [][][]point
	for k, f := range tones8 {
		for _, sign := range []float64{-1, 1} {
			dir := "+"
			if sign < 0 {
				dir = "−"
			}
			pts, err := r.sweep(fmt.Sprintf("frequency/sweep/%d/%+g", k, sign), xs, n, Edge{
				Category: "frequency", Name: fmt.Sprintf("%g Hz %s", f, dir), Unit: "%",
				AcceptLabel: "accepted up to", RejectLabel: "rejected at or above",
				Standard: fmt.Sprintf("accept ≤ %.2f, reject ≥ 3.5", acceptOffset(f)), Detail: true,
			}, nil, func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.offsetSpec(seed, rng, k, i, sign*x)
			})
			if err != nil {
				return err
			}
			sweeps = append(sweeps, pts)
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

// twistSpec is the base trial of key k with the weaker tone tw dB below the
// stronger one (-10 dBm0): normal twist weakens the high tone.
func (r *runner) twistSpec(seed uint64, rng *rand.Rand, k int, tw float64, normal bool) siggen.Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	if normal {
		s.HighLevel = s.LowLevel - tw
	} else {
		s.LowLevel = s.HighLevel - tw
	}
	return s
}

func (r *runner) twist() error {
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
		err := r.acceptReject("twist/"+t.name, index(16), r.n(twistTrials), t.accept, "twist", t.name, t.floor,
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.twistSpec(seed, rng, int(x), t.tw, t.normal)
			})
		if err != nil {
			return err
		}
	}
	n := r.n(twistSweep)
	if n == 0 {
		return nil
	}
	var sweeps [][][]point
	for _, t := range []struct {
		name, std string
		normal    bool
		xs        []float64
	}{
		{"normal (high tone weaker)", "accept ≤ 8, reject ≥ 10", true, steps(4, 14, twistSweepDB)},
		{"reverse (high tone stronger)", "accept ≤ 4, reject ≥ 6", false, steps(0, 10, twistSweepDB)},
	} {
		pts, err := r.sweep("twist/sweep/"+t.name, t.xs, n,
			Edge{Category: "twist", Name: t.name, Unit: "dB", AcceptLabel: "accepted up to", RejectLabel: "rejected at or above", Standard: t.std},
			nil, func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.twistSpec(seed, rng, i, x, t.normal)
			})
		if err != nil {
			return err
		}
		sweeps = append(sweeps, pts)
	}
	r.wrongCheck("twist", "sweeps of normal twist 4 … 14 dB and reverse twist 0 … 10 dB", sweeps)
	return nil
}

func (r *runner) levelSpec(seed uint64, rng *rand.Rand, k int, level float64) siggen.Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	s.LowLevel, s.HighLevel = level, level
	return s
}

func (r *runner) level() error {
	acc := []float64{3, 0, -10, -20, -30, -36}
	for _, t := range []struct {
		name, floor string
		levels      []float64
		accept      bool
	}{
		{"levels +3, 0, -10, -20, -30, -36 dBm0 per tone", "accepted (Q.24; +3 and 0 dBm0 clip at 16 bits)", acc, true},
		{"level -42 dBm0 per tone", "rejected", []float64{-42}, false},
	} {
		err := r.acceptReject("level/"+t.name, index(16*len(t.levels)), r.n(levelTrials), t.accept, "level", t.name, t.floor,
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.levelSpec(seed, rng, int(x), t.levels[int(x)/16])
			})
		if err != nil {
			return err
		}
	}
	n := r.n(levelSweep)
	if n == 0 {
		return nil
	}
	var sweeps [][][]point
	for _, t := range []struct {
		name, accept, reject, std string
		xs                        []float64
	}{
		{"lowest level", "accepted down to", "rejected at or below", "accept ≥ -36, reject ≤ -42", steps(-30, -50, levelSweepDB)},
		{"highest level", "accepted up to", "rejected at or above", "accept ≤ +3", steps(-6, 6, levelSweepDB)},
	} {
		pts, err := r.sweep("level/sweep/"+t.name, t.xs, n,
			Edge{Category: "level", Name: t.name + " (both tones)", Unit: "dBm0", AcceptLabel: t.accept, RejectLabel: t.reject, Standard: t.std},
			nil, func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.levelSpec(seed, rng, i, x)
			})
		if err != nil {
			return err
		}
		sweeps = append(sweeps, pts)
	}
	r.wrongCheck("level", "sweeps of -30 … -50 and -6 … +6 dBm0 per tone", sweeps)
	return nil
}

// region measures the accept rate over frequency offset (both tones alike)
// × twist, and checks that no point of it gives a wrong key.
func (r *runner) region() error {
	n := r.n(regionTrials)
	if n == 0 {
		return nil
	}
	offs := steps(-5, 5, regionOffsetPct)
	twists := steps(-12, 8, regionTwistDB)
	xs := index(len(offs) * len(twists))
	pts, err := r.eval("region", xs, n, func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error) {
		off, tw := offs[int(x)%len(offs)], twists[int(x)/len(offs)]
		s := r.spec(seed, rng, keypad.Keys[(int(x)+i)%16])
		s.LowOffset, s.HighOffset = off, off
		// Twist = high - low; the stronger tone stays at -10 dBm0.
		if tw < 0 {
			s.HighLevel = s.LowLevel + tw
		} else {
			s.LowLevel = s.HighLevel - tw
		}
		return specTrial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	r.wrongCheck("region", fmt.Sprintf("offsets %g … %g %% × twists %g … %g dB", offs[0], offs[len(offs)-1], twists[0], twists[len(twists)-1]), [][][]point{pts})
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
