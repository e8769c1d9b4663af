package tone

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/keypad"
)

// ErrInvalid reports an argument out of range; the wrapped message names
// it, its value and the allowed range.
var ErrInvalid = errors.New("tone: invalid argument")

// fullScaleDBm0 is the peak of a 0 dBm0 sine relative to 16-bit full scale
// (ITU-T G.711: the µ-law digital milliwatt).
const fullScaleDBm0 = 0.6997

// Limits of the arguments.
const (
	// MinSampleRate and MaxSampleRate bound the sample rate [Hz]: those the
	// detector takes.
	MinSampleRate, MaxSampleRate = 8000, 48000
	// MaxLevel is the loudest tone [dBm0]: two tones at +3 dBm0 reach
	// 16-bit full scale together.
	MaxLevel = 3.0
)

// AppendKey appends a press of digit (0-9, A-D, *, #) lasting d at
// sampleRate: its two tones, each at level [dBm0], summed and rounded to
// 16 bits. The tone's phase is that of sample len(dst) of a tone started
// at dst[0]. It returns an error wrapping [ErrInvalid] (and dst unchanged)
// for a digit outside the 16 keys, a rate outside [MinSampleRate,
// MaxSampleRate], a negative d, or a level above MaxLevel or not finite.
// It allocates only if dst lacks capacity.
func AppendKey(dst []int16, sampleRate int, digit byte, d time.Duration, level float64) ([]int16, error) {
	low, high, ok := keypad.KeyFrequencies(digit)
	switch {
	case !ok:
		return dst, fmt.Errorf("%w: digit %q, want one of %s", ErrInvalid, digit, keypad.Keys)
	case sampleRate < MinSampleRate || sampleRate > MaxSampleRate:
		return dst, fmt.Errorf("%w: sample rate %d Hz, want %d to %d", ErrInvalid, sampleRate, MinSampleRate, MaxSampleRate)
	case d < 0:
		return dst, fmt.Errorf("%w: duration %v, want ≥ 0", ErrInvalid, d)
	case math.IsNaN(level) || level > MaxLevel:
		return dst, fmt.Errorf("%w: level %v dBm0, want at most %v", ErrInvalid, level, MaxLevel)
	}
	amp := fullScaleDBm0 * 32768 * math.Pow(10, level/20)
	n := samples(d, sampleRate)
	w1, w2 := 2*math.Pi*low/float64(sampleRate), 2*math.Pi*high/float64(sampleRate)
	for i, end := len(dst), len(dst)+n; i < end; i++ {
		x := amp * (math.Sin(w1*float64(i)) + math.Sin(w2*float64(i)))
		dst = append(dst, int16(max(-32768, min(32767, math.Round(x)))))
	}
	return dst, nil
}

// AppendSilence appends d of silence at sampleRate (d < 0 counts as 0). It
// allocates only if dst lacks capacity.
func AppendSilence(dst []int16, sampleRate int, d time.Duration) []int16 {
	for range samples(max(d, 0), sampleRate) {
		dst = append(dst, 0)
	}
	return dst
}

// AppendULaw appends pcm encoded as G.711 µ-law (a PCMU payload), one byte
// per sample. It allocates only if dst lacks capacity.
func AppendULaw(dst []byte, pcm []int16) []byte {
	for _, v := range pcm {
		dst = append(dst, g711.LinearToULaw(v))
	}
	return dst
}

// AppendALaw appends pcm encoded as G.711 A-law (a PCMA payload), one byte
// per sample. It allocates only if dst lacks capacity.
func AppendALaw(dst []byte, pcm []int16) []byte {
	for _, v := range pcm {
		dst = append(dst, g711.LinearToALaw(v))
	}
	return dst
}

// samples converts d ≥ 0 to samples at rate, rounded to nearest, without
// overflow for any Duration.
func samples(d time.Duration, rate int) int {
	r := int64(rate)
	whole, frac := int64(d/time.Second), int64(d%time.Second)
	return int(whole*r + (frac*r+int64(time.Second)/2)/int64(time.Second))
}
