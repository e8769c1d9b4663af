// Package synth builds deterministic DTMF test signals: digit tones at given
// levels [dBm0], twist and frequency offsets, pauses, interruptions, and
// white Gaussian noise at a given power. Each tone starts at its own phase
// (given, or drawn from the signal's seeded generator) at its first sample,
// and runs on through its interruptions; lengths are rounded to the nearest
// sample. It is the ground truth of the detector's tests, itself tested
// against analytic values (synth_test.go).
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dtmfkit/dtmf/internal/keypad"
)

// DBm0Peak is the peak amplitude, in 16-bit linear units, of a 0 dBm0 sine
// (0.6997 of full scale, ITU-T G.711).
const DBm0Peak = 0.6997 * 32768

// Amplitude returns the peak amplitude of a sine at level dBm0.
func Amplitude(dBm0 float64) float64 { return DBm0Peak * math.Pow(10, dBm0/20) }

// Frequencies returns the nominal low and high frequency [Hz] of digit.
func Frequencies(digit byte) (low, high float64, err error) {
	low, high, ok := keypad.KeyFrequencies(digit)
	if !ok {
		return 0, 0, fmt.Errorf("synth: %q is not a DTMF key", digit)
	}
	return low, high, nil
}

// Tone describes one key press.
type Tone struct {
	Digit byte
	// Duration of the tone [ms].
	Duration float64
	// LowLevel and HighLevel [dBm0] of each tone.
	LowLevel, HighLevel float64
	// LowOffset and HighOffset: frequency deviation [% of nominal].
	LowOffset, HighOffset float64
	// Phase of each tone at its start [rad]; if RandomPhase, drawn from the
	// signal's generator instead.
	LowPhase, HighPhase float64
	RandomPhase         bool
	// Gaps lists interruptions inside the tone: {start, length} in ms from
	// the tone start; the tone is silent there (its phase runs on).
	Gaps [][2]float64
}

// Press is the truth about one tone written into a signal.
type Press struct {
	Digit      byte
	Start, End int // samples [Start, End)
}

// Signal is a growing float64 signal in 16-bit linear units.
type Signal struct {
	Rate    int
	Samples []float64
	Presses []Press
	rng     *rand.Rand
}

// New returns an empty signal at rate [Hz] whose random choices (noise,
// phases) come from a generator seeded with seed.
func New(rate int, seed uint64) *Signal {
	return &Signal{Rate: rate, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// N returns the samples in ms milliseconds at the signal's rate, rounded to
// nearest (halves away from zero).
func (s *Signal) N(ms float64) int { return int(math.Round(ms * float64(s.Rate) / 1000)) }

// Silence appends ms of exact zeros.
func (s *Signal) Silence(ms float64) {
	s.Samples = append(s.Samples, make([]float64, s.N(ms))...)
}

// Add appends tone t and records it in Presses.
func (s *Signal) Add(t Tone) error {
	fl, fh, err := Frequencies(t.Digit)
	if err != nil {
		return err
	}
	fl *= 1 + t.LowOffset/100
	fh *= 1 + t.HighOffset/100
	pl, ph := t.LowPhase, t.HighPhase
	if t.RandomPhase {
		pl, ph = 2*math.Pi*s.rng.Float64(), 2*math.Pi*s.rng.Float64()
	}
	al, ah := Amplitude(t.LowLevel), Amplitude(t.HighLevel)
	n := s.N(t.Duration)
	start := len(s.Samples)
	wl, wh := 2*math.Pi*fl/float64(s.Rate), 2*math.Pi*fh/float64(s.Rate)
	for i := range n {
		v := al*math.Sin(wl*float64(i)+pl) + ah*math.Sin(wh*float64(i)+ph)
		ms := float64(i) * 1000 / float64(s.Rate)
		for _, g := range t.Gaps {
			if ms >= g[0] && ms < g[0]+g[1] {
				v = 0
			}
		}
		s.Samples = append(s.Samples, v)
	}
	s.Presses = append(s.Presses, Press{Digit: t.Digit, Start: start, End: start + n})
	return nil
}

// Power returns the mean power of samples [from, to).
func (s *Signal) Power(from, to int) float64 {
	var p float64
	for _, v := range s.Samples[from:to] {
		p += v * v
	}
	return p / float64(max(to-from, 1))
}

// AddNoise adds white Gaussian noise of the given power (16-bit units²).
func (s *Signal) AddNoise(power float64) {
	sd := math.Sqrt(power)
	for i := range s.Samples {
		s.Samples[i] += sd * s.rng.NormFloat64()
	}
}

// PCM returns the signal rounded and saturated to 16-bit linear.
func (s *Signal) PCM() []int16 {
	out := make([]int16, len(s.Samples))
	for i, v := range s.Samples {
		out[i] = int16(math.Max(-32768, math.Min(32767, math.Round(v))))
	}
	return out
}
