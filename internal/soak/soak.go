package soak

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dtmfkit/dtmf/internal/synth"
)

const (
	// Rate is the sample rate [Hz] of every segment.
	Rate = 8000
	// FrameSize is the length of the frames a [Stream] hands out: 20 ms.
	// Every segment's length is a multiple of it.
	FrameSize = 160
)

// Kind tells what a segment holds.
type Kind uint8

// The kinds of segment.
const (
	Silence Kind = iota // exact zeros or a faint noise floor
	Speech              // recorded or synthetic speech
	Music               // chords or a melody of harmonic-rich notes
	Burst               // the 16 DTMF keys
	Steady              // a steady tone that resembles a key but is none
)

// String returns "silence", "speech", "music", "burst" or "steady".
func (k Kind) String() string {
	switch k {
	case Silence:
		return "silence"
	case Speech:
		return "speech"
	case Music:
		return "music"
	case Burst:
		return "burst"
	case Steady:
		return "steady"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Press is the truth about one key of the burst: samples [Start, End) of
// its segment.
type Press struct {
	Digit      byte
	Start, End int
}

// Segment is one rendered piece of audio.
type Segment struct {
	Kind Kind
	Name string
	// PCM is 8 kHz 16-bit audio, a whole number of frames long. It is
	// shared: do not modify it.
	PCM []int16
	// Presses lists the keys of a Burst segment, in order; nil otherwise.
	Presses []Press
}

// Config sets a [Program].
type Config struct {
	// Speech holds recorded prompts (8 kHz 16-bit mono), used in turn, each
	// padded with zeros to whole frames; empty prompts are skipped. If none
	// is left, synthetic speech-like segments are rendered instead.
	Speech [][]int16
	// Seed makes every random choice (synthetic speech, music, noise, the
	// order of the prompts); the same Config gives the same Program.
	Seed uint64
}

// Program is a cycle of rendered segments. It is read-only once built:
// any number of Streams may read it concurrently.
type Program struct {
	segments []Segment
	order    []int // one cycle: indices into segments
	cycle    int64 // samples in one cycle
	burst    int   // index of the burst segment
	bursts   int   // bursts per cycle
}

// New renders the segments of cfg and lays out one cycle: for each speech
// segment, the speech, a music segment, a silence segment and the burst.
func New(cfg Config) *Program {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x50a4))
	p := &Program{}
	var speech []int
	for i, pcm := range cfg.Speech {
		if len(pcm) == 0 {
			continue
		}
		speech = append(speech, p.add(Segment{Kind: Speech, Name: fmt.Sprintf("prompt %d", i), PCM: padded(pcm)}))
	}
	if len(speech) == 0 {
		for i := range 48 {
			speech = append(speech, p.add(Segment{Kind: Speech, Name: fmt.Sprintf("synthetic speech %d", i), PCM: speechLike(r)}))
		}
	}
	r.Shuffle(len(speech), func(i, j int) { speech[i], speech[j] = speech[j], speech[i] })
	var music []int
	for i, c := range chords {
		music = append(music, p.add(Segment{Kind: Music, Name: fmt.Sprintf("chord %d %v", i, c), PCM: chord(r, c, 1.5)}))
	}
	music = append(music, p.add(Segment{Kind: Music, Name: "melody", PCM: melody(r)}))
	silences := []int{
		p.add(Segment{Kind: Silence, Name: "zeros 0.3 s", PCM: make([]int16, 3*Rate/10)}),
		p.add(Segment{Kind: Silence, Name: "noise floor 0.5 s", PCM: noiseFloor(r, Rate/2)}),
		p.add(Segment{Kind: Silence, Name: "zeros 1 s", PCM: make([]int16, Rate)}),
		p.add(Segment{Kind: Silence, Name: "noise floor 2 s", PCM: noiseFloor(r, 2*Rate)}),
	}
	p.burst = p.add(burst())
	var steady []int
	for _, st := range steadyTones {
		steady = append(steady, p.add(Segment{Kind: Steady, Name: st.name, PCM: render(st.partials, steadySeconds*Rate)}))
	}
	var played, steadyPlayed int64
	for i, s := range speech {
		p.order = append(p.order, s, music[i%len(music)])
		played += int64(len(p.segments[s].PCM) + len(p.segments[music[i%len(music)]].PCM))
		if steadyPlayed < played/steadyShare {
			k := steady[int(steadyPlayed/(steadySeconds*Rate))%len(steady)]
			p.order = append(p.order, k)
			steadyPlayed += steadySeconds * Rate
			played += steadySeconds * Rate
		}
		p.order = append(p.order, silences[i%len(silences)], p.burst)
	}
	p.bursts = len(speech)
	for _, i := range p.order {
		p.cycle += int64(len(p.segments[i].PCM))
	}
	return p
}

