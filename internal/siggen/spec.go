package siggen

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// Codec names accepted by [Spec.Codec].
const (
	CodecNone = ""     // 16-bit linear, no round trip
	CodecULaw = "ulaw" // G.711 µ-law encode and decode
	CodecALaw = "alaw" // G.711 A-law encode and decode
)

// Spec describes one DTMF test signal completely: the same Spec and seed
// always give the same samples. It is what `dtmf gen` writes and what each
// trial of the accuracy suite decodes; [Spec.Args] prints the `dtmf gen`
// flags that rebuild it.
//
// The signal is: LeadMS of silence, then for each digit a tone of ToneMS
// followed by PauseMS of silence (no pause after the last digit), then
// TrailMS of silence. Noise and background, if any, cover the whole signal.
type Spec struct {
	// SampleRate [Hz], 4000 to 192000.
	SampleRate int `json:"sample_rate"`
	// Seed drives every random choice: tone phases and noise.
	Seed uint64 `json:"seed"`
	// Digits are the keys pressed, from "0123456789ABCD*#".
	Digits string `json:"digits"`
	// ToneMS and PauseMS are each tone's length and the silence between
	// tones [ms].
	ToneMS  float64 `json:"tone_ms"`
	PauseMS float64 `json:"pause_ms"`
	// LeadMS and TrailMS are the silence before the first and after the
	// last tone [ms].
	LeadMS  float64 `json:"lead_ms"`
	TrailMS float64 `json:"trail_ms"`
	// LowLevel and HighLevel are the levels of the low- and high-group tone
	// [dBm0]; twist is HighLevel-LowLevel (negative: "normal" twist).
	LowLevel  float64 `json:"low_level_dbm0"`
	HighLevel float64 `json:"high_level_dbm0"`
	// LowOffset and HighOffset shift each tone from its nominal frequency
	// [% of nominal].
	LowOffset  float64 `json:"low_offset_pct"`
	HighOffset float64 `json:"high_offset_pct"`
	// Gaps are interruptions inside every tone, {start, length} in ms from
	// the tone's start: the tone is silent there.
	Gaps [][2]float64 `json:"gaps,omitempty"`
	// SNR, if set, adds white Gaussian noise over the whole signal: the
	// ratio [dB] of the DTMF power (both tones) to the noise power over the
	// full band 0..SampleRate/2.
	SNR *float64 `json:"snr_db,omitempty"`
	// Background, if set, is mixed in over the whole signal (repeated if
	// shorter, starting BackgroundOffsetMS into it), scaled so that its
	// active level (see [ActiveLevel]) is BackgroundLevel [dBm0].
	// Background names the recording; BackgroundPCM holds its samples at
	// SampleRate.
	Background         string  `json:"background,omitempty"`
	BackgroundPCM      []int16 `json:"-"`
	BackgroundLevel    float64 `json:"background_level_dbm0,omitempty"`
	BackgroundOffsetMS float64 `json:"background_offset_ms,omitempty"`
	// Codec, if set, passes the finished signal through a G.711 round
	// trip: CodecULaw or CodecALaw.
	Codec string `json:"codec,omitempty"`
}

// DefaultSpec returns the `dtmf gen` defaults: 8000 Hz, seed 1, the digits
// "1234567890*#ABCD", 100 ms tones and pauses at -10 dBm0 per tone, 100 ms of
// silence before and after, no noise.
func DefaultSpec() Spec {
	return Spec{
		SampleRate: 8000, Seed: 1, Digits: "1234567890*#ABCD",
		ToneMS: 100, PauseMS: 100, LeadMS: 100, TrailMS: 100,
		LowLevel: -10, HighLevel: -10,
	}
}

