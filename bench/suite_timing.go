package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/dtmfkit/dtmf/internal/keypad"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

// The timing categories: how short a tone and a pause may be and how long
// an interruption is bridged (ITU-T Q.24, ETSI ES 201 235-3), and how well
// duration_ms and the key-down time are measured.

// Trials per point and per sweep step.
var (
	lengthTrials       = size{full: 8, quick: 4}
	lengthSweep        = size{full: 16}
	pauseTrials        = size{full: 8, quick: 2}
	pauseSweep         = size{full: 16}
	interruptTrials    = size{full: 8, quick: 2}
	interruptSweep     = size{full: 16}
	durationTrials     = size{full: 2, quick: 2} // × 16 keys per tone length
	lengthSweepMS      = 0.5                     // sweep steps [ms]
	pauseSweepMS       = 1.0
	durationLengthsMS  = choice[[]float64]{full: []float64{40, 45, 50, 60, 70, 80, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10000}, quick: []float64{40, 50, 70, 100, 200, 1000, 10000}}
	latencyLimitMS     = 32.0 // key-down at most this long after the true onset (the project's promise)
	interruptionsMS    = []float64{5, 10, 15, 20}
	interruptSweepToMS = 60.0
)

func (r *runner) lengthSpec(seed uint64, rng *rand.Rand, k int, ms float64) siggen.Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	s.ToneMS = ms
	return s
}

func (r *runner) length() error {
	for _, t := range []struct {
		name, floor string
		ms          float64
		accept      bool
	}{
		{"40 ms tones", "accepted (Q.24)", 40, true},
		{"23 ms tones", "rejected (Q.24)", 23, false},
	} {
		err := r.acceptReject("length/"+t.name, index(16), r.n(lengthTrials), t.accept, "length", t.name, t.floor,
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.lengthSpec(seed, rng, int(x), t.ms)
			})
		if err != nil {
			return err
		}
	}
	n := r.n(lengthSweep)
	if n == 0 {
		return nil
	}
	_, err := r.sweep("length/sweep", steps(50, 15, lengthSweepMS), n,
		Edge{Category: "length", Name: "tone length", Unit: "ms", AcceptLabel: "accepted down to", RejectLabel: "rejected at or below", Standard: "accept ≥ 40, reject ≤ 23"},
		nil, func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
			return r.lengthSpec(seed, rng, i, x)
		})
	return err
}

// pauseSpec is digits pressed with 40 ms tones and pause ms pauses.
func (r *runner) pauseSpec(seed uint64, rng *rand.Rand, digits string, pause float64) siggen.Spec {
	s := r.spec(seed, rng, digits[0])
	s.Digits, s.ToneMS, s.PauseMS = digits, 40, pause
	return s
}

func (r *runner) pause() error {
	for _, t := range []struct {
		name   string
		digits func(k int) string
		n      int
	}{
		{"two presses of the same key, 40 ms on / 40 ms off", func(k int) string { return strings.Repeat(keypad.Keys[k:k+1], 2) }, 16},
		{`"5555" at 40 ms on / 40 ms off`, func(int) string { return "5555" }, 1},
		{`"1234567890*#ABCD" at 40 ms on / 40 ms off`, func(int) string { return "1234567890*#ABCD" }, 1},
	} {
		n := r.n(pauseTrials)
		if t.n == 1 {
			n *= 16
		}
		err := r.acceptReject("pause/"+t.name, index(t.n), n, true, "pause", t.name, "every press separate (Q.24)",
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				return r.pauseSpec(seed, rng, t.digits(int(x)), 40)
			})
		if err != nil {
			return err
		}
	}
	n := r.n(pauseSweep)
	if n == 0 {
		return nil
	}
	// Two presses of a key, told apart from one bridged press.
	_, err := r.sweep("pause/sweep", steps(50, 0, pauseSweepMS), n,
		Edge{Category: "pause", Name: "pause between two 40 ms presses of a key", Unit: "ms", AcceptLabel: "separated down to", RejectLabel: "bridged at or below", Standard: "separate ≥ 40"},
		func(s siggen.Spec) string { return s.Digits[:1] },
		func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
			d := keypad.Keys[i%16 : i%16+1]
			return r.pauseSpec(seed, rng, d+d, x)
		})
	return err
}

// gapSpec is a 200 ms press of key k interrupted for gap ms, starting 40
// to 60 ms into the tone: at least 80 ms of tone follow a gap of up to
// 60 ms, enough for a second press if the gap is not bridged.
func (r *runner) gapSpec(seed uint64, rng *rand.Rand, k int, gap float64) siggen.Spec {
	s := r.spec(seed, rng, keypad.Keys[k%16])
	s.ToneMS = 200
	if gap > 0 {
		s.Gaps = [][2]float64{{40 + r.ms(rng.IntN(r.opts.SampleRate*20/1000)), gap}}
	}
	return s
}

func (r *runner) interruption() error {
	gaps := interruptionsMS
	err := r.acceptReject("interruption", index(16*len(gaps)), r.n(interruptTrials), true,
		"interruption", "200 ms tone interrupted for 5, 10, 15 or 20 ms", "one press (ES 201 235-3)",
		func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
			return r.gapSpec(seed, rng, int(x), gaps[int(x)/16])
		})
	if err != nil {
		return err
	}
	n := r.n(interruptSweep)
	if n == 0 {
		return nil
	}
	// One bridged press, told apart from two.
	_, err = r.sweep("interruption/sweep", steps(0, interruptSweepToMS, 1), n,
		Edge{Category: "interruption", Name: "interruption inside a 200 ms tone", Unit: "ms", AcceptLabel: "bridged up to", RejectLabel: "split at or above", Standard: "bridge ≤ 20"},
		func(s siggen.Spec) string { return s.Digits + s.Digits },
		func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
			return r.gapSpec(seed, rng, i, x)
		})
	return err
}

// duration measures duration_ms and the key-down latency over tones of
// 40 ms to 10 s at random levels and twist.
func (r *runner) duration() error {
	lens := pick(r, durationLengthsMS)
	pts, err := r.eval("duration", lens, 16*r.n(durationTrials), func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error) {
		s := r.spec(seed, rng, keypad.Keys[i%16])
		s.ToneMS = x
		s.LowLevel = -30 + 27*rng.Float64()
		s.HighLevel = s.LowLevel - 3 + 6*rng.Float64()
		s.LowLevel, s.HighLevel = math.Round(s.LowLevel*10)/10, math.Round(s.HighLevel*10)/10
		return specTrial(s, s.Digits, "")
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
		lr := CheckResult{Decoder: name, Total: t.Trials}
		lr.Passed, lr.Failures = within(t.Latency, t.LatencyRepro, t.Failures, "key-down ≤ 32 ms after onset",
			func(l float64) bool { return l <= latencyLimitMS }, func(l float64) string { return fmt.Sprintf("key-down %.1f ms after onset", l) })
		lr.Status = verdict(lr.Passed, lr.Total, len(t.Latency))
		dm, dw := meanWorst(t.DurationErr)
		lm, lw := meanWorst(t.Latency)
		if len(t.Latency) > 0 {
			lr.Measured = fmt.Sprintf("mean %.1f ms, worst %.1f ms", lm, lw)
		}
		durCheck.Results = append(durCheck.Results, durationResult(name, t))
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
