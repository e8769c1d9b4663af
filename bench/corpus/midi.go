package main

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dtmfkit/dtmf/internal/talkoff"
)

// Kinds of section of a generated piece.
const (
	SectionPlain   = "plain"            // chord progression and melody
	SectionDyads   = "near-dtmf-dyads"  // two notes near a DTMF pair, ± a third
	SectionContext = "near-dtmf-chords" // progressions voiced into both DTMF groups
)

// instrument is a General MIDI program (0-based).
type instrument struct {
	name    string
	program byte
}

// families of solo instruments, mostly close to pure tones (issue 8's
// known failures: flute, ocarina, vibraphone, whistle, choir), one split
// source each.
var families = map[string][]instrument{
	"pipe":            {{"piccolo", 72}, {"flute", 73}, {"recorder", 74}, {"pan_flute", 75}, {"blown_bottle", 76}, {"whistle", 78}, {"ocarina", 79}},
	"mallet-keys":     {{"acoustic_grand", 0}, {"electric_piano", 4}, {"celesta", 8}, {"glockenspiel", 9}, {"music_box", 10}, {"vibraphone", 11}, {"marimba", 12}, {"tubular_bells", 14}},
	"organ":           {{"drawbar_organ", 16}, {"percussive_organ", 17}, {"church_organ", 19}, {"reed_organ", 20}, {"accordion", 21}, {"harmonica", 22}},
	"voice":           {{"choir_aahs", 52}, {"voice_oohs", 53}, {"synth_voice", 54}},
	"orchestral-solo": {{"violin", 40}, {"string_ensemble", 48}, {"trumpet", 56}, {"french_horn", 60}, {"oboe", 68}, {"clarinet", 71}},
	"synth":           {{"square_lead", 80}, {"sawtooth_lead", 81}, {"calliope_lead", 82}, {"chiff_lead", 83}, {"new_age_pad", 88}, {"warm_pad", 89}},
}

// DTMF tone frequencies [Hz] (ITU-T Q.23).
var (
	dtmfLow  = [4]float64{697, 770, 852, 941}
	dtmfHigh = [4]float64{1209, 1336, 1477, 1633}
)

// nearDTMFNotes are the equal-tempered notes (MIDI numbers, A4 = 440 Hz)
// within 3.5 % of each DTMF tone: F5 698 Hz (0.2 % from 697), G5 784
// (1.8 % from 770), G♯5 831 (2.5 % from 852), A♯5 932 (0.9 % from 941),
// D6 1175 / D♯6 1245 (2.8 / 2.9 % from 1209), E6 1319 (1.3 % from 1336),
// F♯6 1480 (0.2 % from 1477), G♯6 1661 (1.7 % from 1633), and so on.
func nearDTMFNotes(f float64) []int {
	var out []int
	for n := 60; n < 100; n++ {
		if math.Abs(noteHz(n)/f-1) <= 0.035 {
			out = append(out, n)
		}
	}
	return out
}

func noteHz(n int) float64 { return 440 * math.Pow(2, float64(n-69)/12) }

// midiEvent is one event at an absolute time [ms].
type midiEvent struct {
	ms   int
	off  bool // note-offs sort before note-ons at the same time
	data []byte
}

type score struct {
	ev []midiEvent
	r  *rand.Rand
}

func (s *score) note(start, length, key, vel int) {
	if key < 0 || key > 127 || length <= 0 {
		return
	}
	vel = min(max(vel, 1), 127)
	s.ev = append(s.ev, midiEvent{ms: start, data: []byte{0x90, byte(key), byte(vel)}},
		midiEvent{ms: start + length, off: true, data: []byte{0x80, byte(key), 0}})
}

func (s *score) control(at int, cc, v byte) {
	s.ev = append(s.ev, midiEvent{ms: at, data: []byte{0xB0, cc, v}})
}

// tune sets the concert pitch by a pitch bend of cents (GM bend range ±2
// semitones): orchestras tune A4 anywhere from about 435 to 446 Hz.
func (s *score) tune(at int, cents float64) {
	v := 8192 + int(math.Round(cents/200*8192))
	v = min(max(v, 0), 16383)
	s.ev = append(s.ev, midiEvent{ms: at, data: []byte{0xE0, byte(v & 0x7f), byte(v >> 7)}})
}

