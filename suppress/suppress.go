package suppress

import (
	"fmt"
	"math"
	"time"
	"unsafe"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
)

// codec is how samples are coded in a frame.
type codec uint8

const (
	linear codec = iota // 16-bit linear PCM
	ulaw                // G.711 µ-law
	alaw                // G.711 A-law
)

// maxIntervals bounds the key presses a suppressor tracks at once. A press
// is tracked from its KeyDown until its KeyUp has been seen and the forwarded
// audio has passed its span. Presses do not overlap and each lasts at least
// MinToneDuration (10 ms or more), so the spans still ahead of the output,
// which lie within Delay + 2·Guard ≤ 60 ms at a 10 ms MinToneDuration (D
// grows with it), number at most 7 with the one still down. Were the array
// ever full, a new press would be merged into the last one: more audio
// replaced, none let through.
const maxIntervals = 8

// maxQueuedSpans bounds the finished spans kept for [Suppressor.AppendSpans];
// beyond it the oldest are dropped and counted ([Suppressor.LostSpans]). A
// span is at least a few milliseconds long and spans are separated, so a
// host that calls AppendSpans after every frame of up to a second never
// loses one.
const maxQueuedSpans = 64

// interval is the part of the stream to replace for one key press: [a, b)
// in input positions. b grows while the key is down (and when a gap is
// bridged); final is set by the press's KeyUp.
type interval struct {
	key   int64 // the press's refined start: Start of its events
	a, b  int64
	digit byte
	final bool
}

// Span is a stretch of the stream that a [Suppressor] replaced: samples
// [Start, End), in input stream positions (the replaced samples left the
// suppressor [Suppressor.Delay] samples later). A key press gives one span,
// from Guard before its start to Guard after its end, unless an
// interruption inside it was long enough for part of the gap to be
// forwarded before the tone came back: then each part of the press gives a
// span, all with the same KeyStart.
type Span struct {
	// Digit is the key.
	Digit byte
	// KeyStart is the refined start of the key press (the Start of its
	// KeyDown and KeyUp events).
	KeyStart int64
	// Start and End delimit the replaced samples, End exclusive.
	Start, End int64
}

// Suppressor removes DTMF key presses from one channel of forwarded audio.
// It wraps a [detector.Detector]: frames go in, the same frames come out
// [Suppressor.Delay] samples later, with every key press replaced by
// silence or comfort noise, and the detector's events are reported as the
// bare detector reports them. Frames may be of any length; results do not
// depend on how the stream is split. It is not safe for concurrent use: use
// one Suppressor per channel.
type Suppressor struct {
	cfg   Config
	det   *detector.Detector
	h     int64 // detector block
	delay int
	guard int64
	fade  int64
	sigma float64 // comfort-noise RMS [16-bit units]; 0 for silence

	// ring holds the last delay input samples, each as its code (the
	// int16's bits or the G.711 byte) in the low 16 bits and its codec
	// above: a sample leaves coded as it came unless the frame that takes
	// it out is coded otherwise.
	ring []uint32
	ri   int   // ring index of the oldest sample: the next to leave
	in   int64 // input samples consumed (the detector's position)
	out  int64 // position of the next sample to leave: in - delay

	iv  [maxIntervals]interval // ordered, non-overlapping
	ivN int

	filled    bool  // the last sample out was replaced
	fadeStart int64 // first position of the replaced stretch it belongs to
	running   bool  // a span is being replaced: run
	run       Span

	spans []Span
	lost  int64

	// late counts blocks after which a sample could have left before the
	// detector decided about it: never, if Delay is right (tested).
	late int64

	tmp []int16 // one block, for G.711 and zero input to the detector
}

