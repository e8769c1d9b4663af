package detector

import (
	"fmt"
	"math"
	"time"
)

// Config sets the detector's checks. Start from [DefaultConfig] and override
// fields; [New] validates every field. The defaults follow ITU-T Q.24 and
// ETSI ES 201 235-3.
type Config struct {
	// SampleRate is the input sample rate [Hz], 8000 to 48000. Block
	// lengths and filter coefficients are derived from it. Default 8000.
	SampleRate int

	// MinLevel is the sensitivity floor [dBm0] per tone, -50 to 0: tones
	// at or above it are accepted, tones 6 dB or more below it are never
	// detected (the decision lies 3 dB below MinLevel). 0 dBm0 is a sine of
	// peak 0.6997 of 16-bit full scale (ITU-T G.711). Default -36.
	MinLevel float64

	// MaxNormalTwist is how much weaker [dB] the high-group tone may be than
	// the low-group tone, 0 to 20. Default 8.
	MaxNormalTwist float64

	// MaxReverseTwist is how much stronger [dB] the high-group tone may be
	// than the low-group tone, 0 to 20. Default 4.
	MaxReverseTwist float64

	// FrequencyTolerance is the largest accepted deviation of each tone from
	// its nominal frequency [% of nominal], 1.5 to 5, for a tone measured
	// clear of noise: each tone's frequency is measured to a fraction of a
	// hertz, not merely its energy near the nominal bin. The default, 1.85 %,
	// is what Q.24 requires to be accepted, ±(1.5 % + 2 Hz) (1.62 to
	// 1.79 %), plus that precision (3.5 % must be rejected). Musical notes
	// near the DTMF tones sit 0.2 to 2.5 % from them (G5 784 Hz is 1.8 %
	// above 770, G♯6 1661 Hz 1.7 % above 1633, G♯5 831 Hz 2.5 % below
	// 852), and DTMF generators are within 1.8 % by Q.23: every 0.1 %
	// accepted lets more music through. The full tolerance is for a pair
	// alone on the line (85 % of the energy or more); one that shares it
	// with other sound is held to 1.2 % (or this, if smaller).
	FrequencyTolerance float64

	// MinRelativePeak is how far [dB] the strongest frequency in each group
	// must stand above the group's other three, 0 to 12, measured over
	// 15 ms. A single tone 2.2 % off nominal leaves its neighbours only 7 to
	// 10 dB down in so short a window. Default 6.
	MinRelativePeak float64

	// MinEnergyShare is the least share of the signal's energy, 0.1 to 0.95,
	// that the two tones must hold. It is a floor against wideband sound,
	// not the talk-off guard (that is MaxResidual): noise spreads evenly
	// over the band, and two tones at 0 dB SNR in white noise still hold
	// half the energy. Default 0.45.
	MinEnergyShare float64

	// MaxSecondHarmonic is the strongest a tone's second harmonic may be
	// relative to the tone itself [dB], -15 to 0. Voiced speech and
	// instruments have strong harmonics; DTMF generators have almost none.
	// A 5 ms block leaves about -25 dB of the tones' own leak in the
	// harmonic filters, so a stricter limit would reject clean digits.
	// Default -10.
	MaxSecondHarmonic float64

	// MaxResidual is the most that may be left between 600 and 1500 Hz once
	// the two tones are taken out, beyond the flat floor of noise, relative
	// to the weaker tone [dB per 100 Hz], -30 to 0. A voice that mimics a
	// key does it with two of its pitch harmonics, and the others sit on
	// both sides of them; a key pressed over speech or music rises well
	// above what they leave in the DTMF band, and noise leaves only its
	// flat floor. Default -12.
	MaxResidual float64

	// MaxThirdTone is the strongest any other component between 600 and
	// 2400 Hz may stand above the noise floor, relative to the weaker tone
	// [dB], -20 to 6: a chord's third note, a neighbouring harmonic. Q.24
	// class receivers must tolerate a third tone 16 dB down. Default -3.
	MaxThirdTone float64

	// MaxPriorTone is the strongest either tone may already have been
	// sounding just before the candidate's onset, relative to its level in
	// the candidate [dB], -30 to 0. A key starts both its tones out of
	// their absence; a chord that mimics one usually holds a note over
	// from before. What counts is about the weakest the tone's filter was
	// in the last 20 ms (each 5 ms block of age adding 1.5 dB), so speech
	// and noise under a key, which come and go, leave it far below; a key
	// that starts the moment a louder sound at its frequencies stops (no
	// pause between them) is rejected too. At 0 only a tone already as
	// strong as in the candidate is rejected. Default -8.
	MaxPriorTone float64

	// MinToneDuration is the shortest tone accepted as a key press, 10 ms
	// to 1 s. Q.24 requires 40 ms tones to be accepted and 23 ms tones to
	// be rejected; tone length is measured to about a millisecond, and the
	// default, 25 ms, lets a key-down be confirmed within 32 ms of onset.
	MinToneDuration time.Duration

	// MinPause is the shortest gap [time] that separates two presses of the
	// same key, 5 ms to 500 ms. Shorter interruptions are bridged. Q.24
	// requires 40 ms pauses to separate digits and ETSI ES 201 235-3 that
	// 20 ms interruptions be bridged; the default is 30 ms.
	MinPause time.Duration
}

