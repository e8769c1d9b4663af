package rtpdtmf

import (
	"fmt"
	"math"
	"time"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// SenderConfig sets up a [Sender]. Start from [DefaultSenderConfig];
// [NewSender] validates every field.
type SenderConfig struct {
	// ClockRate is the stream's RTP clock rate [Hz], 8000 to 48000:
	// event timestamps and durations count its samples. Default 8000.
	ClockRate int
	// UpdateInterval is the time [time] between the packets of a held
	// key, and between the repeats of its final packet, 10 to 100 ms.
	// Updates fall on a grid from the event's first packet, so that a
	// caller that sends every 20 ms still updates every 50 ms on average.
	// Default 50 ms.
	UpdateInterval time.Duration
	// EndPackets is how many times the final packet of an event (or of a
	// segment of a long one) is sent, 1 to 5 (RFC 4733 §2.5.1.4: three).
	// Default 3.
	EndPackets int
	// HoldBack is how long [time] after a tone has ended the detector may
	// still not have reported its key-up, 0 to 1 s: an update never
	// reports a key held past the analysed position minus HoldBack, so
	// that reported durations never shrink. The default detector releases
	// a key at most 54.5 ms after its end (measured over 300 keys with
	// noise: MinPause 30 ms plus blocks); default 60 ms. Use MinPause +
	// 30 ms for other detector configs.
	HoldBack time.Duration
}

// DefaultSenderConfig returns the documented defaults: 8000 Hz, updates
// every 50 ms, final packet sent three times, 60 ms hold-back.
func DefaultSenderConfig() SenderConfig {
	return SenderConfig{ClockRate: 8000, UpdateInterval: 50 * time.Millisecond, EndPackets: 3, HoldBack: 60 * time.Millisecond}
}

// Validate reports the first invalid field as an error wrapping [ErrConfig],
// or nil.
func (c SenderConfig) Validate() error {
	if c.ClockRate < 8000 || c.ClockRate > 48000 {
		return fmt.Errorf("%w: ClockRate %d Hz: want a value in [8000, 48000]", ErrConfig, c.ClockRate)
	}
	if c.UpdateInterval < 10*time.Millisecond || c.UpdateInterval > 100*time.Millisecond {
		return fmt.Errorf("%w: UpdateInterval %v: want a value in [10ms, 100ms]", ErrConfig, c.UpdateInterval)
	}
	if c.EndPackets < 1 || c.EndPackets > 5 {
		return fmt.Errorf("%w: EndPackets %d: want a value in [1, 5]", ErrConfig, c.EndPackets)
	}
	if c.HoldBack < 0 || c.HoldBack > time.Second {
		return fmt.Errorf("%w: HoldBack %v: want a value in [0s, 1s]", ErrConfig, c.HoldBack)
	}
	return nil
}

// EventPacket is one telephone-event packet to send: the caller adds the
// stream's SSRC, the telephone-event payload type and the next sequence
// number, and writes Event as the payload.
type EventPacket struct {
	// Marker is set on the first packet of an event (RFC 4733 §2.5.1.2).
	Marker bool
	// Timestamp is the RTP timestamp of the event's (or segment's) start.
	Timestamp uint32
	// Event is the payload.
	Event rfc4733.Event
}

// endTrain is a final packet still to be repeated.
type endTrain struct {
	p    EventPacket
	left int
	due  int64
}

// maxEndTrains bounds the final packets repeating at once: a segment's,
// the event's, and the previous event's.
const maxEndTrains = 4

// confirmSlack is how far before its KeyDown's At a confirmed tone is
// known to be present [ms]: the detector confirms at the end of the 5 ms
// block in which the tone reached its minimum length.
const confirmSlackMS = 5

// Sender turns detector key events into RFC 4733 telephone-event packets
// (RFC 4733 §2.5.1): the event's timestamp is the tone's start on the
// stream's clock, back-dated past the detection delay and constant for the
// event; the first packet has the Marker bit; while the key is held, the
// cumulative duration is sent every UpdateInterval; the final packet, with
// the E bit, is sent EndPackets times at the update interval; the volume is
// the two tones' measured power in -dBm0; a key longer than 0xFFFF
// timestamp units is sent as segments (§2.5.1.3).
//
// Positions are samples on the stream's clock, as the detector counts
// them; [Sender.SetTimestamp] ties them to RTP timestamps. A Sender is not
// safe for concurrent use; [Sender.Process] allocates nothing unless dst
// lacks capacity.
type Sender struct {
	cfg                       SenderConfig
	interval, holdBack, slack int64
	tsBase                    uint32
	posBase                   int64

	active  bool  // a key is being sent
	sent    bool  // its first packet has gone
	ended   bool  // its KeyUp is known
	code    uint8 // the key's event code
	volume  uint8
	start   int64 // the event's start
	seg     int64 // the current segment's start
	end     int64 // the key's end, once ended
	present int64 // the tone is known to last at least to here
	dur     int64 // the duration last sent in the current segment
	due     int64 // when the next update is due

	trains [maxEndTrains]endTrain
	queue  [senderQueue]detector.Event
	qhead  int
	qlen   int
}

// senderQueue bounds the detector events waiting for the stream to reach
// them: a gateway's lookahead holds at most a key or two.
const senderQueue = 8

// NewSender returns a sender, or an error wrapping [ErrConfig].
func NewSender(cfg SenderConfig) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Sender{
		cfg:      cfg,
		interval: samples(cfg.UpdateInterval, cfg.ClockRate),
		holdBack: samples(cfg.HoldBack, cfg.ClockRate),
		slack:    int64(cfg.ClockRate * confirmSlackMS / 1000),
	}
	return s, nil
}

