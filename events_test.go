package dtmf_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
)

// Every collector status maps to the contract status of the same name, and
// the event is valid; a status outside the four makes an invalid event.
func TestResultEventStatus(t *testing.T) {
	for s := collector.StatusSuccess; s <= collector.StatusUnknown; s++ {
		r := collector.Result{CommandUID: "c", Digits: "12", Terminator: '#', Status: s, Reason: collector.ReasonTerminator, Tries: 1, End: 800}
		e := dtmf.ResultEvent("call", r)
		assert.Equal(t, emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: "call", CommandUID: "c", Digits: "12", Terminator: '#', Status: e.Status}, e)
		assert.Equal(t, s.String(), e.Status.String(), "status %d", s)
		assert.NoError(t, e.Validate())
		back, err := emit.ParseStatus(s.String())
		require.NoError(t, err)
		assert.Equal(t, back, e.Status)
	}
	for _, s := range []collector.Status{0, collector.StatusUnknown + 1, 255} {
		e := dtmf.ResultEvent("call", collector.Result{CommandUID: "c", Status: s})
		assert.ErrorIs(t, e.Validate(), emit.ErrStatus, "status %d", s)
	}
}

func TestKeyEvent(t *testing.T) {
	ev := detector.Event{Type: detector.KeyUp, Digit: '#', Start: 800, End: 1760, At: 2000, DurationMS: 120}
	e := dtmf.KeyEvent("call", ev)
	assert.Equal(t, emit.Event{Kind: emit.KindDTMF, SessionUUID: "call", Digit: '#', DurationMS: 120}, e)
	assert.Equal(t, `{"event":"dtmf","session_uuid":"call","digit":"#","duration_ms":120}`, string(e.AppendJSON(nil)))
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		_ = dtmf.KeyEvent("call", ev)
		_ = dtmf.ResultEvent("call", collector.Result{CommandUID: "c", Status: collector.StatusSuccess})
	}))
}
