package detector

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/simd"
)

// window is the number of analysis blocks a candidate digit is first judged
// on: 3 blocks of 5 ms give 15 ms, enough to resolve the 73 Hz spacing of the
// low group.
const window = 3

type state uint8

const (
	idle     state = iota // no tone followed
	tracking              // a candidate passed the window checks, not yet confirmed
	down                  // key confirmed and tone present
	gap                   // key confirmed, tone absent: bridged or released later
)

// packed is one analysis block's 8 DFT values in block floating point: 16
// int16 mantissas (real and imaginary parts in turn) and one scale. It keeps
// the history at 36 bytes a block instead of 64, with a precision of 2⁻¹⁵ of
// the block's largest value.
type packed struct {
	v     [16]int16
	scale float32
}

func (p *packed) at(k int) complex64 {
	return complex(float32(p.v[2*k])*p.scale, float32(p.v[2*k+1])*p.scale)
}

// all returns the block's 8 values.
func (p *packed) all() (x [8]complex64) {
	for k := range x {
		x[k] = p.at(k)
	}
	return x
}

// Detector finds DTMF key presses in one audio channel. Feed it samples with
// [Detector.Process] (or the float32, µ-law and A-law variants) in frames of
// any length; results do not depend on how the stream is split. It is not safe
// for concurrent use: use one Detector per channel. The filter tables it
// points to are shared read-only between all detectors of the same sample
// rate.
type Detector struct {
	// The fields every block reads and writes come first, so that a block
	// outside a key touches few cache lines of a detector that a busy
	// server has not served for 20 ms.
	p    *params
	buf  []int16 // the block being filled; len = block size
	base int64   // stream position of buf[0]
	nbuf int32
	head uint8 // index in hist of the oldest block (t-3)
	st   state
	lo   uint8 // tracked filters: low group 0-3, high group 4-7
	hi   uint8
	// floor[k] is filter k's recent floor, prior the floors of the
	// candidate's two tones when it was found (see onset.go).
	floor [8]uint8
	ehist [window]float32
	// mhist[b] bounds the tone power any window holding block b can
	// credit to it: the strongest low plus the strongest high |X|².
	mhist [window]float32
	hist  [window]packed // the last 3 blocks' DFT values, oldest at head

	// What has been integrated over the candidate's full blocks since it
	// was found: the blocks' energy (here to fill the word), and per
	// tracked tone (0 low, 1 high) tone below.
	esum float32

	ex *explainer // nil unless Explain is on

	start   int64 // refined onset of the tracked tone
	lastEnd int64 // refined end of the tone as far as seen
	// origin is the onset reported for the tracked tone: start, or the
	// start of the candidate it continues (see begin).
	origin int64

	tone [2]toneStats
	// hiDrift is the high tone's drift from nominal [rad per block] when
	// the candidate was found: it sets how much of its block value leaks
	// into the low tone's second-harmonic filter (see harmonics).
	hiDrift float32
	// The residual's in-band excess and third-tone excess summed over the
	// resN blocks measured (full blocks of the candidate), and its value at
	// f_h − f_l summed coherently (phase from the stream's first sample).
	resid, third float32
	diff         complex64

	prior [2]uint8

	// Counters of a candidate; a candidate lives at most
	// MinToneDuration + 2 blocks (202 blocks), and they saturate anyway.
	blocks uint16 // full blocks integrated
	pairs  uint16 // consecutive pairs of them
	hpairs uint16 // pairs with second-harmonic values
	resN   uint8

	chained bool // the previous block was integrated
	// dropped tells that the last candidate was dropped unconfirmed (its
	// lo, hi, origin and lastEnd remain): a new candidate of the same key
	// that continues its tone reports its onset.
	dropped bool
}

// toneStats follows one tone of a candidate.
type toneStats struct {
	u   complex64 // rotation per block, from the window that found it
	ref float32   // full-block magnitude, from the same window
	z   complex64 // Σ X_b·conj(X_b-1) over consecutive integrated blocks
	y   complex64 // Σ Y_b·conj(Y_b-1) of the second harmonic (leak removed)
	py  complex64 // previous integrated block's second-harmonic value
}