// Validate reports the first invalid field of s as an error wrapping
// [ErrSpec], or nil.
func (s *Spec) Validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("%w: %s = %v, want %s", ErrSpec, field, v, want)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case s.SampleRate < 4000 || s.SampleRate > 192000:
		return bad("sample rate", s.SampleRate, "4000 to 192000 Hz")
	case len(s.Digits) > 10000:
		return bad("digits", len(s.Digits), "at most 10000 keys")
	case !finite(s.ToneMS) || s.ToneMS < 0 || s.ToneMS > 600000:
		return bad("tone length", s.ToneMS, "0 to 600000 ms")
	case !finite(s.PauseMS) || s.PauseMS < 0 || s.PauseMS > 600000:
		return bad("pause length", s.PauseMS, "0 to 600000 ms")
	case !finite(s.LeadMS) || s.LeadMS < 0 || s.LeadMS > 3600000:
		return bad("lead", s.LeadMS, "0 to 3600000 ms")
	case !finite(s.TrailMS) || s.TrailMS < 0 || s.TrailMS > 3600000:
		return bad("trail", s.TrailMS, "0 to 3600000 ms")
	case !finite(s.LowLevel) || s.LowLevel < -120 || s.LowLevel > 12:
		return bad("low level", s.LowLevel, "-120 to +12 dBm0")
	case !finite(s.HighLevel) || s.HighLevel < -120 || s.HighLevel > 12:
		return bad("high level", s.HighLevel, "-120 to +12 dBm0")
	case !finite(s.LowOffset) || math.Abs(s.LowOffset) > 20:
		return bad("low offset", s.LowOffset, "-20 to +20 %")
	case !finite(s.HighOffset) || math.Abs(s.HighOffset) > 20:
		return bad("high offset", s.HighOffset, "-20 to +20 %")
	case s.SNR != nil && (!finite(*s.SNR) || math.Abs(*s.SNR) > 200):
		return bad("SNR", *s.SNR, "-200 to +200 dB")
	case s.Codec != CodecNone && s.Codec != CodecULaw && s.Codec != CodecALaw:
		return bad("codec", strconv.Quote(s.Codec), `"", "ulaw" or "alaw"`)
	case !finite(s.BackgroundLevel) || s.BackgroundLevel < -120 || s.BackgroundLevel > 12:
		return bad("background level", s.BackgroundLevel, "-120 to +12 dBm0")
	case !finite(s.BackgroundOffsetMS) || s.BackgroundOffsetMS < 0:
		return bad("background offset", s.BackgroundOffsetMS, "0 ms or more")
	}
	for i := range len(s.Digits) {
		if _, _, err := synth.Frequencies(s.Digits[i]); err != nil {
			return bad("digit", strconv.Quote(s.Digits[i:i+1]), "one of 0-9, A-D, *, #")
		}
	}
	for _, g := range s.Gaps {
		if !finite(g[0]) || !finite(g[1]) || g[0] < 0 || g[1] <= 0 {
			return bad("gap", fmt.Sprintf("%v:%v", g[0], g[1]), "START:LENGTH with START >= 0 and LENGTH > 0 ms")
		}
	}
	if s.Background != "" && len(s.BackgroundPCM) == 0 {
		return bad("background", strconv.Quote(s.Background), "a recording with samples")
	}
	return nil
}

// Signal is a built test signal: its samples and the truth about them.
type Signal struct {
	SampleRate int
	PCM        []int16
	// Presses are the tones written, in order, in samples.
	Presses []synth.Press
}

// Build generates the signal s describes. It fails with an error wrapping
// [ErrSpec] if s is invalid. It allocates the samples (two float64 per
// sample while building).
func (s *Spec) Build() (*Signal, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	g := synth.New(s.SampleRate, s.Seed)
	g.Silence(s.LeadMS)
	for i := range len(s.Digits) {
		if i > 0 {
			g.Silence(s.PauseMS)
		}
		err := g.Add(synth.Tone{
			Digit: s.Digits[i], Duration: s.ToneMS,
			LowLevel: s.LowLevel, HighLevel: s.HighLevel,
			LowOffset: s.LowOffset, HighOffset: s.HighOffset,
			RandomPhase: true, Gaps: s.Gaps,
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSpec, err)
		}
	}
	g.Silence(s.TrailMS)
	if s.SNR != nil {
		g.AddNoise(DTMFPower(s.LowLevel, s.HighLevel) / math.Pow(10, *s.SNR/10))
	}
	if len(s.BackgroundPCM) > 0 {
		MixBackground(g.Samples, s.BackgroundPCM, s.SampleRate, g.N(s.BackgroundOffsetMS), s.BackgroundLevel)
	}
	sig := &Signal{SampleRate: s.SampleRate, PCM: g.PCM(), Presses: g.Presses}
	RoundTrip(sig.PCM, s.Codec)
	return sig, nil
}

// DTMFPower returns the mean power [16-bit units²] of a DTMF tone pair at
// the given levels [dBm0]: the sum of the two sines' powers.
func DTMFPower(lowLevel, highLevel float64) float64 {
	al, ah := synth.Amplitude(lowLevel), synth.Amplitude(highLevel)
	return al*al/2 + ah*ah/2
}