// New returns a suppressor for cfg, or an error wrapping [ErrConfig] naming
// the first invalid field. It allocates the suppressor, its detector, a
// delay line of 4 bytes per sample of [Suppressor.Delay] (1.3 KiB at
// 8 kHz) and one block of scratch; nothing more is allocated per frame.
func New(cfg Config) (*Suppressor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	det, err := detector.New(cfg.Detector)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	rate := int64(det.SampleRate())
	// Whole samples, rounded down: the guard is never longer than asked.
	ns := func(d int64) int64 { return d * rate / 1_000_000_000 }
	s := &Suppressor{
		cfg:   cfg,
		det:   det,
		h:     int64(det.BlockSize()),
		guard: ns(int64(cfg.Guard)),
		fade:  ns(int64(cfg.Fade)),
	}
	s.fade = min(s.fade, s.guard)
	if cfg.Fill == Noise {
		s.sigma = dBm0Peak / math.Sqrt2 * math.Pow(10, cfg.NoiseLevel/20)
	}
	// The delay (see the package documentation): a sample at position j
	// leaves as the sample at j+D comes in, when the detector has consumed
	// j+D+1 samples. A candidate starting at c is decided once the
	// detector has consumed c+DecisionDelay samples, and its span starts at
	// c-Guard: D ≥ DecisionDelay+Guard-1. A press not yet seen starts at or
	// after Settled, which lags the position by at most 4 blocks less one
	// sample: D ≥ lag+Guard.
	lag := det.Position() - det.Settled() + s.h - 1
	s.delay = int(max(det.DecisionDelay()+s.guard-1, lag+s.guard))
	// Where the detector's block, rounded to whole samples, would take D
	// past maxDelay (44.1 kHz: 221-sample blocks), the guard gives up the
	// samples it must: D stays within 40 ms whenever the detector allows it
	// (a long MinToneDuration does not).
	if limit := ns(int64(maxDelay)); int64(s.delay) > limit && int64(s.delay)-s.guard <= limit {
		cut := int64(s.delay) - limit
		s.guard -= cut
		s.delay -= int(cut)
		s.fade = min(s.fade, s.guard)
	}
	s.ring = make([]uint32, s.delay)
	s.tmp = make([]int16, s.h)
	s.spans = make([]Span, 0, 4)
	s.Reset()
	return s, nil
}

// dBm0Peak is the peak of a 0 dBm0 sine in 16-bit units (ITU-T G.711).
const dBm0Peak = 0.6997 * 32768

// Reset returns the suppressor to the state of a fresh [New] with the same
// config: position 0, the delay line full of silence, no key pending, no
// span kept. Audio still in the delay line is discarded; call
// [Suppressor.Flush] first to get it.
func (s *Suppressor) Reset() {
	s.det.Reset()
	clear(s.ring)
	s.ri, s.in, s.out = 0, 0, -int64(s.delay)
	s.iv, s.ivN = [maxIntervals]interval{}, 0
	s.filled, s.fadeStart, s.running, s.run = false, 0, false, Span{}
	s.spans, s.lost, s.late = s.spans[:0], 0, 0
}

// Config returns the suppressor's configuration.
func (s *Suppressor) Config() Config { return s.cfg }

// SampleRate returns the sample rate [Hz].
func (s *Suppressor) SampleRate() int { return s.det.SampleRate() }

// BlockSize returns the detector's analysis block in samples (5 ms).
func (s *Suppressor) BlockSize() int { return int(s.h) }

// maxDelay is the most delay the suppressor adds when the detector allows
// it: 40 ms, as a live media path can afford.
const maxDelay = 40 * time.Millisecond

// Delay returns D, the fixed delay in samples between a sample going in and
// the same sample (or what replaced it) coming out: 319 at 8 kHz with the
// defaults (39.9 ms). It is DecisionDelay + Guard − 1 samples (see the
// package documentation).
func (s *Suppressor) Delay() int { return s.delay }

// Position returns the number of input samples consumed since the stream
// started. The next sample out is the one that went in at Position − Delay
// (a negative position is the silence the delay line starts with).
func (s *Suppressor) Position() int64 { return s.in }

// StateSize returns the bytes of memory the suppressor owns: its struct,
// the detector's state, the delay line, the scratch block and the span
// queue's capacity.
func (s *Suppressor) StateSize() int {
	return int(unsafe.Sizeof(*s)) + s.det.StateSize() + 4*cap(s.ring) + 2*cap(s.tmp) +
		int(unsafe.Sizeof(Span{}))*cap(s.spans)
}

// Process consumes a frame of 16-bit linear PCM and overwrites it, in place,
// with the frame that leaves the suppressor: the samples that went in Delay
// samples earlier, with key presses replaced. It appends the detector's
// events to dst and returns the extended slice, exactly as
// [detector.Detector.Process] does for the same input. It allocates
// nothing unless dst lacks capacity (at most 2 events per 5 ms block), or
// more than 4 spans are waiting for [Suppressor.AppendSpans].
//
// To keep the input, copy it before the call.
func (s *Suppressor) Process(dst []detector.Event, frame []int16) []detector.Event {
	return process(s, dst, frame, frame, linear, linear)
}