// New returns a detector for cfg, or an error wrapping [ErrConfig] naming the
// first invalid field. It allocates the detector and one block buffer
// (2·SampleRate/200 bytes); filter tables are built once per sample rate and
// shared.
func New(cfg Config) (*Detector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p, err := loadParams(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	d := &Detector{p: p, buf: make([]int16, p.h)}
	d.Reset()
	return d, nil
}

// Reset returns the detector to the state of a fresh [New] with the same
// config: stream position 0, nothing buffered, no key pending. Events of a
// key that was still down are discarded; call [Detector.Flush] first to get
// them.
func (d *Detector) Reset() {
	*d = Detector{p: d.p, buf: d.buf, ex: d.ex}
	clear(d.buf)
}

// Config returns the detector's configuration.
func (d *Detector) Config() Config { return d.p.cfg }

// SampleRate returns the input sample rate [Hz].
func (d *Detector) SampleRate() int { return d.p.rate }

// BlockSize returns the analysis block length in samples (5 ms: 40 at 8 kHz).
// Frames that are multiples of it are processed without copying; any length
// is accepted.
func (d *Detector) BlockSize() int { return d.p.h }

// Position returns the number of samples consumed since the stream started.
func (d *Detector) Position() int64 { return d.base + int64(d.nbuf) }

// StateSize returns the bytes of memory this detector owns: the struct and
// its block buffer (408 at 8000 Hz). The filter tables are shared and not
// counted.
func (d *Detector) StateSize() int {
	return int(unsafe.Sizeof(*d)) + 2*cap(d.buf)
}

// Process consumes 16-bit linear PCM samples and appends the events they
// complete to dst, returning the extended slice. It allocates nothing unless
// dst lacks capacity: a call appends at most 2 events per block it completes
// (see [Detector.BlockSize]).
func (d *Detector) Process(dst []Event, pcm []int16) []Event {
	h := len(d.buf)
	if d.nbuf > 0 {
		n := copy(d.buf[d.nbuf:], pcm)
		d.nbuf += int32(n)
		pcm = pcm[n:]
		if int(d.nbuf) < h {
			return dst
		}
		dst = d.block(dst, d.buf)
		d.nbuf = 0
	}
	for len(pcm) >= h {
		dst = d.block(dst, pcm[:h])
		pcm = pcm[h:]
	}
	d.nbuf = int32(copy(d.buf, pcm)) // fewer than a block
	return dst
}

// convChunk is how many samples the float and G.711 paths convert at a time
// (a multiple of the block size at the common rates, to spare a copy).
const convChunk = 480

// ProcessFloat32 is [Detector.Process] for float samples in [-1, 1] (1.0 is
// 16-bit full scale; values beyond ±1 saturate as a codec would). A NaN or
// infinite sample rejects the whole call with an error wrapping
// [ErrNonFinite], naming its index; then no sample is consumed and dst is
// returned unchanged.
func (d *Detector) ProcessFloat32(dst []Event, x []float32) ([]Event, error) {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		for i, v := range x {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return dst, fmt.Errorf("%w: sample %d is %v", ErrNonFinite, i, v)
			}
		}
	}
	var tmp [convChunk]int16
	for len(x) > 0 {
		n := min(len(x), convChunk)
		for i, v := range x[:n] {
			tmp[i] = floatToPCM(v)
		}
		dst = d.Process(dst, tmp[:n])
		x = x[n:]
	}
	return dst, nil
}

// floatToPCM scales v by 32768 and rounds to nearest (halves away from
// zero), saturating: exact, as the product is computed in float64.
func floatToPCM(v float32) int16 {
	f := math.Round(float64(v) * 32768)
	return int16(min(max(f, -32768), 32767))
}

// ProcessULaw is [Detector.Process] for G.711 µ-law bytes (a PCMU payload).
func (d *Detector) ProcessULaw(dst []Event, b []byte) []Event {
	return d.processG711(dst, b, g711.ULawTable())
}

// ProcessALaw is [Detector.Process] for G.711 A-law bytes (a PCMA payload).
func (d *Detector) ProcessALaw(dst []Event, b []byte) []Event {
	return d.processG711(dst, b, g711.ALawTable())
}

func (d *Detector) processG711(dst []Event, b []byte, table *[256]int16) []Event {
	var tmp [convChunk]int16
	for len(b) > 0 {
		n := min(len(b), convChunk)
		for i, c := range b[:n] {
			tmp[i] = table[c]
		}
		dst = d.Process(dst, tmp[:n])
		b = b[n:]
	}
	return dst
}

// Flush ends the stream: buffered samples are analysed as if followed by
// silence, a key still down is released (its KeyUp appended to dst, At
// beyond the last real sample), and the detector is [Detector.Reset] for a
// new stream.
func (d *Detector) Flush(dst []Event) []Event {
	if d.nbuf > 0 || d.st != idle {
		clear(d.buf[d.nbuf:])
		dst = d.block(dst, d.buf)
		clear(d.buf)
		limit := int(d.p.keyUpWait/int64(d.p.h)) + 2*window
		for i := 0; d.st != idle && i < limit; i++ {
			dst = d.block(dst, d.buf)
		}
	}
	d.Reset()
	return dst
}