func (s *score) between(lo, hi int) int { return lo + s.r.IntN(hi-lo+1) }

var (
	majorScale = []int{0, 2, 4, 5, 7, 9, 11}
	minorScale = []int{0, 2, 3, 5, 7, 8, 10}
	// progressions as scale degrees (0-based).
	progressions = [][]int{{0, 4, 5, 3}, {0, 5, 3, 4}, {1, 4, 0, 0}, {0, 3, 4, 0}, {5, 3, 0, 4}, {0, 2, 3, 4}, {0, 3, 1, 4}}
)

// triad returns the scale tones of a triad on degree d (with a seventh
// when seventh).
func triad(root int, scale []int, d int, seventh bool) []int {
	var out []int
	steps := []int{0, 2, 4}
	if seventh {
		steps = append(steps, 6)
	}
	for _, st := range steps {
		k := d + st
		out = append(out, root+scale[k%7]+12*(k/7))
	}
	return out
}

// plain writes ordinary music: a chord progression with a melody above it,
// legato overlaps and sustained notes. It returns the time reached.
func (s *score) plain(t, until int) int {
	root := s.between(0, 11)
	scale := majorScale
	if s.r.IntN(3) == 0 {
		scale = minorScale
	}
	prog := progressions[s.r.IntN(len(progressions))]
	beat := 60000 / s.between(60, 140)
	for t < until {
		for _, d := range prog {
			chord := triad(48+root, scale, d, s.r.IntN(3) == 0)
			bar := beat * []int{2, 4, 4, 8}[s.r.IntN(4)]
			vel := s.between(45, 95)
			for i, k := range chord {
				if i == 0 || s.r.IntN(4) > 0 {
					s.note(t, bar+s.between(0, beat/2), k+12*s.between(0, 1), vel+s.between(-10, 10))
				}
			}
			// Melody: scale notes in octaves 5-6, some held, some legato.
			m := t
			for m < t+bar {
				l := beat / []int{1, 2, 2, 4, 1}[s.r.IntN(5)]
				if s.r.IntN(6) == 0 {
					l = beat * 2
				}
				deg := s.between(0, 13)
				k := 72 + root%12 + scale[deg%7] + 12*(deg/7)
				overlap := 0
				if s.r.IntN(3) == 0 {
					overlap = s.between(10, 60)
				}
				s.note(m, l+overlap, k, s.between(60, 115))
				m += l
			}
			t += bar
		}
	}
	return t
}

// nearDyads writes two-note chords whose equal-tempered notes sit near a
// DTMF pair, held, repeated and overlapped, with and without a third note.
func (s *score) nearDyads(t, until int) int {
	for t < until {
		lows := nearDTMFNotes(dtmfLow[s.r.IntN(4)])
		highs := nearDTMFNotes(dtmfHigh[s.r.IntN(4)])
		if len(lows) == 0 || len(highs) == 0 {
			continue
		}
		lo, hi := lows[s.r.IntN(len(lows))], highs[s.r.IntN(len(highs))]
		vlo, vhi := s.between(50, 120), s.between(50, 120)
		third := -1
		if s.r.IntN(2) == 0 {
			third = []int{lo - 12, lo - 7, lo - 5, lo - 24, lo + 3, lo + 4, hi - 3, hi + 3, hi + 12}[s.r.IntN(9)]
		}
		vthird := s.between(30, 110)
		switch s.r.IntN(4) {
		case 0: // repeated short chords, like a rhythm figure
			n := s.between(3, 8)
			on, off := s.between(50, 140), s.between(40, 120)
			for range n {
				s.note(t, on, lo, vlo)
				s.note(t, on, hi, vhi)
				if third >= 0 {
					s.note(t, on, third, vthird)
				}
				t += on + off
			}
		case 1: // staggered entry: one note, then the other over it
			l := s.between(300, 1500)
			d := s.between(20, 200)
			s.note(t, l, lo, vlo)
			s.note(t+d, l-d, hi, vhi)
			if third >= 0 {
				s.note(t+s.between(0, l/2), l/2, third, vthird)
			}
			t += l + s.between(0, 300)
		default: // held chord, with a legato overlap into the next one
			l := s.between(80, 1500)
			s.note(t, l, lo, vlo)
			s.note(t, l, hi, vhi)
			if third >= 0 {
				s.note(t, l, third, vthird)
			}
			t += l - s.between(0, 60) + s.between(0, 400)
		}
	}
	return t
}