func (p *Program) add(s Segment) int {
	p.segments = append(p.segments, s)
	return len(p.segments) - 1
}

// Segments returns the rendered segments (shared: do not modify them).
func (p *Program) Segments() []Segment { return p.segments }

// Burst returns the burst segment.
func (p *Program) Burst() *Segment { return &p.segments[p.burst] }

// CycleSamples returns the length of one cycle in samples.
func (p *Program) CycleSamples() int64 { return p.cycle }

// BurstsPerCycle returns how many bursts one cycle plays.
func (p *Program) BurstsPerCycle() int { return p.bursts }

// Stream returns a new stream at the start of the program.
func (p *Program) Stream() *Stream { return &Stream{p: p} }

// Stream plays a [Program]'s cycle over and over, one frame at a time.
type Stream struct {
	p   *Program
	i   int // index in p.order
	off int // offset of the next frame in the current segment
	pos int64
}

// Next returns the next frame ([FrameSize] samples aliasing the program's
// memory, capacity limited to the frame), the segment it belongs to and
// its offset in that segment. It never ends and does not allocate.
func (s *Stream) Next() (frame []int16, seg *Segment, off int) {
	seg = &s.p.segments[s.p.order[s.i]]
	off = s.off
	frame = seg.PCM[off : off+FrameSize : off+FrameSize]
	s.off += FrameSize
	if s.off == len(seg.PCM) {
		s.off = 0
		s.i++
		if s.i == len(s.p.order) {
			s.i = 0
		}
	}
	s.pos += FrameSize
	return frame, seg, off
}

// Position returns the number of samples handed out so far.
func (s *Stream) Position() int64 { return s.pos }

// padded returns a copy of x padded with zeros to whole frames.
func padded(x []int16) []int16 {
	n := (len(x) + FrameSize - 1) / FrameSize * FrameSize
	out := make([]int16, n)
	copy(out, x)
	return out
}

// clip saturates v to 16 bits.
func clip(v float64) int16 { return int16(max(-32768, min(32767, math.Round(v)))) }

// scaleTo converts x to 16 bits, scaled so that its RMS is level [dBm0]
// (a sine at level would have the same power), padded to whole frames.
func scaleTo(x []float64, level float64) []int16 {
	var p float64
	for _, v := range x {
		p += v * v
	}
	rms := math.Sqrt(p / float64(max(len(x), 1)))
	g := 0.0
	if rms > 0 {
		g = synth.Amplitude(level) / math.Sqrt2 / rms
	}
	out := make([]int16, (len(x)+FrameSize-1)/FrameSize*FrameSize)
	for i, v := range x {
		out[i] = clip(g * v)
	}
	return out
}

// burst renders the 16 keys in keypad order, 70 ms on and 70 ms off at
// -12/-13 dBm0, between 200 ms of exact silence.
func burst() Segment {
	const keys = "123A456B789C*0#D"
	s := synth.New(Rate, 42)
	s.Silence(200)
	for i := range len(keys) {
		// Add fails only for a key outside the 16.
		_ = s.Add(synth.Tone{Digit: keys[i], Duration: 70, LowLevel: -12, HighLevel: -13,
			LowPhase: float64(i), HighPhase: 2 * float64(i)})
		s.Silence(70)
	}
	s.Silence(130)
	seg := Segment{Kind: Burst, Name: "burst " + keys, PCM: padded(s.PCM())}
	for _, p := range s.Presses {
		seg.Presses = append(seg.Presses, Press{Digit: p.Digit, Start: p.Start, End: p.End})
	}
	return seg
}