// Config returns the sender's configuration.
func (s *Sender) Config() SenderConfig { return s.cfg }

// SetTimestamp ties stream position pos to RTP timestamp ts; later
// positions follow the clock. The default ties position 0 to timestamp 0.
func (s *Sender) SetTimestamp(pos int64, ts uint32) { s.posBase, s.tsBase = pos, ts }

func (s *Sender) ts(pos int64) uint32 { return s.tsBase + uint32(pos-s.posBase) }

// Reset forgets any key and pending packet, as a fresh [NewSender] would
// (the timestamp tie is kept).
func (s *Sender) Reset() {
	*s = Sender{cfg: s.cfg, interval: s.interval, holdBack: s.holdBack, slack: s.slack, tsBase: s.tsBase, posBase: s.posBase}
}

// Process takes the detector's new events and appends the packets due once
// the outgoing stream has reached position now. analysed is how far the
// detector has looked (its position): equal to now when events are sent as
// they are detected, ahead of now in a gateway that delays the audio to
// remove the tones. Call it once per outgoing audio packet. Events must
// come in the detector's order; they are queued until the stream reaches
// them (a gateway learns of the next key before the previous one has been
// sent to its end). A KeyUp whose key is not being sent is ignored.
func (s *Sender) Process(dst []EventPacket, events []detector.Event, now, analysed int64) []EventPacket {
	for i := range events {
		if s.qlen == len(s.queue) {
			dst = s.apply(dst, now, true) // full: the oldest key goes out early
		}
		s.queue[(s.qhead+s.qlen)%len(s.queue)] = events[i]
		s.qlen++
	}
	for {
		dst = s.apply(dst, now, false)
		if s.active && !s.ended {
			s.present = max(s.present, analysed-s.holdBack)
		}
		wasActive := s.active
		dst = s.emit(dst, now)
		if !wasActive || s.active || s.qlen == 0 {
			return dst
		}
	}
}

// apply takes queued events while they can be taken at now: a KeyUp at
// once, a KeyDown once the key before it has been sent to its end (or at
// once if force).
func (s *Sender) apply(dst []EventPacket, now int64, force bool) []EventPacket {
	for s.qlen > 0 {
		ev := &s.queue[s.qhead]
		switch ev.Type {
		case detector.KeyUp:
			if s.active && !s.ended {
				if code, _ := rfc4733.Code(ev.Digit); code == s.code {
					s.ended = true
					s.end = max(ev.End, s.seg+s.dur) // durations never shrink
				}
			}
		case detector.KeyDown:
			code, ok := rfc4733.Code(ev.Digit)
			if !ok {
				break
			}
			if s.active {
				if !s.ended { // no KeyUp before the next KeyDown: end it there
					s.ended, s.end = true, max(ev.Start, s.seg+s.dur)
				}
				if now < s.end && !force {
					return dst
				}
				dst = s.finish(dst, max(now, s.end))
			}
			s.active, s.sent, s.ended = true, false, false
			s.code = code
			s.volume = rfc4733.Volume(powerSum(ev.LowLevel, ev.HighLevel))
			s.start, s.seg, s.dur = ev.Start, ev.Start, 0
			s.present = max(ev.Start, ev.At-s.slack)
		}
		s.qhead = (s.qhead + 1) % len(s.queue)
		s.qlen--
		force = false
	}
	return dst
}

