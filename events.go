package dtmf

import (
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
)

// KeyEvent returns the `dtmf` event of session for a key press: ev must be
// a [detector.KeyUp] (whose Digit and DurationMS it carries). The event has
// no extras; set Extras, OffsetMS and Channel to add them. It allocates
// nothing.
func KeyEvent(session string, ev detector.Event) emit.Event {
	return emit.Event{
		Kind:        emit.KindDTMF,
		SessionUUID: session,
		Digit:       ev.Digit,
		DurationMS:  ev.DurationMS,
	}
}

// ResultEvent returns the `digits.collected` event of session for the
// outcome of a collection, r (see [collector.Collector.Result]): its command
// uid, digits, terminator and status. A Result whose Status is not one of
// collector's four gives an event that fails [emit.Event.Validate]. It
// allocates nothing.
func ResultEvent(session string, r collector.Result) emit.Event {
	return emit.Event{
		Kind:        emit.KindDigitsCollected,
		SessionUUID: session,
		CommandUID:  r.CommandUID,
		Digits:      r.Digits,
		Terminator:  r.Terminator,
		Status:      contractStatus(r.Status),
	}
}

// contractStatus maps the collector's status to the contract's; 0 (invalid)
// for a value outside the four.
func contractStatus(s collector.Status) emit.Status {
	switch s {
	case collector.StatusSuccess:
		return emit.StatusSuccess
	case collector.StatusTimeout:
		return emit.StatusTimeout
	case collector.StatusFailure:
		return emit.StatusFailure
	case collector.StatusUnknown:
		return emit.StatusUnknown
	}
	return 0
}
