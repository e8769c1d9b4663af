package suppress

import (
	"fmt"
	"math"
	"time"

	"github.com/dtmfkit/dtmf/detector"
)

// Fill is what replaces a key press.
type Fill uint8

const (
	// Silence replaces a key press with digital silence (0; µ-law 0xFF,
	// A-law 0xD5).
	Silence Fill = iota
	// Noise replaces a key press with low-level white comfort noise at
	// [Config.NoiseLevel], so that the far end does not hear the line go
	// dead.
	Noise
)

// String returns "silence" or "noise".
func (f Fill) String() string {
	switch f {
	case Silence:
		return "silence"
	case Noise:
		return "noise"
	}
	return "invalid"
}

// ParseFill returns the Fill whose String is s, or an error wrapping
// [ErrConfig].
func ParseFill(s string) (Fill, error) {
	switch s {
	case "silence":
		return Silence, nil
	case "noise":
		return Noise, nil
	}
	return 0, fmt.Errorf("%w: fill %q: want silence or noise", ErrConfig, s)
}

// Limits of the replaced span's margins.
const (
	// MaxGuard is the largest [Config.Guard]: a span reaches at most this far
	// beyond the measured tone on either side.
	MaxGuard = 10 * time.Millisecond
	// DefaultGuard covers the detector's edge error (within about 1 ms on
	// clean signals, 3 ms in noise or at odd phases) plus the default
	// fade, so that the fade runs before the tone starts and after it ends.
	DefaultGuard = 5 * time.Millisecond
	// DefaultFade is long enough that the cut to silence and back does not
	// click (a raised-cosine ramp of 2 ms puts its spectral splatter below
	// about 500 Hz and 40 dB down past 1 kHz) and short enough to fit in the
	// guard with the edge error beside it.
	DefaultFade = 2 * time.Millisecond
	// DefaultNoiseLevel is the comfort noise level [dBm0]: audible as a line
	// that is still alive, far below anything the detector could take for a
	// tone (its floor is -36 dBm0 per tone, and white noise is no tone pair).
	DefaultNoiseLevel = -60.0
)

// Config sets a [Suppressor]. Start from [DefaultConfig] and override fields;
// [New] validates every field.
type Config struct {
	// Detector configures the wrapped detector, sample rate included
	// (8000 to 48000 Hz). Default: [detector.DefaultConfig].
	Detector detector.Config

	// Guard is how far beyond the tone's measured start and end the
	// replaced span reaches [time], 0 to 10 ms. The delay grows with it (see
	// [Suppressor.Delay]). Default 5 ms.
	Guard time.Duration

	// Fade is the length of the raised-cosine crossfade between the
	// forwarded audio and the fill at each end of a span [time], 0 to Guard;
	// it lies inside the span, in its guard. Default 2 ms.
	Fade time.Duration

	// Fill selects what replaces a key press: [Silence] (the default) or
	// [Noise].
	Fill Fill

	// NoiseLevel is the power of the comfort noise [dBm0], -80 to -40
	// (used with Fill = Noise). Default -60.
	NoiseLevel float64
}

// DefaultConfig returns the documented defaults: the detector's defaults at
// 8000 Hz, a 5 ms guard, 2 ms fades, silence as fill (noise level -60 dBm0
// if noise is chosen).
func DefaultConfig() Config {
	return Config{
		Detector:   detector.DefaultConfig(),
		Guard:      DefaultGuard,
		Fade:       DefaultFade,
		Fill:       Silence,
		NoiseLevel: DefaultNoiseLevel,
	}
}

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil. Detector fields are checked by [detector.Config.Validate], whose
// error is wrapped too.
func (c Config) Validate() error {
	if err := c.Detector.Validate(); err != nil {
		return fmt.Errorf("%w: Detector: %w", ErrConfig, err)
	}
	switch {
	case c.Guard < 0 || c.Guard > MaxGuard:
		return fmt.Errorf("%w: Guard %v: want a value in [0, %v]", ErrConfig, c.Guard, MaxGuard)
	case c.Fade < 0 || c.Fade > c.Guard:
		return fmt.Errorf("%w: Fade %v: want a value in [0, Guard = %v]", ErrConfig, c.Fade, c.Guard)
	case c.Fill != Silence && c.Fill != Noise:
		return fmt.Errorf("%w: Fill %d: want Silence or Noise", ErrConfig, c.Fill)
	case math.IsNaN(c.NoiseLevel) || c.NoiseLevel < -80 || c.NoiseLevel > -40:
		return fmt.Errorf("%w: NoiseLevel %v dBm0: want a value in [-80, -40]", ErrConfig, c.NoiseLevel)
	}
	return nil
}