// noiseFloor is n samples of white noise at -65 dBm0.
func noiseFloor(r *rand.Rand, n int) []int16 {
	sd := synth.Amplitude(-65) / math.Sqrt2
	x := make([]int16, n)
	for i := range x {
		x[i] = clip(sd * r.NormFloat64())
	}
	return x
}

// resonator is a two-pole filter at F [Hz] with bandwidth B [Hz].
type resonator struct{ a1, a2, y1, y2 float64 }

func (f *resonator) set(F, B float64) {
	r := math.Exp(-math.Pi * B / Rate)
	f.a1, f.a2 = 2*r*math.Cos(2*math.Pi*F/Rate), -r*r
}

func (f *resonator) step(x float64) float64 {
	y := x + f.a1*f.y1 + f.a2*f.y2
	f.y2, f.y1 = f.y1, y
	return y * (1 - f.a1 - f.a2) // unit gain at DC, roughly level across F
}

// vowels are (F1, F2, F3) formant targets [Hz] of a few vowels.
var vowels = [][3]float64{
	{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480},
	{660, 1720, 2410}, {570, 840, 2410}, {440, 1020, 2240}, {490, 1350, 1690},
}

// speechLike renders 1.5 to 4 s of speech-like syllables at about
// -18 dBm0: a glottal pulse train with gliding pitch through three formant
// resonators moving between vowel targets, fricatives of filtered noise,
// and short pauses.
func speechLike(r *rand.Rand) []int16 {
	n := int((1.5 + 2.5*r.Float64()) * Rate)
	x := make([]float64, 0, n)
	var f [3]resonator
	var fric resonator
	fric.set(3000+800*r.Float64(), 1200)
	for len(x) < n {
		switch r.IntN(5) {
		case 0: // pause
			x = append(x, make([]float64, int((0.04+0.08*r.Float64())*Rate))...)
		case 1: // fricative
			m := int((0.05 + 0.1*r.Float64()) * Rate)
			for i := range m {
				env := math.Sin(math.Pi * float64(i) / float64(m))
				x = append(x, 0.3*env*fric.step(r.NormFloat64()))
			}
		default: // voiced syllable
			m := int((0.12 + 0.13*r.Float64()) * Rate)
			v0, v1 := vowels[r.IntN(len(vowels))], vowels[r.IntN(len(vowels))]
			p0, p1 := 90+130*r.Float64(), 90+130*r.Float64()
			var phase float64
			for i := range m {
				t := float64(i) / float64(m)
				if i%40 == 0 {
					for k := range f {
						f[k].set(v0[k]+(v1[k]-v0[k])*t, 60+40*float64(k))
					}
				}
				pitch := p0 + (p1-p0)*t
				phase += pitch / Rate
				var src float64
				if phase >= 1 { // one glottal pulse per period
					phase--
					src = 1
				}
				v := f[0].step(src) + 0.5*f[1].step(src) + 0.25*f[2].step(src)
				x = append(x, math.Sin(math.Pi*t)*v)
			}
		}
	}
	return scaleTo(x, -18)
}

// chords are the notes (MIDI numbers) of the chord segments: C, Am, F, G7,
// Em, Dm voicings from 82 to 370 Hz, whose eight partials reach 3 kHz.
var chords = [][]int{
	{48, 52, 55, 60}, {45, 52, 57, 60}, {41, 53, 57, 60},
	{43, 55, 59, 65}, {40, 52, 55, 59}, {50, 53, 57, 62},
}

// midiHz returns the frequency of MIDI note m (A4 = 69 = 440 Hz).
func midiHz(m int) float64 { return 440 * math.Pow(2, float64(m-69)/12) }

