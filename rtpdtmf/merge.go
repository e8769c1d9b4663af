package rtpdtmf

import "github.com/dtmfkit/dtmf/detector"

// maxOpenKeys bounds the keys the merger follows at once: the current key
// of each mechanism and the last ended one of each, waiting for the other
// mechanism's report.
const maxOpenKeys = 4

// mergedKey is one key press as reported by one or both mechanisms.
type mergedKey struct {
	used      bool
	digit     byte
	primary   Source // the mechanism that reported it first
	duplicate bool   // the other mechanism reported it too
	open      [2]bool
	ended     bool  // the primary's KeyUp has been seen
	sent      bool  // the KeyUp has been handed on
	start     int64 // the primary's Start
	end       int64 // the primary's End, once ended
	held      Event // the primary's KeyUp, held back until holdUntil
	holdUntil int64
}

// merger joins the key presses of the two mechanisms: a key that the other
// mechanism reports within window of its start is the same key, reported
// once by the first, with Duplicate set on its KeyUp. A primary KeyUp is
// held back until window past its end while the other mechanism is active
// on the stream, so that a late report from it can still be joined.
type merger struct {
	window int64
	keys   [maxOpenKeys]mergedKey
}

func (m *merger) reset() { m.keys = [maxOpenKeys]mergedKey{} }

// add takes one raw event from source ev.Source and appends what is to be
// reported. otherActive says whether the other mechanism is in use on the
// stream; now is the stream position.
func (m *merger) add(dst []Event, ev Event, otherActive bool, now int64) []Event {
	s := ev.Source
	switch ev.Type {
	case detector.KeyDown:
		for i := range m.keys {
			k := &m.keys[i]
			if k.used && k.digit == ev.Digit && k.primary != s && !k.open[s-1] && m.overlaps(k, ev.Start) {
				k.duplicate = true
				k.open[s-1] = true
				if !k.sent && k.ended {
					dst = m.send(dst, k, now)
				}
				return dst
			}
		}
		k, dst := m.free(dst, now)
		*k = mergedKey{used: true, digit: ev.Digit, primary: s, start: ev.Start}
		k.open[s-1] = true
		return append(dst, ev)
	case detector.KeyUp:
		k := m.find(ev)
		if k == nil {
			return append(dst, ev) // its KeyDown was evicted: report it as it is
		}
		k.open[s-1] = false
		if k.primary != s {
			m.retire(k, now)
			return dst // the duplicate's release
		}
		k.ended, k.end = true, ev.End
		k.held = ev
		if k.duplicate || !otherActive {
			return m.send(dst, k, now)
		}
		k.holdUntil = ev.End + m.window
		return m.tick(dst, now)
	}
	return dst
}

// overlaps reports whether a key of the other mechanism starting at start
// is k.
func (m *merger) overlaps(k *mergedKey, start int64) bool {
	if start < k.start-m.window {
		return false
	}
	return !k.ended || start <= k.end+m.window
}

// find returns the open key ev releases, or nil.
func (m *merger) find(ev Event) *mergedKey {
	for i := range m.keys {
		k := &m.keys[i]
		if k.used && k.digit == ev.Digit && k.open[ev.Source-1] {
			return k
		}
	}
	return nil
}

// send hands on k's held KeyUp.
func (m *merger) send(dst []Event, k *mergedKey, now int64) []Event {
	ev := k.held
	ev.Duplicate = k.duplicate
	ev.At = max(ev.At, now)
	k.sent = true
	m.retire(k, now)
	return append(dst, ev)
}

// retire frees k once nothing about it can change: its KeyUp is sent, no
// mechanism has it open, and the window for a late report has passed.
func (m *merger) retire(k *mergedKey, now int64) {
	if k.sent && !k.open[0] && !k.open[1] && now > k.end+m.window {
		k.used = false
	}
}

// tick releases the KeyUps whose hold has passed at now, and frees the
// keys that are done.
func (m *merger) tick(dst []Event, now int64) []Event {
	for i := range m.keys {
		k := &m.keys[i]
		if !k.used {
			continue
		}
		if k.ended && !k.sent && now >= k.holdUntil {
			dst = m.send(dst, k, now)
		}
		m.retire(k, now)
	}
	return dst
}

// free returns an unused key, evicting the oldest if all are in use (its
// KeyUp is sent first if it was held).
func (m *merger) free(dst []Event, now int64) (*mergedKey, []Event) {
	oldest := 0
	for i := range m.keys {
		if !m.keys[i].used {
			return &m.keys[i], dst
		}
		if m.keys[i].start < m.keys[oldest].start {
			oldest = i
		}
	}
	k := &m.keys[oldest]
	if k.ended && !k.sent {
		dst = m.send(dst, k, now)
	}
	k.used = false
	return k, dst
}

// flush sends every held KeyUp and forgets all keys. Keys still open are
// the caller's to release first.
func (m *merger) flush(dst []Event, now int64) []Event {
	for i := range m.keys {
		k := &m.keys[i]
		if k.used && k.ended && !k.sent {
			dst = m.send(dst, k, now)
		}
	}
	m.reset()
	return dst
}