// ProcessULaw is [Suppressor.Process] for G.711 µ-law bytes (a PCMU
// payload), overwritten in place with µ-law bytes. A byte outside the
// replaced spans comes out as the very same byte.
func (s *Suppressor) ProcessULaw(dst []detector.Event, frame []byte) []detector.Event {
	return process(s, dst, frame, nil, ulaw, ulaw)
}

// ProcessALaw is [Suppressor.Process] for G.711 A-law bytes (a PCMA
// payload), overwritten in place with A-law bytes. A byte outside the
// replaced spans comes out as the very same byte.
func (s *Suppressor) ProcessALaw(dst []detector.Event, frame []byte) []detector.Event {
	return process(s, dst, frame, nil, alaw, alaw)
}

// A stream may change coding between calls (a codec switch mid-call): a
// sample then leaves in the coding of the frame that takes it out,
// converted through linear PCM if it came in otherwise.

// Flush ends the stream: it writes the last Delay samples out to tail
// (tail[:Delay()]; a shorter tail receives the first len(tail) of them and
// the rest are discarded), with the key presses in them replaced, appends
// the remaining events (as [detector.Detector.Flush] does: a key still down
// is released) and resets the suppressor for a new stream. Spans finished
// by the flush stay available to [Suppressor.AppendSpans] until the next
// Process or Reset. The detector hears silence after the last sample, as
// with the bare detector's Flush, so the events are the same.
func (s *Suppressor) Flush(dst []detector.Event, tail []int16) []detector.Event {
	return flush(s, dst, tail, linear)
}

// FlushULaw is [Suppressor.Flush] with the tail in µ-law bytes.
func (s *Suppressor) FlushULaw(dst []detector.Event, tail []byte) []detector.Event {
	return flush(s, dst, tail, ulaw)
}

// FlushALaw is [Suppressor.Flush] with the tail in A-law bytes.
func (s *Suppressor) FlushALaw(dst []detector.Event, tail []byte) []detector.Event {
	return flush(s, dst, tail, alaw)
}

func flush[S int16 | byte](s *Suppressor, dst []detector.Event, tail []S, out codec) []detector.Event {
	n := min(len(tail), s.delay)
	clear(tail[:n])
	dst = process(s, dst, tail[:n], nil, linear, out)
	var zeros [256]S
	for rest := s.delay - n; rest > 0; {
		k := min(rest, len(zeros))
		clear(zeros[:k])
		dst = process(s, dst, zeros[:k], nil, linear, out)
		rest -= k
	}
	if s.running {
		s.endRun(s.out)
	}
	dst = s.det.Flush(dst)
	spans, lost := s.spans, s.lost
	s.Reset()
	s.spans, s.lost = spans, lost
	return dst
}

// AppendSpans appends the spans finished since the last call (ordered by
// Start) to dst, forgets them and returns the extended slice. A span is
// finished once its last replaced sample has left the suppressor. It
// allocates only if dst lacks capacity.
func (s *Suppressor) AppendSpans(dst []Span) []Span {
	dst = append(dst, s.spans...)
	s.spans = s.spans[:0]
	return dst
}

// LostSpans returns how many finished spans were dropped, unread, because
// more than 64 were waiting for [Suppressor.AppendSpans].
func (s *Suppressor) LostSpans() int64 { return s.lost }

// Replacing returns the span being replaced now, with End the position of
// the next sample to leave, and false if the last sample out was not
// replaced.
func (s *Suppressor) Replacing() (Span, bool) {
	if !s.running {
		return Span{}, false
	}
	sp := s.run
	sp.End = s.out
	return sp, true
}

// process runs frame through the suppressor in pieces that end at the
// detector's block boundaries, so that the output of each sample is decided
// on the detector's state after the last block it has completed, whatever
// the framing. pcm is frame itself for linear input, or nil.
func process[S int16 | byte](s *Suppressor, dst []detector.Event, frame []S, pcm []int16, in, out codec) []detector.Event {
	for len(frame) > 0 {
		n := int(min(int64(len(frame)), s.h-s.in%s.h))
		piece := frame[:n]
		var lin []int16
		if pcm != nil {
			lin, pcm = pcm[:n], pcm[n:]
		} else {
			lin = s.tmp[:n]
			switch in {
			case ulaw:
				t := g711.ULawTable()
				for i, v := range piece {
					lin[i] = t[byte(v)]
				}
			case alaw:
				t := g711.ALawTable()
				for i, v := range piece {
					lin[i] = t[byte(v)]
				}
			default:
				for i, v := range piece {
					lin[i] = int16(v)
				}
			}
		}
		mark := len(dst)
		dst = s.det.Process(dst, lin)
		s.in += int64(n)
		if s.in%s.h == 0 {
			s.update(dst[mark:])
		}
		emit(s, piece, in, out)
		frame = frame[n:]
	}
	return dst
}