// block analyses one full block x (len = block size) at stream position
// d.base.
func (d *Detector) block(dst []Event, x []int16) []Event {
	p := d.p
	var X [8]complex64
	var pw [8]float32 // |X_k|²
	var m float32
	// The block's energy about its mean (a DC offset is no signal), and
	// its transform only if that reaches the gate. len(x) is the block
	// size and the bank has 8 filters: it cannot fail.
	ef, on, _ := p.fund.GatedTransform8(&X, &pw, x, p.gate)
	if on {
		m = max4(pw[0:4]) + max4(pw[4:8])
	}
	switch d.st {
	case idle, gap:
		dst = d.scan(dst, &X, ef, m, x)
	case tracking, down:
		dst = d.follow(dst, &X, ef, x)
	}
	// The onset floors (see onset.go) and the history, in one kernel
	// call; a block below the gate is silence and X = 0.
	if on {
		h := &d.hist[d.head]
		h.scale = simd.PackFloors(&h.v, &X, &d.floor, &pw, p.floorBase, floorRise)
	} else {
		d.floor = [8]uint8{}
		d.hist[d.head] = packed{} // what packing X = 0 gives
	}
	d.ehist[d.head] = ef
	d.mhist[d.head] = m
	d.head = (d.head + 1) % window
	d.base += int64(len(x))
	return dst
}

// hidx returns the hist index of block t-back (back = 1, 2, 3).
func (d *Detector) hidx(back int) int { return (int(d.head) + window - back) % window }

// candidate is a digit that passed the window checks at the current block.
type candidate struct {
	lo, hi int
	onset  int64
	full   bool            // the window's first block is full of tone
	z1, z2 [2]complex64    // lag-1 products: (t, t-1) and (t-1, t-2)
	u      [2]complex64    // rotation per block
	ref    [2]float32      // full-block magnitude
	theta  [2]float64      // drift per block from nominal [rad]
	e      [window]float32 // block energies t-2, t-1, t
}

// scan looks for a new digit in the window ending with the current block; in
// the gap state it also bridges or releases the key that is up.
func (d *Detector) scan(dst []Event, X *[8]complex64, e, m float32, x []int16) []Event {
	end := d.base + int64(d.p.h)
	if d.st == gap && end-d.lastEnd >= d.p.keyUpWait {
		dst = d.release(dst, end)
	}
	if d.cannotHold(e, m) {
		return dst // most blocks: before the candidate is even cleared
	}
	var c candidate
	if !d.window(&c, X, e) {
		return dst
	}
	if d.st == gap {
		if c.lo == int(d.lo) && c.hi == int(d.hi) && c.onset-d.lastEnd < d.p.minPause {
			d.st = down // an interruption: the same key goes on
			for i := range d.tone {
				d.tone[i].u, d.tone[i].ref = c.u[i], c.ref[i]
			}
			d.lastEnd = end
			return dst
		}
		dst = d.release(dst, end)
		// Refined edges of neighbouring presses must not overlap.
		c.onset = max(c.onset, d.lastEnd)
	}
	d.begin(&c, X, x)
	dst = d.tryConfirm(dst, end, false)
	d.expire(end)
	return dst
}

// expire drops the candidate being tracked if it has not been confirmed by
// the block ending at end, maxPending or more samples after its start: it
// may be found again, but no candidate is followed for long.
func (d *Detector) expire(end int64) {
	if d.st == tracking && end-d.start >= d.p.maxPending {
		d.st, d.dropped = idle, true
	}
}

