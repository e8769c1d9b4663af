package bench

import (
	"math/rand/v2"

	"github.com/dtmfkit/dtmf/internal/siggen"
)

// The codec category: the level, length and duration checks again after a
// G.711 µ-law or A-law round trip.

var codecTrials = size{full: 4, quick: 2}

func (r *runner) codec() error {
	n := r.n(codecTrials)
	levels := []float64{-36, -25, -10, -3}
	for _, codec := range []string{siggen.CodecULaw, siggen.CodecALaw} {
		label := map[string]string{siggen.CodecULaw: "G.711 µ-law", siggen.CodecALaw: "G.711 A-law"}[codec]
		// Accept: 16 keys at each level (100 ms) and 40 ms tones at -10.
		err := r.acceptReject("codec/accept/"+codec, index(16*(len(levels)+1)), n, true,
			"codec", label+": 16 keys at -36, -25, -10, -3 dBm0 and 40 ms tones", "accepted",
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				k, j := int(x)%16, int(x)/16
				var s siggen.Spec
				if j < len(levels) {
					s = r.levelSpec(seed, rng, k, levels[j])
				} else {
					s = r.lengthSpec(seed, rng, k, 40)
				}
				s.Codec = codec
				return s
			})
		if err != nil {
			return err
		}
		err = r.acceptReject("codec/reject/"+codec, index(32), n, false,
			"codec", label+": -42 dBm0 and 23 ms tones", "rejected",
			func(x float64, i int, seed uint64, rng *rand.Rand) siggen.Spec {
				k := int(x) % 16
				var s siggen.Spec
				if x < 16 {
					s = r.levelSpec(seed, rng, k, -42)
				} else {
					s = r.lengthSpec(seed, rng, k, 23)
				}
				s.Codec = codec
				return s
			})
		if err != nil {
			return err
		}
		lens := []float64{40, 60, 100, 500, 2000}
		pts, err := r.eval("codec/duration/"+codec, lens, 16*n, func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error) {
			s := r.lengthSpec(seed, rng, i, x)
			s.Codec = codec
			return specTrial(s, s.Digits, "")
		})
		if err != nil {
			return err
		}
		c := Check{Category: "codec", Name: label + ": duration_ms of 40 ms … 2 s tones", Floor: "within ±3 ms"}
		for d, ps := range pts {
			c.Results = append(c.Results, durationResult(r.rep.Decoders[d], total(ps)))
		}
		r.rep.Checks = append(r.rep.Checks, c)
	}
	return nil
}
