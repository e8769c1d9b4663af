package detector_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/soak"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// partial is one sinusoid of a test signal: frequency [Hz] and level [dBm0].
type partial struct{ f, dBm0 float64 }

// pair returns a DTMF-like pair at -10 dBm0 per tone, each tone with
// harmonics 2, 3, … at the given levels relative to it [dB].
func pair(lo, hi float64, harmonics ...float64) []partial {
	ps := []partial{{lo, -10}, {hi, -10}}
	for i, h := range harmonics {
		ps = append(ps, partial{float64(i+2) * lo, -10 + h}, partial{float64(i+2) * hi, -10 + h})
	}
	return ps
}

// rejectedTones are steady signals that resemble a key press closely enough
// to be looked at, and must never become one, however long they last.
var rejectedTones = []struct {
	name     string
	partials []partial
}{
	// The second-harmonic check rejects it: it used to be tracked for
	// good, and after 327.7 s its counters wrapped into a key.
	{"harmonics -8 dB", pair(770, 1336, -8)},
	{"twist 12 dB", []partial{{770, -10}, {1336, -22}}},
	{"5 % off", []partial{{770 * 1.05, -10}, {1336 * 1.05, -10}}},
	{"single tone", []partial{{770, -10}}},
	{"dial tone", []partial{{350, -13}, {440, -13}}},
	{"harmonic chord", append(pair(770, 1336, -8, -12), partial{1100, -22})},
}

// oscillator renders a sum of sinusoids by complex rotation: exact enough
// over hours (the rotation's rounding error grows by about 1e-16 a sample)
// and cheap, so that minutes of signal render quickly even under -race.
type oscillator struct {
	amp, re, im, cr, ci []float64
}

func newOscillator(rate int, ps []partial) *oscillator {
	o := &oscillator{}
	for _, p := range ps {
		w := 2 * math.Pi * p.f / float64(rate)
		o.amp = append(o.amp, synth.Amplitude(p.dBm0))
		o.re, o.im = append(o.re, 1), append(o.im, 0)
		o.cr, o.ci = append(o.cr, math.Cos(w)), append(o.ci, math.Sin(w))
	}
	return o
}

// render writes the next len(dst) samples.
func (o *oscillator) render(dst []int16) {
	for i := range dst {
		var v float64
		for k := range o.amp {
			v += o.amp[k] * o.im[k]
			o.re[k], o.im[k] = o.re[k]*o.cr[k]-o.im[k]*o.ci[k], o.re[k]*o.ci[k]+o.im[k]*o.cr[k]
		}
		dst[i] = int16(max(-32768, min(32767, math.Round(v))))
	}
}

// feedChecked processes pcm in frames and checks, after every frame, that a
// candidate the detector follows has not been waiting longer than its
// DecisionDelay.
func feedChecked(t *testing.T, d *detector.Detector, ev []detector.Event, pcm []int16, frame int) []detector.Event {
	t.Helper()
	for len(pcm) > 0 {
		n := min(frame, len(pcm))
		ev = d.Process(ev, pcm[:n])
		pcm = pcm[n:]
		if tn, ok := d.Following(); ok && !tn.Confirmed && d.Position() >= tn.Start+d.DecisionDelay() {
			t.Fatalf("at %d: candidate %+v unconfirmed for more than DecisionDelay %d", d.Position(), tn, d.DecisionDelay())
		}
	}
	return ev
}

// Six minutes of each rejected tone, then a clean 80 ms key: no event but
// that key, with its right start and length, and no candidate ever waits
// longer than DecisionDelay.
func TestRejectedTonesForMinutes(t *testing.T) {
	const minutes = 6
	for _, c := range rejectedTones {
		t.Run(c.name, func(t *testing.T) {
			cfg := detector.DefaultConfig()
			rate := cfg.SampleRate
			d, err := detector.New(cfg)
			require.NoError(t, err)
			buf := make([]int16, rate)
			osc := newOscillator(rate, c.partials)
			var ev []detector.Event
			var pos int64
			for range 60 * minutes {
				osc.render(buf)
				ev = feedChecked(t, d, ev, buf, 160)
				pos += int64(len(buf))
			}
			require.Empty(t, ev, "%d minutes of %s", minutes, c.name)
			s := synth.New(rate, 1)
			s.Silence(100)
			require.NoError(t, s.Add(tone('5', 80, -10, -10)))
			s.Silence(300)
			ev = d.Flush(feedChecked(t, d, ev, s.PCM(), 160))
			checkEventStream(t, cfg, ev, pos+int64(len(s.PCM())))
			ups := keyUps(ev)
			require.Len(t, ups, 1, "events %+v", ev)
			assert.Equal(t, byte('5'), ups[0].Digit)
			assert.InDelta(t, 80, ups[0].DurationMS, 1)
			assert.InDelta(t, pos+int64(s.Presses[0].Start), ups[0].Start, float64(rate)/1000)
		})
	}
}

