package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/emit"
)

// lane is one audio channel of an input being decoded: its [dtmf.Channel],
// the collection to run on it, and the events it emitted that are not
// written yet. It is the channel's sink.
type lane struct {
	ch         *dtmf.Channel
	collect    *collector.Config // nil: no collection
	commandUID string
	at         time.Duration // --collect-at
	startAt    int64         // position [samples] where the collection starts; -1 once started, or without one

	events []emit.Event // emitted, in the channel's order, not yet written
	next   int          // events[:next] are written
}

// Emit queues e for [writeEvents]. It never fails.
func (l *lane) Emit(e emit.Event) error {
	l.events = append(l.events, e)
	return nil
}

// feed processes pcm, starting the collection at its sample if it falls in
// pcm (or just after it).
func (l *lane) feed(pcm []int16) error {
	if l.startAt >= 0 {
		if k := l.startAt - l.ch.Position(); k <= int64(len(pcm)) {
			if _, err := l.ch.Process(pcm[:k]); err != nil {
				return err
			}
			if err := l.start(); err != nil {
				return err
			}
			pcm = pcm[k:]
		}
	}
	_, err := l.ch.Process(pcm)
	return err
}

// start starts the collection at the current position.
func (l *lane) start() error {
	l.startAt = -1
	_, err := l.ch.Collect(l.commandUID, *l.collect)
	return err
}

// end ends the channel at the end of its input. If the input ended
// cleanly, a collection still waiting lets its timeouts run out over
// silence (see [lane.runOut]) and then the channel hangs up; a collection
// that should start at the very end starts there, and one that should
// start later is an error. If the input failed, the channel is closed: a
// collection still running ends with status unknown, as its outcome cannot
// be known.
func (l *lane) end(clean bool, rate int) error {
	if !clean {
		return l.ch.Close()
	}
	var err error
	if l.startAt >= 0 {
		if l.startAt == l.ch.Position() {
			err = l.start()
		} else {
			err = fmt.Errorf("--collect-at %v is past the end of the input (%.3f s): no collection",
				l.at, float64(l.ch.Position())/float64(rate))
		}
	}
	if l.ch.Collecting() {
		err = errors.Join(err, l.runOut(rate))
	}
	return errors.Join(err, l.ch.Hangup())
}

// runOut lets the running collection's timeouts run out: it feeds the
// channel silence, a tenth of a second at a time, until the collection
// ends or it has gone on longer than the collection could wait for keys
// that never come (which cannot happen, since decode rejects wait=true: the
// limit only guards against an endless loop). The collection then ends at
// the exact sample its timeout gives.
func (l *lane) runOut(rate int) error {
	c := l.collect
	limit := c.OverallTimeout
	if limit == 0 {
		limit = time.Duration(c.Tries) * max(c.FirstDigitTimeout, c.InterDigitTimeout)
	}
	left := samplesIn(limit+time.Second, rate)
	step := int64(rate / 10)
	for left > 0 && l.ch.Collecting() {
		if _, err := l.ch.Gap(min(step, left)); err != nil {
			return err
		}
		left -= step
	}
	return nil
}

// samplesIn converts d ≥ 0 to samples at rate, rounded to nearest, without
// overflow for any Duration.
func samplesIn(d time.Duration, rate int) int64 {
	r := int64(rate)
	s := int64(d / time.Second)
	frac := int64(d % time.Second)
	return s*r + (frac*r+int64(time.Second)/2)/int64(time.Second)
}

// pending reports whether any lane has events to write.
func pending(lanes []*lane) bool {
	for _, l := range lanes {
		if l.next < len(l.events) {
			return true
		}
	}
	return false
}

// writeEvents writes the lanes' queued events to dst and empties the
// queues. Each lane's events keep the order its channel emitted them (the
// order they became known, so a collection ended by a key precedes that
// key's `dtmf`); lanes are merged by offset: the press start for `dtmf`,
// the end for `digits.collected`, the lower channel first on a tie. For a
// single lane that is its order. Offsets are written only with timestamps.
// The only error returned is an event dst refuses as invalid; other
// failures are dst's business (a bufio.Writer keeps its error for Flush, a
// webhook counts its drops).
func writeEvents(lanes []*lane, dst emit.Sink, timestamps bool) error {
	for {
		var best *lane
		for _, l := range lanes {
			if l.next < len(l.events) && (best == nil || l.events[l.next].OffsetMS < best.events[best.next].OffsetMS) {
				best = l
			}
		}
		if best == nil {
			break
		}
		e := best.events[best.next]
		best.next++
		// A tone at the very start may be refined to a start a little
		// before the first sample.
		e.OffsetMS = max(e.OffsetMS, 0)
		if !timestamps {
			e.Extras &^= emit.ExtraOffset
			e.OffsetMS = 0
		}
		if err := dst.Emit(e); errors.Is(err, emit.ErrInvalidEvent) {
			return err
		}
	}
	for _, l := range lanes {
		l.events, l.next = l.events[:0], 0
	}
	return nil
}