// window runs the window checks on the last 3 blocks (t-2, t-1 and the
// current block t, whose values are X and energy e) and fills c if a digit
// passes. The caller has ruled out the windows cannotHold rejects.
func (d *Detector) window(c *candidate, X *[8]complex64, e float32) bool {
	p := d.p
	h := float32(p.h)
	c.e = [window]float32{d.ehist[d.hidx(2)], d.ehist[d.hidx(1)], e}
	E := c.e[0] + c.e[1] + c.e[2]
	ex := d.ex
	if ex != nil {
		ex.begin(StageWindow, d.base+int64(p.h))
	}
	w0, w1 := d.hist[d.hidx(2)].all(), d.hist[d.hidx(1)].all()
	// Coherent power over the whole window (15 ms) at each nominal
	// frequency: this resolves neighbouring tones of a group.
	var pw [8]float32
	for k := range 8 {
		r := p.rho[k]
		s := X[k] + r*(w1[k]+r*w0[k])
		pw[k] = norm(s)
	}
	lo, hi := argmax4(pw[0:4]), 4+argmax4(pw[4:8])
	c.lo, c.hi = lo, hi
	own := func(k int) int {
		if k < 4 {
			return lo
		}
		return hi
	}
	ok := true
	for k := range 8 {
		if k != lo && k != hi && pw[own(k)] < p.relPeak*pw[k] {
			ok = false
		}
	}
	if d.stop(CheckRelativePeak, ok, func() float64 {
		worst := math.Inf(1)
		for k := range 8 {
			if k != lo && k != hi {
				worst = min(worst, dB(float64(pw[own(k)])/float64(pw[k])))
			}
		}
		return worst
	}) {
		return false
	}
	// Coherent power over 15 ms has grating lobes every 200 Hz (the block
	// rate): a tone 181 Hz below 1336 Hz looks like 1336 Hz + 19 Hz to it.
	// Within one block, though, every filter sees a tone near its own
	// frequency better than its neighbours do: the candidate must also
	// lead its group in power summed block by block.
	var sum [8]float32
	for k := range 8 {
		sum[k] = norm(X[k]) + norm(w1[k]) + norm(w0[k])
	}
	ok = true
	for k := range 8 {
		if k != lo && k != hi && sum[own(k)] < sum[k] {
			ok = false
		}
	}
	if d.stop(CheckGroupLead, ok, func() float64 {
		worst := math.Inf(1)
		for k := range 8 {
			if k != lo && k != hi {
				worst = min(worst, dB(float64(sum[own(k)])/float64(sum[k])))
			}
		}
		return worst
	}) {
		return false
	}
	var q, gate [2]float32
	for i, k := range [2]int{lo, hi} {
		a, b := w0[k], w1[k]
		c.z1[i] = X[k] * conj(b)
		c.z2[i] = b * conj(a)
		q[i] = abs(c.z1[i]+c.z2[i]) / 2
		gate[i] = q[i] / p.gMin2[k]
	}
	// Upper bound of the energy share over every drift the frequency check
	// accepts: fail early without the arctangents (it decides nothing the
	// checks below would not).
	if ex == nil && 2/h*(gate[0]+gate[1])*window < p.share*E {
		return false
	}
	var g2 [2]float32
	ok = true
	for i, k := range [2]int{lo, hi} {
		z := c.z1[i] + c.z2[i]
		c.theta[i] = drift(z, p.rho[k])
		if math.Abs(c.theta[i]) > p.winTol[k] {
			ok = false
		}
		g2[i] = p.blockGain2(k, c.theta[i])
		c.u[i] = unit(z)
		c.ref[i] = sqrtf(abs(c.z1[i]))
	}
	if d.stopWithin(CheckFrequency, ok, func() float64 { return p.deviation(lo, hi, c.theta) }, 0, p.cfg.FrequencyTolerance+windowSlack) {
		return false
	}
	a := [2]float32{q[0] / g2[0], q[1] / g2[1]}
	if d.stop(CheckLevel, a[0] >= p.minQ && a[1] >= p.minQ, func() float64 { return p.level(min(a[0], a[1])) }) ||
		d.stop(CheckTwist, a[1] >= p.minTwist*a[0] && a[1] <= p.maxTwist*a[0], func() float64 { return dB(float64(a[1]) / float64(a[0])) }) ||
		d.stop(CheckEnergyShare, 2/h*(a[0]+a[1])*window >= p.share*E, func() float64 { return float64(2 / h * (a[0] + a[1]) * window / E) }) {
		return false
	}
	// The tone must fill every block of the window, measured by projecting
	// each block onto the phase predicted from the current one.
	pre := &d.hist[d.hidx(3)]
	var f0, fpre [2]float32
	fill := float32(1)
	for i, k := range [2]int{lo, hi} {
		cur := X[k]
		m := abs(cur)
		back := func(v complex64, n int) float32 {
			r := cur
			for range n {
				r *= conj(c.u[i])
			}
			return real(v*conj(r)) / (m * c.ref[i])
		}
		a1, a2 := back(w1[k], 1), back(w0[k], 2)
		fill = min(fill, m/c.ref[i], a1, a2)
		// The tone turns by the same phase from t-2 to t-1 as from t-1 to
		// t (within minTurnCos): what fills t-2 is this tone, not the leak
		// of another one that just stopped (a 5 ms block cannot tell 1336 Hz
		// from 1477 Hz, but their phases part by 1.9 rad a block).
		if !(c.ref[i] > 0) || !(real(c.z1[i]*conj(c.z2[i])) >= minTurnCos*abs(c.z1[i])*abs(c.z2[i])) { // NaN-proof
			fill = 0
		}
		// A tone that starts in a block fills its tail.
		f0[i] = fraction(p.tail[k], a2)
		fpre[i] = fraction(p.tail[k], back(pre.at(k), 3))
	}
	if d.stop(CheckToneFill, fill >= minFill, func() float64 { return float64(fill) }) {
		return false
	}
	first, before := edge(f0, c.ref), edge(fpre, c.ref)
	c.full = first >= 0.97
	end := d.base + int64(p.h)
	c.onset = end - int64(math.Round(float64(h*(2+first+before))))
	if ex != nil {
		return ex.finish(Keys[4*lo+hi-4], c.onset)
	}
	return true
}