// note adds to x a note at f0 [Hz] with partials 1..n of amplitude a_k/k,
// vibrato of depth 0.6 % at 4.5 to 6.5 Hz, and an attack-decay-release
// envelope.
func note(r *rand.Rand, x []float64, f0 float64, n int) {
	var amp [8]float64
	var ph [8]float64
	for k := range n {
		amp[k] = (0.6 + 0.4*r.Float64()) / float64(k+1)
		ph[k] = 2 * math.Pi * r.Float64()
	}
	vr, vp := 4.5+2*r.Float64(), 2*math.Pi*r.Float64()
	var phase float64
	L := len(x)
	for i := range x {
		t := float64(i) / Rate
		phase += 2 * math.Pi * f0 * (1 + 0.006*math.Sin(2*math.Pi*vr*t+vp)) / Rate
		env := min(1, t/0.04) * (0.6 + 0.4*math.Exp(-t/0.3)) * min(1, float64(L-i)/(0.1*Rate))
		var v float64
		for k := range n {
			v += amp[k] * math.Sin(float64(k+1)*phase+ph[k])
		}
		x[i] += env * v
	}
}

// chord renders seconds of the notes together at about -14 dBm0.
func chord(r *rand.Rand, notes []int, seconds float64) []int16 {
	x := make([]float64, int(seconds*Rate))
	for _, m := range notes {
		note(r, x, midiHz(m), 8)
	}
	return scaleTo(x, -14)
}

// melody renders a solo line around the low DTMF group (F5 to C6, 698 to
// 1047 Hz, each held 250 ms with six partials) at about -14 dBm0: strong
// single tones near 697, 770, 852 and 941 Hz with no second tone.
func melody(r *rand.Rand) []int16 {
	var x []float64
	for _, m := range []int{77, 79, 81, 82, 84, 82, 81, 79, 77} {
		seg := make([]float64, Rate/4)
		note(r, seg, midiHz(m), 6)
		x = append(x, seg...)
	}
	return scaleTo(x, -14)
}

// Steady tones last steadySeconds each and fill about 1/steadyShare of a
// cycle's speech and music time: hours of them in a day's soak.
const (
	steadySeconds = 60
	steadyShare   = 4
)

// partial is one sinusoid: frequency [Hz] and level [dBm0].
type partial struct{ f, dBm0 float64 }

// steadyTones are held signals that a detector follows as possible keys
// and must reject however long they last: a tone pair with strong second
// harmonics, too much twist, 5 % off frequency, a single tone, dial tone,
// and a harmonic chord on a DTMF pair.
var steadyTones = []struct {
	name     string
	partials []partial
}{
	{"steady 770+1336 Hz, harmonics -8 dB", []partial{{770, -10}, {1336, -10}, {1540, -18}, {2672, -18}}},
	{"steady 770+1336 Hz, twist 12 dB", []partial{{770, -10}, {1336, -22}}},
	{"steady 770+1336 Hz +5 %", []partial{{808.5, -10}, {1402.8, -10}}},
	{"steady 770 Hz", []partial{{770, -10}}},
	{"steady dial tone 350+440 Hz", []partial{{350, -13}, {440, -13}}},
	{"steady chord on 770+1336 Hz", []partial{{770, -10}, {1336, -10}, {1540, -18}, {2672, -18}, {2310, -22}, {4008, -22}, {1100, -22}}},
}

// render returns n samples (a whole number of frames) of the partials, by
// complex rotation: cheap, and exact enough for minutes.
func render(ps []partial, n int) []int16 {
	x := make([]int16, n)
	for _, pt := range ps {
		if pt.f >= Rate/2 {
			continue
		}
		a := synth.Amplitude(pt.dBm0)
		w := 2 * math.Pi * pt.f / Rate
		cr, ci := math.Cos(w), math.Sin(w)
		re, im := 1.0, 0.0
		for i := range x {
			x[i] = clip(float64(x[i]) + a*im)
			re, im = re*cr-im*ci, re*ci+im*cr
		}
	}
	return x
}
