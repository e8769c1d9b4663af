package detector

// Tone is the key press a detector is following, as far as it has seen it:
// see [Detector.Following].
type Tone struct {
	// Digit is the key.
	Digit byte
	// Start is the refined position of the tone's first sample. For a
	// candidate it is where the candidate itself began (DecisionDelay counts
	// from it); a confirmed key may report an earlier start, that of a
	// candidate its tone continues.
	Start int64
	// End is the position just past the tone's last sample seen so far.
	End int64
	// Confirmed reports whether its KeyDown has been reported. A tone that
	// is not confirmed is a candidate: it may still turn out not to be a key
	// press, and then no event is ever reported for it.
	Confirmed bool
	// Present reports whether the tone was present in the last analysed
	// block; a confirmed tone that is not present is in a gap that may still
	// be bridged (see [Config.MinPause]).
	Present bool
}

// Following returns the tone the detector is following — a candidate being
// confirmed, a key that is down, or a released key whose gap may still be
// bridged — and false if there is none. A host that delays the audio it
// forwards (to suppress key presses, say) uses it with [Detector.Settled]
// and [Detector.DecisionDelay] to know which samples may still belong to a
// key press. It allocates nothing.
func (d *Detector) Following() (Tone, bool) {
	if d.st == idle {
		return Tone{}, false
	}
	start := d.start // a candidate's deadline counts from its own start
	if d.st == down || d.st == gap {
		start = d.origin
	}
	return Tone{
		Digit:     Keys[4*int(d.lo)+int(d.hi)-4],
		Start:     start,
		End:       d.lastEnd,
		Confirmed: d.st == down || d.st == gap,
		Present:   d.st == tracking || d.st == down,
	}, true
}

// Settled returns the stream position before which no key press can start
// that the detector has not already reported with a KeyDown or is
// following: a tone is first looked for in the last three analysed blocks,
// and its start refined into the block before them. It may be negative at
// the start of a stream.
func (d *Detector) Settled() int64 { return d.base - 3*int64(d.p.h) }

// DecisionDelay returns the number of samples after a candidate's start
// within which the detector has either confirmed it (KeyDown) or dropped
// it: once [Detector.Position] reaches Start + DecisionDelay, a candidate
// still followed is confirmed. It is the longer of MinToneDuration and 5
// analysis blocks, plus two blocks: 35 ms at the defaults.
func (d *Detector) DecisionDelay() int64 { return d.p.maxPending + int64(d.p.h) }