// segmentKind is one kind of piece of a long generated signal.
type segmentKind int

const (
	segRejected segmentKind = iota // minutes of a rejected tone
	segKey                         // a key held from 40 ms to minutes
	segSilence                     // digital silence or a noise floor
	segSpeech                      // synthetic speech and music
)

// kinds weighs the segment kinds: keys come up most often.
var kinds = []segmentKind{segRejected, segKey, segKey, segKey, segSilence, segSpeech}

// longSignal renders a seeded random sequence of segments lasting about
// total samples at 8 kHz: rejected tones and keys up to minutes long, long
// silences, speech and music.
func longSignal(seed uint64, total int64) []int16 {
	r := rand.New(rand.NewPCG(seed, 7))
	prog := soak.New(soak.Config{Seed: seed})
	var talk [][]int16
	for _, s := range prog.Segments() {
		if s.Kind == soak.Speech || s.Kind == soak.Music {
			talk = append(talk, s.PCM)
		}
	}
	const rate = 8000
	var out []int16
	for int64(len(out)) < total {
		var seg []int16
		switch kinds[r.IntN(len(kinds))] {
		case segRejected:
			c := rejectedTones[r.IntN(len(rejectedTones))]
			seg = make([]int16, rate*(1+r.IntN(120)))
			newOscillator(rate, c.partials).render(seg)
		case segKey: // a string of 1 to 10 keys, or one held for minutes
			s := synth.New(rate, r.Uint64())
			n, long := 1+r.IntN(10), r.IntN(8) == 0
			if long {
				n = 1
			}
			for range n {
				ms := 40 + r.ExpFloat64()*300
				if long {
					ms = 60000 + r.Float64()*120000
				}
				_ = s.Add(synth.Tone{Digit: detector.Keys[r.IntN(16)], Duration: ms,
					LowLevel: -30 + 25*r.Float64(), HighLevel: -30 + 25*r.Float64(), RandomPhase: true})
				s.Silence(40 + r.ExpFloat64()*400)
			}
			seg = s.PCM()
		case segSilence:
			seg = make([]int16, int(r.ExpFloat64()*float64(20*rate)))
			if r.IntN(2) == 0 {
				for i := range seg {
					seg[i] = int16(r.IntN(7) - 3)
				}
			}
		case segSpeech:
			for range 1 + r.IntN(20) {
				seg = append(seg, talk[r.IntN(len(talk))]...)
			}
		}
		out = append(out, seg...)
	}
	return out
}

// Long generated signals (tens of minutes: rejected tones, keys held for
// minutes, silences, speech and music) satisfy what FuzzProcess checks on
// short ones — finite values, pairing, order, no overlap, durations equal
// to offsets — give the same events in any split, and never leave a
// candidate waiting past DecisionDelay. Fuzz inputs are capped at 4 s of
// audio: this is where the long paths are checked.
func TestLongSignalProperties(t *testing.T) {
	total := int64(20 * 60 * 8000)
	if testing.Short() {
		total /= 10
	}
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			pcm := longSignal(seed, total)
			cfg := detector.DefaultConfig()
			d, err := detector.New(cfg)
			require.NoError(t, err)
			split := d.Flush(feedChecked(t, d, nil, pcm, 1+int(seed*97)))
			checkEventStream(t, cfg, split, int64(len(pcm)))
			whole := d.Flush(d.Process(nil, pcm))
			require.True(t, equalEvents(whole, split), "the same %d samples in one call and in frames give different events", len(pcm))
			t.Logf("%.1f min, %d key presses", float64(len(pcm))/8000/60, len(keyUps(whole)))
		})
	}
}
