package rtpdtmf

// timeline maps a stream's RTP clock onto positions (samples since the
// stream began, through concealed and filled gaps) and decides how each
// audio packet, in sequence order, joins what came before it.
type timeline struct {
	pos         int64  // the position of the next sample
	nextTS      uint32 // the RTP timestamp of pos
	haveRef     bool   // nextTS is set
	haveAudio   bool   // audio has joined since the last clear
	lossPending int    // packets lost since the last audio
	maxGap      int64  // the largest gap filled [samples]
	maxConceal  int64  // the longest loss concealed [samples]
}

// gap is what comes before an audio packet: a reset of the stream, lost
// audio to conceal and silence to fill, or samples of the packet that
// overlap audio already played.
type gap struct {
	reset            bool
	conceal, silence int64
	skip             int
}

// clear forgets the clock: the next packet sets it anew.
func (tl *timeline) clear() { tl.haveRef, tl.haveAudio, tl.lossPending = false, false, 0 }

// ref sets the clock from the first packet to arrive.
func (tl *timeline) ref(ts uint32) {
	if !tl.haveRef {
		tl.nextTS, tl.haveRef = ts, true
	}
}

// posOf maps an RTP timestamp onto the stream.
func (tl *timeline) posOf(ts uint32) int64 { return tl.pos + int64(int32(ts-tl.nextTS)) }

// tsOf maps a position onto the RTP clock.
func (tl *timeline) tsOf(pos int64) uint32 { return tl.nextTS - uint32(tl.pos-pos) }

// advance moves the stream on by n samples.
func (tl *timeline) advance(n int64) {
	tl.pos += n
	tl.nextTS += uint32(n)
}

// join returns what comes before an audio packet of n samples at ts: a
// gap after lost packets is concealed up to maxConceal, then silence; a
// gap without loss (silence suppression) is silence; a jump beyond maxGap,
// or back by more than the packet, resets the stream (after which the
// caller clears the timeline and joins again).
func (tl *timeline) join(ts uint32, n int) gap {
	if !tl.haveRef || (!tl.haveAudio && int32(ts-tl.nextTS) < 0) {
		// The first audio; the clock may have come from an earlier
		// telephone-event.
		tl.nextTS, tl.haveRef = ts, true
	}
	dt := int64(int32(ts - tl.nextTS))
	if dt > tl.maxGap || dt < -int64(n) {
		return gap{reset: true}
	}
	tl.haveAudio = true
	var g gap
	switch {
	case dt > 0:
		if tl.lossPending > 0 {
			g.conceal = min(dt, tl.maxConceal)
		}
		g.silence = dt - g.conceal
	case dt < 0:
		g.skip = int(-dt)
	}
	tl.lossPending = 0
	return g
}