// PowerLevel converts a mean power [16-bit units²] to dBm0 (0 dBm0 is the
// power of a sine of peak [synth.DBm0Peak]); zero power gives -Inf.
func PowerLevel(power float64) float64 {
	return 10 * math.Log10(power/(synth.DBm0Peak*synth.DBm0Peak/2))
}

// ActiveLevel returns the active level [dBm0] of a recording at rate [Hz]:
// the mean power of its 10 ms frames that are no more than 30 dB below the
// 95th-percentile frame, so that the pauses of speech do not lower it. It
// returns -Inf for silence. It allocates one float64 per frame.
func ActiveLevel(pcm []int16, rate int) float64 {
	n := max(rate/100, 1)
	var frames []float64
	for i := 0; i+n <= len(pcm); i += n {
		var p float64
		for _, v := range pcm[i : i+n] {
			p += float64(v) * float64(v)
		}
		frames = append(frames, p/float64(n))
	}
	if len(frames) == 0 {
		return math.Inf(-1)
	}
	sorted := append([]float64(nil), frames...)
	sort.Float64s(sorted)
	floor := sorted[len(sorted)*95/100] / 1000
	var sum float64
	var k int
	for _, p := range frames {
		if p >= floor && p > 0 {
			sum += p
			k++
		}
	}
	if k == 0 {
		return math.Inf(-1)
	}
	return PowerLevel(sum / float64(k))
}

// MixBackground adds bg (at rate [Hz]) to dst, starting offset samples into
// bg and wrapping around, scaled so that bg's [ActiveLevel] becomes level
// [dBm0]. A silent bg adds nothing.
func MixBackground(dst []float64, bg []int16, rate, offset int, level float64) {
	have := ActiveLevel(bg, rate)
	if len(bg) == 0 || math.IsInf(have, -1) {
		return
	}
	gain := math.Pow(10, (level-have)/20)
	j := offset % len(bg)
	for i := range dst {
		dst[i] += gain * float64(bg[j])
		j++
		if j == len(bg) {
			j = 0
		}
	}
}

// RoundTrip passes pcm through a G.711 encode and decode in place: codec is
// [CodecULaw], [CodecALaw] or [CodecNone] (no change).
func RoundTrip(pcm []int16, codec string) {
	switch codec {
	case CodecULaw:
		for i, v := range pcm {
			pcm[i] = g711.ULawToLinear(g711.LinearToULaw(v))
		}
	case CodecALaw:
		for i, v := range pcm {
			pcm[i] = g711.ALawToLinear(g711.LinearToALaw(v))
		}
	}
}

// Args returns the `dtmf gen` flags that rebuild s (all but the output
// file), for failure reports and manifests.
func (s *Spec) Args() []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	a := []string{
		"--rate", strconv.Itoa(s.SampleRate), "--seed", strconv.FormatUint(s.Seed, 10),
		"--digits", s.Digits, "--tone", f(s.ToneMS), "--pause", f(s.PauseMS),
		"--lead", f(s.LeadMS), "--trail", f(s.TrailMS),
		"--low-level", f(s.LowLevel), "--high-level", f(s.HighLevel),
	}
	if s.LowOffset != 0 {
		a = append(a, "--low-offset", f(s.LowOffset))
	}
	if s.HighOffset != 0 {
		a = append(a, "--high-offset", f(s.HighOffset))
	}
	for _, g := range s.Gaps {
		a = append(a, "--gap", f(g[0])+":"+f(g[1]))
	}
	if s.SNR != nil {
		a = append(a, "--snr", f(*s.SNR))
	}
	if s.Background != "" {
		a = append(a, "--background", s.Background, "--background-level", f(s.BackgroundLevel))
		if s.BackgroundOffsetMS != 0 {
			a = append(a, "--background-offset", f(s.BackgroundOffsetMS))
		}
	}
	if s.Codec != CodecNone {
		a = append(a, "--codec", s.Codec)
	}
	return a
}

// Command returns the `dtmf gen` command line that rebuilds s into out,
// quoted for a POSIX shell.
func (s *Spec) Command(out string) string {
	args := append([]string{"dtmf", "gen"}, s.Args()...)
	args = append(args, out)
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/+=%@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