// cannotHold reports that the window ending with the current block
// (energy e, strongest-filter power m) cannot hold a digit: too little
// energy, or too little of it in any pair of filters. Such windows are not
// candidates and are not explained.
func (d *Detector) cannotHold(e, m float32) bool {
	p := d.p
	E := d.ehist[d.hidx(2)] + d.ehist[d.hidx(1)] + e
	if E < p.winGate {
		return true
	}
	// The energy-share check of window can never pass if even the
	// strongest filters of each block could not: q ≤ (|X_t|² + 2|X_t-1|² +
	// |X_t-2|²)/4 for any filter, and a tone's energy is 2/h · q/g² per
	// block, g² ≥ gMin2All. Skipping such windows changes no result (the
	// bound has 0.1 % to spare for rounding).
	return p.windowBound*(m+2*d.mhist[d.hidx(1)]+d.mhist[d.hidx(2)]) < p.share*E
}

// minTurnCos bounds how far the phase advance of a window's first pair of
// blocks may differ from its second's: cos 60°. Noise at 0 dB SNR moves it
// by about 0.4 rad; another tone's leak by any amount.
const minTurnCos = 0.5

// minFill is the least share of a window block's value, projected onto the
// phase the current block predicts, that each tone must show: a tone
// present in only part of the window's 15 ms is not yet a candidate.
const minFill = 0.5

// stop records check c when explaining (value computed only then) and
// reports whether the caller must give up on the candidate: the check
// failed and no explanation is being gathered, which needs every check.
func (d *Detector) stop(c Check, ok bool, value func() float64) bool {
	if d.ex == nil {
		return !ok
	}
	lo, hi := d.p.bounds(c)
	d.ex.note(c, ok, value(), lo, hi)
	return false
}

// stopWithin is stop for a check whose bounds depend on the candidate.
func (d *Detector) stopWithin(c Check, ok bool, value func() float64, lo, hi float64) bool {
	if d.ex == nil {
		return !ok
	}
	d.ex.note(c, ok, value(), lo, hi)
	return false
}

// begin starts tracking candidate c, found at the current block.
func (d *Detector) begin(c *candidate, X *[8]complex64, x []int16) {
	p := d.p
	// A candidate that continues the tone of one just dropped (same key,
	// back within a pause) reports that one's onset: interference that
	// broke the first one's checks does not move the key's start.
	if d.continues(c.lo, c.hi) && c.onset-d.lastEnd < p.minPause {
		d.origin = min(d.origin, c.onset)
	} else {
		d.origin = c.onset
		d.prior = d.priorFloors(c)
	}
	d.dropped = false
	d.st = tracking
	d.lo, d.hi = uint8(c.lo), uint8(c.hi)
	d.start = c.onset
	d.lastEnd = d.base + int64(p.h)
	d.tone = [2]toneStats{}
	d.esum, d.blocks, d.pairs, d.hpairs = 0, 0, 0, 0
	d.hiDrift = float32(c.theta[1])
	for i := range d.tone {
		ts := &d.tone[i]
		ts.u, ts.ref = c.u[i], c.ref[i]
		// The window's blocks: t-2 only if the tone filled it.
		ts.z = c.z1[i]
		if c.full {
			ts.z += c.z2[i]
		}
	}
	d.esum, d.blocks, d.pairs = c.e[1]+c.e[2], 2, 1
	if c.full {
		d.esum += c.e[0]
		d.blocks, d.pairs = 3, 2
	}
	y := d.harmonics(X, x)
	d.tone[0].py, d.tone[1].py = y[0], y[1]
	d.chained = true
	d.resid, d.third, d.diff, d.resN = 0, 0, 0, 0
	d.addResidual(x, c.theta)
}

