package rtpdtmf

// Sequence-number limits of RFC 3550 Appendix A.1: a packet up to
// maxDropout ahead of the expected number continues the stream (packets in
// between were lost), one up to maxMisorder behind is late or a duplicate,
// anything else is a jump that restarts the stream once a second packet
// follows it in sequence.
const (
	maxDropout  = 3000
	maxMisorder = 100
)

// kind is what a packet carries, once its payload type is known.
type kind uint8

const (
	kindNone    kind = iota // unknown type or bad payload
	kindAudio               // audio to decode
	kindSilence             // comfort noise: silence until the next audio
	kindEvent               // telephone-event
)

// packet is what the receiver keeps of an RTP packet.
type packet struct {
	seq     uint16
	ts      uint32
	kind    kind
	enc     Encoding
	pt      uint8
	marker  bool
	payload []byte
}

// played is a packet handed on in sequence order.
type played struct {
	p packet
	// lost is how many packets just before p were given up as lost.
	lost int
	// restart says the stream's sequence numbers jumped before p: the
	// state built from earlier packets no longer applies.
	restart bool
}

// slot holds one packet that arrived ahead of a missing one.
type slot struct {
	p    packet
	used bool
	gen  uint32 // the push in which the slot's packet was last handed on
	buf  []byte // owned copy of the payload; grows to the largest held
}

// sequencer puts packets back in sequence order within a window of
// ReorderWindow packets: a packet that arrives ahead of a missing one is
// held; once window packets are held past it, the missing one is lost.
// Its state is a fixed ring of slots; the only allocations are the first
// copies of held payloads (each slot's buffer grows to the largest payload
// it has held, at most MaxPayloadSize).
type sequencer struct {
	window  int
	started bool
	next    uint16 // the sequence number expected next
	held    int
	lost    int // lost packets not yet attached to a played one
	gen     uint32
	playing bool // a packet has been played since the start
	probing bool
	probe   slot // the last packet far out of sequence
	slots   [ringSize]slot
	spare   []byte
	out     [ringSize + 2]played
	stats   *Stats
}

func (s *sequencer) reset() {
	s.started, s.held, s.lost, s.probing = false, 0, 0, false
	for i := range s.slots {
		s.slots[i].used = false
	}
}

// push takes one packet and returns the packets now due, in sequence
// order. p.payload must stay valid until the next push; payloads of held
// packets are copied. The returned slice and the payloads it points to are
// valid until the next push or flush.
func (s *sequencer) push(p packet) []played {
	s.gen++
	out := s.out[:0]
	if !s.started {
		// Wait for window packets before playing the first, so that
		// packets sent before it but arriving after it still count.
		s.started, s.playing = true, false
		s.next = p.seq - uint16(s.window)
	}
	ud := p.seq - s.next
	switch {
	case ud == 0:
		s.probing = false
		if s.held > 0 {
			s.stats.Reordered++ // it fills a hole later packets wait behind
		}
		out = s.play(out, p)
		return s.drain(out)
	case ud < maxDropout:
		s.probing = false
		if int(ud) > s.window {
			out = s.advance(out, p.seq-uint16(s.window))
			if p.seq == s.next {
				out = s.play(out, p)
				return s.drain(out)
			}
		}
		s.hold(p)
		return out
	case ud >= 1<<16-maxMisorder:
		s.stats.Late++
		return out
	}
	// A jump: restart only if the previous packet began the same jump, so
	// that one stray packet cannot reset the stream.
	if !s.probing || p.seq != s.probe.p.seq+1 {
		s.probing = true
		s.probe.buf = append(s.probe.buf[:0], p.payload...)
		s.probe.p = p
		s.probe.p.payload = s.probe.buf
		s.stats.Discarded++
		return out
	}
	s.probing = false
	s.stats.Discarded--
	s.stats.Restarts++
	out = s.takeAll(out)
	out = append(out, played{p: s.probe.p, restart: true}, played{p: p})
	s.next = p.seq + 1
	return out
}

// flush returns every held packet, in order, and empties the window.
func (s *sequencer) flush() []played {
	s.gen++
	return s.takeAll(s.out[:0])
}

// takeAll hands on every held packet in order, without counting the
// missing ones in between as lost: the stream ends or restarts.
func (s *sequencer) takeAll(out []played) []played {
	for i := 0; s.held > 0 && i < ringSize; i++ {
		sl := &s.slots[s.next%ringSize]
		if sl.used && sl.p.seq == s.next {
			out = s.take(out, sl)
		} else {
			s.next++
		}
	}
	s.lost = 0
	return out
}

func (s *sequencer) play(out []played, p packet) []played {
	if !s.playing {
		s.playing, s.lost = true, 0 // nothing before the first packet was lost
	}
	out = append(out, played{p: p, lost: s.lost})
	s.lost = 0
	s.next = p.seq + 1
	return out
}

// drain hands on the held packets that now follow in sequence.
func (s *sequencer) drain(out []played) []played {
	for s.held > 0 {
		sl := &s.slots[s.next%ringSize]
		if !sl.used || sl.p.seq != s.next {
			break
		}
		out = s.take(out, sl)
	}
	return out
}

// advance gives up the packets before seq that have not arrived, handing
// on the held ones among them. It loops at most once per held packet plus
// the window, however far seq lies ahead.
func (s *sequencer) advance(out []played, seq uint16) []played {
	for int16(seq-s.next) > 0 {
		if s.held == 0 {
			s.lose(int(seq - s.next))
			s.next = seq
			break
		}
		sl := &s.slots[s.next%ringSize]
		if sl.used && sl.p.seq == s.next {
			out = s.take(out, sl)
			continue
		}
		s.lose(1)
		s.next++
	}
	return s.drain(out)
}

// lose counts n packets as lost, unless the stream has not begun playing:
// the numbers before its first packet were never sent.
func (s *sequencer) lose(n int) {
	if s.playing {
		s.lost += n
		s.stats.Lost += int64(n)
	}
}

func (s *sequencer) take(out []played, sl *slot) []played {
	sl.used = false
	sl.gen = s.gen
	s.held--
	return s.play(out, sl.p)
}

// hold keeps p, which lies within the window ahead of s.next.
func (s *sequencer) hold(p packet) {
	sl := &s.slots[p.seq%ringSize]
	if sl.used {
		s.stats.Duplicates++ // the window is shorter than the ring: same number
		return
	}
	if sl.gen == s.gen {
		// This push handed on the slot's previous packet, whose payload
		// the caller has yet to read: keep p in the spare buffer.
		sl.buf, s.spare = s.spare, sl.buf
	}
	sl.buf = append(sl.buf[:0], p.payload...)
	sl.p = p
	sl.p.payload = sl.buf
	sl.used = true
	s.held++
}