// update takes in what the block just completed told: new presses, their
// ends as far as seen, releases.
func (s *Suppressor) update(evs []detector.Event) {
	for i := range evs {
		switch e := &evs[i]; e.Type {
		case detector.KeyDown:
			s.open(e.Digit, e.Start)
		case detector.KeyUp:
			s.close(e.Start, e.End)
		}
	}
	// The last sample to leave before the next block completes.
	last := s.in + s.h - 2 - int64(s.delay)
	if last >= s.det.Settled()-s.guard {
		s.late++
	}
	t, ok := s.det.Following()
	if !ok {
		return
	}
	if !t.Confirmed {
		if last >= t.Start-s.guard {
			s.late++
		}
		return
	}
	if n := s.ivN; n > 0 && s.iv[n-1].key == t.Start && !s.iv[n-1].final {
		s.iv[n-1].b = max(s.iv[n-1].b, t.End+s.guard)
	}
}

// open starts the interval of a key press confirmed with the given start.
func (s *Suppressor) open(digit byte, start int64) {
	a := max(start-s.guard, s.out, 0)
	n := s.ivN
	if n > 0 {
		a = max(a, s.iv[n-1].b)
	}
	if n == maxIntervals { // cannot happen (see maxIntervals): merge
		s.iv[n-1].key, s.iv[n-1].digit, s.iv[n-1].final = start, digit, false
		return
	}
	s.iv[n] = interval{key: start, digit: digit, a: a, b: max(a, start+s.guard)}
	s.ivN++
}

// close ends the interval of the press that started at start.
func (s *Suppressor) close(start, end int64) {
	for i := s.ivN - 1; i >= 0; i-- {
		if s.iv[i].key == start {
			s.iv[i].b = max(s.iv[i].b, end+s.guard)
			s.iv[i].final = true
			return
		}
	}
}

// plain returns how many of the next max samples to leave (from s.out on)
// lie in no interval, dropping the intervals the output has passed for
// good.
func (s *Suppressor) plain(limit int) int {
	j := s.out
	for s.ivN > 0 && s.iv[0].final && s.iv[0].b <= j {
		copy(s.iv[:], s.iv[1:s.ivN])
		s.ivN--
	}
	for i := range s.ivN {
		iv := &s.iv[i]
		if iv.b <= j || iv.a >= iv.b {
			continue
		}
		if iv.a <= j {
			return 0
		}
		return int(min(int64(limit), iv.a-j))
	}
	return limit
}

// emit writes the samples leaving the delay line into piece, replacing
// those inside the intervals, and stores piece's samples in their place.
func emit[S int16 | byte](s *Suppressor, piece []S, in, out codec) {
	tag := uint32(in) << 16
	ring := s.ring
	for i := 0; i < len(piece); {
		k := s.plain(len(piece) - i)
		if k == 0 {
			r := ring[s.ri]
			ring[s.ri] = uint32(uint16(piece[i])) | tag
			v, steady := s.replace(r, out)
			piece[i] = S(v)
			s.ri++
			if s.ri == len(ring) {
				s.ri = 0
			}
			s.out++
			i++
			// The samples after it that are pure fill.
			if m := int(min(steady, int64(len(piece)-i))); m > 0 {
				s.ri = fillRun(s, ring, s.ri, piece[i:i+m], tag, out)
				i += m
			}
			continue
		}
		if s.running {
			s.endRun(s.out)
		}
		s.filled = false
		s.ri = pass(ring, s.ri, piece[i:i+k], tag, out)
		s.out += int64(k)
		i += k
	}
}

// pass moves the samples of piece through the delay line from index ri on,
// unchanged (converted only if their coding differs from out), and returns
// the index after the last.
func pass[S int16 | byte](ring []uint32, ri int, piece []S, tag uint32, out codec) int {
	for len(piece) > 0 {
		seg := ring[ri:min(len(ring), ri+len(piece))]
		src := piece[:len(seg)]
		for x, r := range seg {
			seg[x] = uint32(uint16(src[x])) | tag
			if codec(r>>16) == out {
				src[x] = S(uint16(r))
			} else {
				src[x] = S(encode(out, toLinear(r)))
			}
		}
		piece = piece[len(seg):]
		ri += len(seg)
		if ri == len(ring) {
			ri = 0
		}
	}
	return ri
}