// continues reports whether a candidate of filters lo and hi found now
// would continue the candidate just dropped: same key, its tone seen up to
// less than a pause ago.
func (d *Detector) continues(lo, hi int) bool {
	end := d.base + int64(d.p.h)
	return d.dropped && d.st == idle && lo == int(d.lo) && hi == int(d.hi) && end-d.lastEnd < d.p.minPause+window*int64(d.p.h)
}

// maxBlock is the longest analysis block: 5 ms at 48 kHz.
const maxBlock = 240

// addResidual adds block x, full of the tracked tones drifting theta [rad
// per block] from nominal, to the residual statistics.
func (d *Detector) addResidual(x []int16, theta [2]float64) {
	p := d.p
	var r [maxBlock]float32
	s := p.res.residual(x, p.rate, p.measuredFreq(int(d.lo), theta[0]), p.measuredFreq(int(d.hi), theta[1]), r[:len(x)])
	d.resid += s.band
	d.third += s.third
	fd := p.measuredFreq(int(d.hi), theta[1]) - p.measuredFreq(int(d.lo), theta[0])
	sn, cs := math.Sincos(-math.Mod(2*math.Pi*fd/float64(p.rate)*float64(d.base), 2*math.Pi))
	d.diff += complex64(s.diff * complex(cs, sn))
	if d.resN < math.MaxUint8 {
		d.resN++
	}
}

// harmonics returns the current block's second-harmonic values of the tracked
// tones, the low one with the high tone's leak removed.
func (d *Detector) harmonics(X *[8]complex64, x []int16) [2]complex64 {
	yl, _ := d.p.harm.TransformOne(int(d.lo), x)
	yh, _ := d.p.harm.TransformOne(int(d.hi), x)
	// The leak of the high tone (at its measured frequency) into the low
	// tone's second-harmonic filter, relative to its own filter's value:
	// they can be 58 Hz apart.
	kappa := d.p.leak(int(d.lo), int(d.hi), float64(d.hiDrift))
	return [2]complex64{yl - kappa*X[d.hi], yh}
}

// integrate adds the current block, present and full, to the candidate's
// statistics.
func (d *Detector) integrate(X *[8]complex64, e float32, x []int16, full bool) {
	p := d.p
	prev := &d.hist[d.hidx(1)]
	y := d.harmonics(X, x)
	for i, k := range [2]int{int(d.lo), int(d.hi)} {
		ts := &d.tone[i]
		if d.chained {
			ts.z += X[k] * conj(prev.at(k))
			ts.y += y[i] * conj(ts.py)
		}
		ts.py = y[i]
	}
	if full {
		var theta [2]float64
		for i, k := range [2]int{int(d.lo), int(d.hi)} {
			theta[i] = drift(d.tone[i].z, p.rho[k])
		}
		d.addResidual(x, theta)
	}
	d.esum += e
	d.blocks = inc(d.blocks)
	if d.chained {
		d.pairs = inc(d.pairs)
		d.hpairs = inc(d.hpairs)
	}
	d.chained = true
}

// inc adds one to a counter, saturating.
func inc(v uint16) uint16 {
	if v == math.MaxUint16 {
		return v
	}
	return v + 1
}

// follow checks that the tracked tones go on in the current block.
func (d *Detector) follow(dst []Event, X *[8]complex64, e float32, x []int16) []Event {
	p := d.p
	h := int64(p.h)
	prev := &d.hist[d.hidx(1)]
	// Project the block onto the phase the previous one predicts; a tone that
	// ends in a block fills its head.
	var a, fr [2]float32
	for i, k := range [2]int{int(d.lo), int(d.hi)} {
		pv := prev.at(k)
		if m, ts := abs(pv), &d.tone[i]; m > 0 && ts.ref > 0 {
			a[i] = real(X[k]*conj(pv*ts.u)) / (m * ts.ref)
		}
		fr[i] = fraction(p.head[k], a[i])
	}
	f := min(a[0], a[1])
	frac := edge(fr, [2]float32{d.tone[0].ref, d.tone[1].ref})
	start, end := d.base, d.base+h
	if f >= 0.5 {
		if d.st == tracking {
			d.integrate(X, e, x, f >= fullBlock)
		}
		d.lastEnd = start + int64(math.Round(float64(frac*float32(h))))
		if d.st == tracking {
			dst = d.tryConfirm(dst, end, false)
			d.expire(end)
		}
		return dst
	}
	// The tone ended in the previous block or in this one.
	d.lastEnd += int64(math.Round(float64(frac * float32(h))))
	if d.st == tracking {
		dst = d.tryConfirm(dst, end, true)
		if d.st == tracking {
			d.st, d.dropped = idle, true // too short, or failed the checks
			return dst
		}
	}
	d.st = gap
	return dst
}

