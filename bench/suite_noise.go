package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/dtmfkit/dtmf/internal/keypad"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

// The noise category: digits found against white noise, as a curve over
// the SNR, and a regression floor well above its knee.

var (
	noiseTrials      = size{full: 8, quick: 8}   // × 16 keys per SNR
	noiseCleanTrials = size{full: 32, quick: 16} // × 16 keys per SNR of the floor
	noiseSNRs        = choice[[]float64]{full: steps(30, -3, 1), quick: []float64{10, 8}}
	// noiseFoundShare is the share of digits that defines the SNR figure.
	noiseFoundShare = 0.99
)

// noiseSpec is a 50 ms press of key i%16 at -10 dBm0 per tone in white
// noise at snr [dB].
func (r *runner) noiseSpec(seed uint64, rng *rand.Rand, i int, snr float64) siggen.Spec {
	s := r.spec(seed, rng, keypad.Keys[i%16])
	s.ToneMS = 50
	s.SNR = &snr
	return s
}

func (r *runner) noise() error {
	snrs := pick(r, noiseSNRs)
	// The curve: every point reuses the same trials, only the SNR changes.
	pts, err := r.eval("noise", snrs, 16*r.n(noiseTrials), func(x float64, i int, _ uint64, _ *rand.Rand) (trial, error) {
		seed, rng := r.paired("noise", i)
		s := r.noiseSpec(seed, rng, i, x)
		return specTrial(s, s.Digits, "")
	})
	if err != nil {
		return err
	}
	// Well above the knee every digit must be found: a regression floor
	// (the standards set none), on many independent trials so that rare
	// misses show.
	err = r.acceptReject("noise/clean", steps(30, 12, 3), 16*r.n(noiseCleanTrials), true,
		"noise", "50 ms tones at -10 dBm0 per tone, SNR 30, 27, … 12 dB", "every digit found, no false digit (regression floor)",
		func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
			return r.noiseSpec(seed, rng, i, x)
		})
	if err != nil {
		return err
	}
	r.curve(Curve{Category: "noise", Name: "digits found vs SNR (50 ms tones at -10 dBm0 per tone, white noise)", XLabel: "SNR [dB]", YLabel: "digits found"}, pts)
	var snr99, found []MetricValue
	for d, ps := range pts {
		name := r.rep.Decoders[d]
		sorted := append([]point(nil), ps...)
		sort.Slice(sorted, func(a, b int) bool { return sorted[a].X > sorted[b].X })
		edge := math.NaN()
		for _, q := range sorted {
			if q.Rate() < noiseFoundShare {
				break
			}
			edge = q.X
		}
		snr99 = append(snr99, MetricValue{Decoder: name, Value: Num(edge)})
		t := total(ps)
		found = append(found, MetricValue{Decoder: name, Value: Num(100 * t.Rate()), Note: fmt.Sprintf("%d/%d found, %d false over %g..%g dB", t.Found, t.Wanted, t.Extra, snrs[0], snrs[len(snrs)-1])})
	}
	r.metric("noise", "lowest SNR with ≥ 99 % of digits found (and at every higher SNR tested)", "dB", snr99)
	r.metric("noise", "digits found over the whole sweep", "%", found)
	return nil
}