// replace returns, coded for out, what leaves instead of the delayed sample
// r at position s.out, which lies in an interval, and how many samples
// after it are pure fill (past the fade-in, before the fade-out, in the
// same interval).
func (s *Suppressor) replace(r uint32, out codec) (uint16, int64) {
	j := s.out
	k := 0
	for k < s.ivN && !(s.iv[k].a <= j && j < s.iv[k].b) {
		k++
	}
	iv := &s.iv[k] // plain returned 0: there is one
	if !s.filled {
		s.fadeStart = j
	}
	s.filled = true
	if !s.running || s.run.KeyStart != iv.key {
		if s.running {
			s.endRun(j)
		}
		s.run, s.running = Span{Digit: iv.digit, KeyStart: iv.key, Start: j}, true
	}
	// The replaced stretch ends with this interval, or with the last of
	// those that follow it without a gap.
	end := iv.b
	for m := k + 1; m < s.ivN && s.iv[m].a == end; m++ {
		end = s.iv[m].b
	}
	w := min(s.ramp(j-s.fadeStart), s.ramp(end-1-j))
	var steady int64
	if j+1-s.fadeStart >= s.fade {
		steady = max(0, min(iv.b, end-s.fade)-j-1)
	}
	v := s.fillAt(j)
	if w < 1 {
		orig := float64(toLinear(r))
		v = orig + (v-orig)*w
	}
	return encode(out, int16(max(-32768, min(32767, math.Round(v))))), steady
}

// fillAt returns the fill at position j.
func (s *Suppressor) fillAt(j int64) float64 {
	if s.sigma == 0 {
		return 0
	}
	return s.sigma * gauss(j)
}

// fillRun moves the samples of piece into the delay line from index ri on
// and puts pure fill out in their place (positions s.out on), returning the
// index after the last.
func fillRun[S int16 | byte](s *Suppressor, ring []uint32, ri int, piece []S, tag uint32, out codec) int {
	j := s.out
	silence := S(encode(out, 0))
	for x := range piece {
		ring[ri] = uint32(uint16(piece[x])) | tag
		if s.sigma == 0 {
			piece[x] = silence
		} else {
			v := math.Round(s.sigma * gauss(j+int64(x)))
			piece[x] = S(encode(out, int16(max(-32768, min(32767, v)))))
		}
		ri++
		if ri == len(ring) {
			ri = 0
		}
	}
	s.out += int64(len(piece))
	return ri
}

// ramp returns the weight of the fill k samples into a fade: a raised
// cosine from 0 (excluded) to 1 over Fade samples, then 1.
func (s *Suppressor) ramp(k int64) float64 {
	if k >= s.fade {
		return 1
	}
	return 0.5 - 0.5*math.Cos(math.Pi*float64(k+1)/float64(s.fade+1))
}

// endRun finishes the span being replaced at position end and queues it.
func (s *Suppressor) endRun(end int64) {
	s.run.End = end
	s.running = false
	if len(s.spans) == maxQueuedSpans {
		copy(s.spans, s.spans[1:])
		s.spans = s.spans[:len(s.spans)-1]
		s.lost++
	}
	s.spans = append(s.spans, s.run)
}

// gauss returns a deterministic standard normal value for position j (an
// Irwin–Hall sum of four uniforms from a hash of j): the noise does not
// depend on the framing.
func gauss(j int64) float64 {
	x := uint64(j) + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	sum := float64(x&0xffff) + float64(x>>16&0xffff) + float64(x>>32&0xffff) + float64(x>>48)
	return (sum/65535 - 2) * math.Sqrt(3)
}

// toLinear decodes a delay-line entry to 16-bit linear PCM.
func toLinear(r uint32) int16 {
	switch codec(r >> 16) {
	case ulaw:
		return g711.ULawToLinear(byte(r))
	case alaw:
		return g711.ALawToLinear(byte(r))
	}
	return int16(uint16(r))
}

// encode codes v for c, as the low 16 bits of a delay-line entry.
func encode(c codec, v int16) uint16 {
	switch c {
	case ulaw:
		return uint16(g711.LinearToULaw(v))
	case alaw:
		return uint16(g711.LinearToALaw(v))
	}
	return uint16(v)
}

// Explain makes the wrapped detector explain every candidate it looks at
// (see [detector.Detector.Explain]); a nil fn turns explanations off. The
// events, and so the spans, are the same either way.
func (s *Suppressor) Explain(fn func(*detector.Evaluation)) { s.det.Explain(fn) }