// powerSum returns the power [dBm0] of two tones together.
func powerSum(a, b float32) float64 {
	return 10 * math.Log10(math.Pow(10, float64(a)/10)+math.Pow(10, float64(b)/10))
}

// emit appends the packets due at now.
func (s *Sender) emit(dst []EventPacket, now int64) []EventPacket {
	dst = s.repeats(dst, now)
	if !s.active {
		return dst
	}
	if s.ended && now >= s.end {
		return s.finish(dst, now)
	}
	if !s.sent {
		if now <= s.start {
			return dst
		}
		s.sent = true
		s.due = now + s.interval
		return s.update(dst, now, true)
	}
	// Segments: end one every 0xFFFF units the key is known to last.
	for min(now, s.present)-s.seg > rfc4733.MaxDuration {
		dst = s.segment(dst, now)
	}
	if now >= s.due {
		s.due += s.interval * ((now-s.due)/s.interval + 1)
		dst = s.update(dst, now, false)
	}
	return dst
}

// update sends the key's duration so far.
func (s *Sender) update(dst []EventPacket, now int64, marker bool) []EventPacket {
	s.dur = max(s.dur, min(min(now, s.present)-s.seg, rfc4733.MaxDuration))
	return append(dst, EventPacket{Marker: marker, Timestamp: s.ts(s.seg), Event: s.payload(false)})
}

func (s *Sender) payload(end bool) rfc4733.Event {
	return rfc4733.Event{Code: s.code, End: end, Volume: s.volume, Duration: uint16(s.dur)}
}

// segment ends the current segment at 0xFFFF units (no E bit: the event
// goes on) and starts the next one where it ended, without Marker.
func (s *Sender) segment(dst []EventPacket, now int64) []EventPacket {
	s.dur = rfc4733.MaxDuration
	dst = s.train(dst, EventPacket{Timestamp: s.ts(s.seg), Event: s.payload(false)}, now)
	s.seg += rfc4733.MaxDuration
	s.dur = 0
	return dst
}

// finish sends the key's final packet (after any segments it needs) and
// schedules its repeats.
func (s *Sender) finish(dst []EventPacket, now int64) []EventPacket {
	for s.end-s.seg > rfc4733.MaxDuration {
		dst = s.segment(dst, now)
	}
	s.dur = s.end - s.seg
	s.active = false
	return s.train(dst, EventPacket{Marker: !s.sent, Timestamp: s.ts(s.seg), Event: s.payload(true)}, now)
}

// train sends p now and schedules its repeats.
func (s *Sender) train(dst []EventPacket, p EventPacket, now int64) []EventPacket {
	dst = append(dst, p)
	if s.cfg.EndPackets == 1 {
		return dst
	}
	p.Marker = false
	slot := -1
	for i := range s.trains {
		if s.trains[i].left == 0 {
			slot = i
			break
		}
	}
	if slot < 0 {
		// All in use: send the oldest's repeats at once.
		slot = 0
		for i := range s.trains {
			if s.trains[i].due < s.trains[slot].due {
				slot = i
			}
		}
		for ; s.trains[slot].left > 0; s.trains[slot].left-- {
			dst = append(dst, s.trains[slot].p)
		}
	}
	s.trains[slot] = endTrain{p: p, left: s.cfg.EndPackets - 1, due: now + s.interval}
	return dst
}

// repeats sends the final-packet repeats due at now, oldest first.
func (s *Sender) repeats(dst []EventPacket, now int64) []EventPacket {
	for {
		k := -1
		for i := range s.trains {
			if t := &s.trains[i]; t.left > 0 && t.due <= now && (k < 0 || t.due < s.trains[k].due) {
				k = i
			}
		}
		if k < 0 {
			return dst
		}
		t := &s.trains[k]
		dst = append(dst, t.p)
		t.left--
		t.due += s.interval
	}
}

// Flush ends the stream at position now: a key still held ends where it is
// known to last, and every pending repeat is sent at once. The sender is
// then [Sender.Reset].
func (s *Sender) Flush(dst []EventPacket, now int64) []EventPacket {
	for {
		dst = s.apply(dst, now, true)
		if s.active {
			if !s.ended {
				s.ended, s.end = true, max(min(now, s.present), s.seg+s.dur)
			}
			dst = s.finish(dst, max(now, s.end))
		}
		if s.qlen == 0 {
			break
		}
	}
	for i := range s.trains {
		for ; s.trains[i].left > 0; s.trains[i].left-- {
			dst = append(dst, s.trains[i].p)
		}
	}
	s.Reset()
	return dst
}