// measurement is what the integrated checks found.
type measurement struct {
	level, freq [2]float32
}

// fullBlock is the least projection of a block onto the tone's predicted
// phase for the block to count as full of it: only such blocks are fitted
// for the residual, since a tone that stops inside a block leaves its
// splatter there.
const fullBlock = 0.9

// tryConfirm confirms the tracked candidate if it has lasted long enough and
// passes the checks integrated over its whole length so far. final tells
// that the tone has ended: a candidate too short is then rejected for good
// (and explained), not waited for.
func (d *Detector) tryConfirm(dst []Event, at int64, final bool) []Event {
	long := d.lastEnd-d.start >= d.p.minTone
	if !long && (!final || d.ex == nil) {
		return dst
	}
	m, ok := d.measure(at, long)
	if !ok {
		return dst
	}
	d.st = down
	digit := Keys[4*int(d.lo)+int(d.hi)-4]
	return append(dst, Event{
		Type: KeyDown, Digit: digit, Start: d.origin, At: at,
		LowLevel: m.level[0], HighLevel: m.level[1],
		LowFreq: m.freq[0], HighFreq: m.freq[1],
	})
}

// measure runs the confirm checks on everything integrated since the
// candidate was found, at stream position at; long tells that the tone has
// lasted MinToneDuration.
func (d *Detector) measure(at int64, long bool) (m measurement, ok bool) {
	p := d.p
	h := float32(p.h)
	if d.pairs == 0 || d.blocks == 0 || d.hpairs == 0 || d.resN == 0 {
		// Not yet: the harmonics need a pair of blocks (begin integrates a
		// pair and measures one residual).
		return m, false
	}
	ex := d.ex
	if ex != nil {
		ex.begin(StageConfirm, at)
	}
	var a, q [2]float32
	var theta [2]float64
	for i, k := range [2]int{int(d.lo), int(d.hi)} {
		ts := &d.tone[i]
		q[i] = abs(ts.z) / float32(d.pairs)
		theta[i] = drift(ts.z, p.rho[k])
		a[i] = q[i] / p.blockGain2(k, theta[i])
	}
	nb := float32(d.blocks)
	tones := 2 / h * (a[0] + a[1]) // both tones' energy per block
	// The frequency tolerance: all of it for a pair alone on the line,
	// less for one that shares it (see sharedTolerance).
	tolScale := 1.0
	if tones*nb < fullToleranceShare*d.esum {
		tolScale = p.sharedTolScale
	}
	ok = true
	for i, k := range [2]int{int(d.lo), int(d.hi)} {
		if math.Abs(theta[i]) > p.tol[k]*tolScale {
			ok = false
		}
	}
	// A tone that shares the signal with other sound, and whose high tone
	// is the weaker by more than tiltTwist, must last one block longer:
	// that is how a voice's harmonics look (the spectrum of speech falls
	// with frequency), and what mimics a key in speech rarely holds still
	// for longer. The block fits in the time a candidate is given.
	need := p.minTone
	if tones*nb < cleanShare*d.esum && a[1] < p.tilt*a[0] {
		need += int64(p.h)
	}
	long = long && d.lastEnd-d.start >= need
	if d.stop(CheckDuration, long, func() float64 { return float64(d.lastEnd-d.start) * 1000 / float64(p.rate) }) {
		return m, false
	}
	if ex != nil {
		ex.ev.Checks[CheckDuration].Min = float64(need) * 1000 / float64(p.rate)
	}
	if d.stopWithin(CheckFrequency, ok, func() float64 { return p.deviation(int(d.lo), int(d.hi), theta) }, 0, p.cfg.FrequencyTolerance*tolScale) ||
		d.stop(CheckLevel, a[0] >= p.minQ && a[1] >= p.minQ, func() float64 { return p.level(min(a[0], a[1])) }) ||
		d.stop(CheckTwist, a[1] >= p.minTwist*a[0] && a[1] <= p.maxTwist*a[0], func() float64 { return dB(float64(a[1]) / float64(a[0])) }) ||
		d.stop(CheckEnergyShare, tones*nb >= p.share*d.esum, func() float64 { return float64(tones * nb / d.esum) }) {
		return m, false
	}
	// What is not tone, per block. If it were white noise, a lag-1 sum of
	// n pairs of a filter's values would reach about resid/√n per pair:
	// allow twice that before calling a harmonic real.
	resid := max(d.esum/nb-tones, 0)
	n := float32(d.hpairs)
	var harm [2]float32
	ok = true
	for i := range d.tone {
		harm[i] = abs(d.tone[i].y)/n - 2*resid/sqrtf(n)
		if harm[i] > p.harmRatio*q[i] {
			ok = false
		}
	}
	weak := min(a[0], a[1])
	rn := float32(d.resN)
	// The strongest other component: the residual's strongest bin, or its
	// power at f_h − f_l, measured coherently over the blocks — where a
	// harmonic series that holds both tones has one too (for a voice whose
	// harmonics 2 and 3 mimic the key, its fundamental).
	third := max(d.third/rn, norm(d.diff)/(rn*rn))
	if d.stop(CheckSecondHarmonic, ok, func() float64 {
		return dB(max(float64(harm[0]/q[0]), float64(harm[1]/q[1]), 1e-10))
	}) ||
		d.stop(CheckResidual, d.resid/rn <= p.maxResid*weak, func() float64 { return dB(max(float64(d.resid/rn/weak), 1e-10)) }) ||
		d.stop(CheckThirdTone, third <= p.maxThird*weak, func() float64 { return dB(max(float64(third/weak), 1e-10)) }) {
		return m, false
	}
	lead := d.priorLead(q)
	if d.stop(CheckOnset, lead <= p.maxPrior, func() float64 { return float64(lead) * floorStepDB }) {
		return m, false
	}
	for i, k := range [2]int{int(d.lo), int(d.hi)} {
		m.level[i] = float32(p.level(a[i]))
		m.freq[i] = float32(p.measuredFreq(k, theta[i]))
		if !finite(m.level[i]) || !finite(m.freq[i]) {
			return m, false // a value no event may carry
		}
	}
	if ex != nil {
		return m, ex.finish(Keys[4*int(d.lo)+int(d.hi)-4], d.origin)
	}
	return m, true
}

