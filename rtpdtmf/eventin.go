package rtpdtmf

import (
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// eventIn joins the telephone-event packets of one stream into key presses
// (RFC 4733 §2.5.2). An event is identified by its timestamp: every packet
// of an event (updates, the three end packets) repeats the timestamp of its
// start, so a new timestamp is a new event even for the same key and
// whether or not the sender set the Marker bit. Reordered and repeated
// packets only ever raise the duration; packets of an event that has ended
// or been superseded are ignored.
type eventIn struct {
	active bool // a key is down (its KeyDown reported, its KeyUp not)
	have   bool // ts and code describe the last event seen
	code   uint8
	ts     uint32 // timestamp of the current segment
	start  int64  // stream position of the event's start (first segment)
	base   int64  // length of the event's completed segments [samples]
	dur    uint16 // longest duration reported for the current segment
	volume uint8
}

// extent returns the stream position the event has reached.
func (e *eventIn) extent() int64 { return e.start + e.base + int64(e.dur) }

// event handles one 4-byte event starting at timestamp ts, at stream
// position pos (ts mapped onto the stream). now is the stream position.
// It appends raw key events (Source RFC4733, no SSRC) to dst.
func (e *eventIn) event(dst []Event, ev rfc4733.Event, ts uint32, pos int64, marker bool, now int64) []Event {
	digit, isKey := rfc4733.Digit(ev.Code)
	if !isKey {
		return dst // flash and the RFC 4734 tones are not keys
	}
	if e.have {
		d := int32(ts - e.ts)
		switch {
		case d == 0 && ev.Code == e.code:
			// §2.5.2.2: an update or a repeated end packet of the event.
			if e.active {
				e.dur = max(e.dur, ev.Duration)
				if ev.End {
					dst = e.end(dst, now)
				}
			}
			return dst
		case d < 0:
			return dst // a late packet of an earlier event
		case e.active && ev.Code == e.code && !marker && d == rfc4733.MaxDuration:
			// §2.5.2.3: the next segment of a long event starts where the
			// previous one ended, 0xFFFF units later, without Marker.
			e.base += rfc4733.MaxDuration
			e.ts, e.dur = ts, ev.Duration
			if ev.End {
				dst = e.end(dst, now)
			}
			return dst
		case e.active && ev.Code == e.code && !marker && int64(d) < int64(e.dur):
			// A timestamp inside the event's reported span cannot start a
			// new press of the same key (it would overlap this one): a
			// sender that advances the timestamp on updates.
			// Keep the event's start; its extent never shrinks.
			e.dur = max(ev.Duration, e.dur-uint16(d))
			e.ts = ts
			e.base += int64(d)
			if ev.End {
				dst = e.end(dst, now)
			}
			return dst
		}
		if e.active {
			// A new event before the end of this one: its end packets
			// were lost (§2.5.2.2). End it at its last reported duration.
			dst = e.end(dst, now)
		}
	}
	*e = eventIn{active: true, have: true, code: ev.Code, ts: ts, start: pos, dur: ev.Duration, volume: ev.Volume}
	dst = append(dst, Event{
		Type: detector.KeyDown, Digit: digit, Source: RFC4733,
		Start: pos, At: max(now, e.extent()), Timestamp: ts,
		Level: float32(rfc4733.Level(ev.Volume)),
	})
	if ev.End {
		dst = e.end(dst, now)
	}
	return dst
}

// end reports the active event's KeyUp at its longest reported duration.
func (e *eventIn) end(dst []Event, now int64) []Event {
	e.active = false
	digit, _ := rfc4733.Digit(e.code)
	end := e.extent()
	return append(dst, Event{
		Type: detector.KeyUp, Digit: digit, Source: RFC4733,
		Start: e.start, End: end, At: max(now, end),
		Timestamp: e.ts - uint32(e.base),
	})
}

// expire ends the active event if it has gone without an update for
// timeout samples at stream position now.
func (e *eventIn) expire(dst []Event, now, timeout int64) []Event {
	if e.active && now-e.extent() > timeout {
		dst = e.end(dst, now)
	}
	return dst
}
