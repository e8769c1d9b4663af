package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dtmfkit/dtmf/internal/synth"
)

// The call-tone category: talk-off on the call-progress and fax tones a
// receiver hears on a line (no digit at any level).

var callToneTrials = size{full: 3, quick: 1}

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
		pts, err := r.eval("talkoff-tones/"+ct.name, levels, r.n(callToneTrials), func(x float64, i int, seed uint64, rng *rand.Rand) (trial, error) {
			return trial{
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