// release reports the key that is up for good.
func (d *Detector) release(dst []Event, at int64) []Event {
	d.st = idle
	rate := int64(d.p.rate)
	n := d.lastEnd - d.origin
	return append(dst, Event{
		Type: KeyUp, Digit: Keys[4*int(d.lo)+int(d.hi)-4],
		Start: d.origin, End: d.lastEnd, At: at,
		DurationMS: int((n*1000 + rate/2) / rate),
	})
}

// drift returns the phase by which a tone whose consecutive-block product is
// z turns per block beyond the nominal rotation rho, in (-π, π].
func drift(z, rho complex64) float64 {
	w := z * conj(rho)
	return math.Atan2(float64(imag(w)), float64(real(w)))
}

// max4 returns the largest of 4 powers: non-negative, not NaN, so they
// order like their bits, and an integer max needs no NaN or ±0 care.
func max4(v []float32) float32 {
	_ = v[3]
	b := max(math.Float32bits(v[0]), math.Float32bits(v[1]), math.Float32bits(v[2]), math.Float32bits(v[3]))
	return math.Float32frombits(b)
}

func argmax4(v []float32) int {
	k := 0
	for i := 1; i < 4; i++ {
		if v[i] > v[k] {
			k = i
		}
	}
	return k
}

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }

func conj(c complex64) complex64 { return complex(real(c), -imag(c)) }
func norm(c complex64) float32   { return real(c)*real(c) + imag(c)*imag(c) }
func abs(c complex64) float32    { return sqrtf(norm(c)) }
func sqrtf(v float32) float32    { return float32(math.Sqrt(float64(v))) }
func absf(v float32) float32     { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

func unit(c complex64) complex64 {
	m := abs(c)
	if m == 0 {
		return 1
	}
	return complex(real(c)/m, imag(c)/m)
}

// cleanShare is the energy share above which a candidate counts as alone
// on the line: below it, something else is sounding.
const cleanShare = 0.75

// A pair of tones off nominal by more than sharedTolerance [%] is accepted
// only if it holds at least fullToleranceShare of the signal's energy.
//
// The full tolerance (FrequencyTolerance, 1.85 % by default) is there for
// generators at the edge of Q.23's ±1.8 %; Q.24 tests that edge on a
// clean line. Keypads, phones and software generate their tones within a
// few tenths of a percent, and in noise the measurement itself adds little:
// keys at nominal frequency in white noise at 3 dB SNR measure within
// 0.7 % (99th percentile; 1.0 % at the worst of 960 keys, 1.2 % at 0 dB).
// What sits 1.2 to 1.85 % off a DTMF pair and shares the line with other
// sound is talk-off: notes of the equal-tempered scale near the DTMF
// frequencies are 0.2 to 2.5 % off them, and a voice's harmonics fall
// anywhere. A pair alone on the line keeps the full tolerance.
const (
	sharedTolerance    = 1.2  // [%]
	fullToleranceShare = 0.85 // energy share
)
