package detector_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// decodeAll runs a fresh detector over pcm in one call and flushes it.
func decodeAll(t testing.TB, cfg detector.Config, pcm []int16) []detector.Event {
	t.Helper()
	d, err := detector.New(cfg)
	require.NoError(t, err)
	return d.Flush(d.Process(nil, pcm))
}

// keyUps keeps the KeyUp events.
func keyUps(ev []detector.Event) []detector.Event {
	var out []detector.Event
	for _, e := range ev {
		if e.Type == detector.KeyUp {
			out = append(out, e)
		}
	}
	return out
}

// digits returns the digits of the KeyUp events.
func digits(ev []detector.Event) string {
	var b []byte
	for _, e := range keyUps(ev) {
		b = append(b, e.Digit)
	}
	return string(b)
}

// single builds lead silence of a seeded random length (so tones start at
// every phase of the analysis blocks), tone t with random phases, and 120 ms
// of silence.
func single(seed uint64, rate int, t synth.Tone) *synth.Signal {
	r := rand.New(rand.NewPCG(seed, 99))
	s := synth.New(rate, seed)
	s.Silence(40 + 10*r.Float64())
	t.RandomPhase = true
	if err := s.Add(t); err != nil {
		panic(err)
	}
	s.Silence(120)
	return s
}

// level returns dBm0 for a nominal test level with an offset.
func tone(d byte, ms, low, high float64) synth.Tone {
	return synth.Tone{Digit: d, Duration: ms, LowLevel: low, HighLevel: high}
}

// ms converts samples at rate to milliseconds.
func ms(samples int64, rate int) float64 { return float64(samples) * 1000 / float64(rate) }

// noisePower returns the white-noise power giving snr [dB] against a digit
// whose two tones are at dBm0 each.
func noisePower(dBm0, snr float64) float64 {
	a := synth.Amplitude(dBm0)
	return a * a / math.Pow(10, snr/10)
}