// context writes chord progressions voiced so that chord tones fall in both
// DTMF groups (F5-B5 and D6-A6) over a bass: how such chords occur in music.
func (s *score) context(t, until int) int {
	root := []int{0, 2, 3, 5, 7, 10}[s.r.IntN(6)] // C, D, E♭, F, G, B♭
	prog := progressions[s.r.IntN(len(progressions))]
	beat := 60000 / s.between(50, 120)
	for t < until {
		for _, d := range prog {
			chord := triad(root, majorScale, d, s.r.IntN(2) == 0)
			bar := beat * []int{2, 4}[s.r.IntN(2)]
			s.note(t, bar, 36+(chord[0]%12)+12*s.between(0, 1), s.between(50, 90))
			for _, k := range chord {
				pc := k % 12
				for _, oct := range []int{72, 84} {
					n := oct + pc
					if (n >= 77 && n <= 83) || (n >= 86 && n <= 93) {
						if s.r.IntN(4) > 0 {
							s.note(t+s.between(0, 40), bar-s.between(0, 80), n, s.between(45, 115))
						}
					}
				}
			}
			t += bar
		}
	}
	return t
}

// composePiece returns a standard MIDI file of about seconds of music for
// one instrument: plain music, near-DTMF dyads and near-DTMF chords in
// context, alternating, each section at its own concert pitch, with reverb
// and chorus sends varied. The same seed gives the same file. The sections
// (times in ms from the start of the file) let a report say in which kind
// of passage a false digit fell.
func composePiece(in instrument, seed uint64, seconds float64) ([]byte, []talkoff.Section) {
	s := &score{r: rand.New(rand.NewPCG(seed, 0x74616c6b6f6666))}
	s.ev = append(s.ev, midiEvent{ms: 0, data: []byte{0xC0, in.program}})
	s.control(0, 7, 110) // channel volume
	end := int(seconds * 1000)
	t := 200
	var sections []talkoff.Section
	for sec := 0; t < end; sec++ {
		s.tune(t, float64(s.between(-20, 25)))
		s.control(t, 91, byte(s.between(20, 110))) // reverb send
		s.control(t, 93, byte(s.between(0, 70)))   // chorus send
		until := min(t+s.between(20000, 40000), end)
		from := t
		var kind string
		switch sec % 3 {
		case 0:
			t, kind = s.plain(t, until), SectionPlain
		case 1:
			t, kind = s.nearDyads(t, until), SectionDyads
		default:
			t, kind = s.context(t, until), SectionContext
		}
		t += s.between(500, 2000) // let the reverb tail ring out
		// A section owns its reverb tail: until the next one starts.
		sections = append(sections, talkoff.Section{StartMS: from, EndMS: t, Kind: kind})
	}
	return smf(s.ev, t+3000), sections
}

// smf encodes events as a format-0 standard MIDI file at 1 tick = 1 ms
// (division 500 ticks per quarter note, tempo 500000 µs per quarter).
func smf(ev []midiEvent, endMS int) []byte {
	slices.SortStableFunc(ev, func(a, b midiEvent) int {
		if a.ms != b.ms {
			return a.ms - b.ms
		}
		switch {
		case a.off && !b.off:
			return -1
		case !a.off && b.off:
			return 1
		}
		return 0
	})
	var trk []byte
	trk = append(trk, 0, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20) // tempo 500000
	last := 0
	for _, e := range ev {
		trk = appendVLQ(trk, e.ms-last)
		trk = append(trk, e.data...)
		last = e.ms
	}
	trk = appendVLQ(trk, max(endMS-last, 0))
	trk = append(trk, 0xFF, 0x2F, 0)
	out := []byte("MThd")
	out = binary.BigEndian.AppendUint32(out, 6)
	out = binary.BigEndian.AppendUint16(out, 0)   // format 0
	out = binary.BigEndian.AppendUint16(out, 1)   // one track
	out = binary.BigEndian.AppendUint16(out, 500) // ticks per quarter
	out = append(out, "MTrk"...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(trk)))
	return append(out, trk...)
}

func appendVLQ(b []byte, v int) []byte {
	var tmp [5]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7f)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7f) | 0x80
	}
	return append(b, tmp[i:]...)
}