// DefaultConfig returns the documented defaults: 8000 Hz, floor -36 dBm0,
// twist 8 dB normal and 4 dB reverse, frequency tolerance 1.85 %, relative peak
// 6 dB, energy share 0.45, second harmonic -10 dB, residual -12 dB, third
// tone -3 dB, prior tone -8 dB, minimum tone 25 ms and minimum pause 30 ms.
func DefaultConfig() Config {
	return Config{
		SampleRate:         8000,
		MinLevel:           -36,
		MaxNormalTwist:     8,
		MaxReverseTwist:    4,
		FrequencyTolerance: 1.85,
		MinRelativePeak:    6,
		MinEnergyShare:     0.45,
		MaxSecondHarmonic:  -10,
		MaxResidual:        -12,
		MaxThirdTone:       -3,
		MaxPriorTone:       -8,
		MinToneDuration:    25 * time.Millisecond,
		MinPause:           30 * time.Millisecond,
	}
}

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil.
func (c Config) Validate() error {
	if c.SampleRate < 8000 || c.SampleRate > 48000 {
		return fmt.Errorf("%w: SampleRate %d Hz: want a value in [8000, 48000]", ErrConfig, c.SampleRate)
	}
	checks := []struct {
		name     string
		v        float64
		lo, hi   float64
		unitText string
	}{
		{"MinLevel", c.MinLevel, -50, 0, "dBm0"},
		{"MaxNormalTwist", c.MaxNormalTwist, 0, 20, "dB"},
		{"MaxReverseTwist", c.MaxReverseTwist, 0, 20, "dB"},
		{"FrequencyTolerance", c.FrequencyTolerance, 1.5, 5, "%"},
		{"MinRelativePeak", c.MinRelativePeak, 0, 12, "dB"},
		{"MinEnergyShare", c.MinEnergyShare, 0.1, 0.95, ""},
		{"MaxSecondHarmonic", c.MaxSecondHarmonic, -15, 0, "dB"},
		{"MaxResidual", c.MaxResidual, -30, 0, "dB"},
		{"MaxThirdTone", c.MaxThirdTone, -20, 6, "dB"},
		{"MaxPriorTone", c.MaxPriorTone, -30, 0, "dB"},
	}
	for _, k := range checks {
		if math.IsNaN(k.v) || k.v < k.lo || k.v > k.hi {
			return fmt.Errorf("%w: %s %v %s: want a value in [%v, %v]", ErrConfig, k.name, k.v, k.unitText, k.lo, k.hi)
		}
	}
	durs := []struct {
		name   string
		v      time.Duration
		lo, hi time.Duration
	}{
		{"MinToneDuration", c.MinToneDuration, 10 * time.Millisecond, time.Second},
		{"MinPause", c.MinPause, 5 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, k := range durs {
		if k.v < k.lo || k.v > k.hi {
			return fmt.Errorf("%w: %s %v: want a value in [%v, %v]", ErrConfig, k.name, k.v, k.lo, k.hi)
		}
	}
	return nil
}
