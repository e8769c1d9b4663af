package emit_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/testutil"
)

const keys = "0123456789ABCD*#"

func dtmfEvent(session string, digit byte, ms int) emit.Event {
	return emit.Event{Kind: emit.KindDTMF, SessionUUID: session, Digit: digit, DurationMS: ms}
}

func collected(session, uid, digits string, term byte, st emit.Status) emit.Event {
	return emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: session, CommandUID: uid, Digits: digits, Terminator: term, Status: st}
}

func TestAppendJSONMatchesSpecExamples(t *testing.T) {
	const s = "acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479"
	events := []emit.Event{
		dtmfEvent(s, '5', 120),
		collected(s, "collect-pin-001", "1234", '#', emit.StatusSuccess),
		collected(s, "collect-pin-001", "", 0, emit.StatusTimeout),
	}
	for i, want := range specExamples(t) {
		assert.Equal(t, string(want), string(events[i].AppendJSON(nil)), "example %d of events.md, byte for byte", i)
	}
}

func TestAppendJSONFieldOrder(t *testing.T) {
	tests := []struct {
		name string
		ev   emit.Event
		want []string
	}{
		{"dtmf", dtmfEvent("s", '#', 0), []string{"event", "session_uuid", "digit", "duration_ms"}},
		{"digits.collected", collected("s", "c", "", 0, emit.StatusUnknown),
			[]string{"event", "session_uuid", "command_uid", "digits", "terminator", "status"}},
		{"dtmf with extras", func() emit.Event {
			e := dtmfEvent("s", '1', 5)
			e.Extras, e.OffsetMS, e.Channel = emit.ExtraOffset|emit.ExtraChannel, 1500, 1
			return e
		}(), []string{"event", "session_uuid", "digit", "duration_ms", "offset_ms", "channel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(string(tt.ev.AppendJSON(nil))))
			tok, err := dec.Token()
			require.NoError(t, err)
			require.Equal(t, json.Delim('{'), tok)
			var names []string
			for dec.More() {
				name, err := dec.Token()
				require.NoError(t, err)
				names = append(names, name.(string))
				var v any
				require.NoError(t, dec.Decode(&v))
			}
			assert.Equal(t, tt.want, names)
		})
	}
}

func TestAppendJSONEveryValueIsValid(t *testing.T) {
	// Every digit, every status, every terminator, sessions with awkward
	// characters: the schema accepts all, and decoding gives the event back.
	sch := testutil.EventSchema(t)
	sessions := []string{
		"acW68-f47ac10b", `quote"back\slash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
		"ünïcödé ☎ 📞", "line\u2028sep\u2029", "</script>&<", strings.Repeat("x", 300),
	}
	var events []emit.Event
	for _, s := range sessions {
		for i := range len(keys) {
			events = append(events, dtmfEvent(s, keys[i], i*37))
			events = append(events, collected(s, "cmd "+s, keys[:i], keys[i], emit.Status(1+i%4)))
		}
		events = append(events, collected(s, "c", keys, 0, emit.StatusFailure))
	}
	for _, e := range events {
		b := e.AppendJSON(nil)
		require.NoError(t, e.Validate())
		require.NoError(t, testutil.ValidateEvent(sch, b), "%s", b)
		var back emit.Event
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
		assert.Equal(t, e, back)
	}
}

func TestAppendJSONEscapingRandom(t *testing.T) {
	// Random strings, including invalid UTF-8: encoding/json must read back
	// exactly the string with each invalid byte replaced by U+FFFD.
	rng := rand.New(rand.NewPCG(1, 1))
	alphabet := []string{"a", "Z", "0", `"`, `\`, "/", "\n", "\x00", "\x1f", "\x7f", "é", "☎", "📞", "\u2028", "\u2029", "\xff", "\xc3", "\xed\xa0\x80"}
	for range 2000 {
		var sb strings.Builder
		for range 1 + rng.IntN(20) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		e := dtmfEvent(s, '1', 1)
		b := e.AppendJSON(nil)
		require.True(t, json.Valid(b), "%q gives invalid JSON %s", s, b)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		assert.Equal(t, string([]rune(s)), m["session_uuid"], "session %q: each invalid byte becomes U+FFFD", s)
		assert.Equal(t, utf8.ValidString(s), e.Validate() == nil, "Validate accepts valid UTF-8 only: %q", s)
	}
}

func TestAppendJSONInvalidEventIsStillJSON(t *testing.T) {
	for _, e := range []emit.Event{
		{},
		{Kind: emit.KindDTMF, Digit: 0x01},
		{Kind: emit.KindDTMF, Digit: '"'},
		{Kind: emit.KindDigitsCollected, Terminator: 0xff, Status: 9},
	} {
		b := e.AppendJSON(nil)
		assert.True(t, json.Valid(b), "%s", b)
		assert.ErrorIs(t, e.Validate(), emit.ErrInvalidEvent)
	}
}

func TestValidate(t *testing.T) {
	good := collected("s", "c", "12", '#', emit.StatusSuccess)
	tests := []struct {
		name string
		ev   emit.Event
		want error
	}{
		{"good dtmf", dtmfEvent("s", 'D', 40), nil},
		{"good collected", good, nil},
		{"zero", emit.Event{}, emit.ErrFieldValue},
		{"kind 0", emit.Event{SessionUUID: "s"}, emit.ErrEventName},
		{"kind 3", emit.Event{Kind: 3, SessionUUID: "s"}, emit.ErrEventName},
		{"empty session", dtmfEvent("", '1', 1), emit.ErrFieldValue},
		{"session not UTF-8", dtmfEvent("\xff", '1', 1), emit.ErrFieldValue},
		{"lower-case digit", dtmfEvent("s", 'a', 1), emit.ErrDigit},
		{"digit 0 byte", dtmfEvent("s", 0, 1), emit.ErrDigit},
		{"negative duration", dtmfEvent("s", '1', -1), emit.ErrFieldValue},
		{"empty command uid", collected("s", "", "1", 0, emit.StatusSuccess), emit.ErrFieldValue},
		{"bad digits", collected("s", "c", "12e", 0, emit.StatusSuccess), emit.ErrDigit},
		{"bad terminator", collected("s", "c", "1", 'x', emit.StatusSuccess), emit.ErrDigit},
		{"status 0", collected("s", "c", "1", 0, 0), emit.ErrStatus},
		{"status 5", collected("s", "c", "1", 0, 5), emit.ErrStatus},
		{"unknown extra bit", func() emit.Event { e := good; e.Extras = 4; return e }(), emit.ErrFieldValue},
		{"negative offset", func() emit.Event { e := good; e.Extras, e.OffsetMS = emit.ExtraOffset, -1; return e }(), emit.ErrFieldValue},
		{"negative channel", func() emit.Event { e := good; e.Extras, e.Channel = emit.ExtraChannel, -1; return e }(), emit.ErrFieldValue},
		{"negative offset not flagged", func() emit.Event { e := good; e.OffsetMS = -1; return e }(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.ev.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, emit.ErrInvalidEvent)
		})
	}
}

func TestMarshalJSON(t *testing.T) {
	type wrapper struct {
		Events []emit.Event `json:"events"`
	}
	b, err := json.Marshal(wrapper{Events: []emit.Event{dtmfEvent("s", '1', 2), collected("s", "c", "", 0, emit.StatusTimeout)}})
	require.NoError(t, err)
	assert.Equal(t, `{"events":[{"event":"dtmf","session_uuid":"s","digit":"1","duration_ms":2},`+
		`{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"","terminator":"","status":"timeout"}]}`, string(b))
	_, err = json.Marshal(emit.Event{})
	assert.ErrorIs(t, err, emit.ErrInvalidEvent)
}

func TestStrings(t *testing.T) {
	assert.Equal(t, "dtmf", emit.KindDTMF.String())
	assert.Equal(t, "digits.collected", emit.KindDigitsCollected.String())
	assert.Equal(t, "invalid", emit.Kind(0).String())
	for _, s := range []string{"success", "timeout", "failure", "unknown"} {
		st, err := emit.ParseStatus(s)
		require.NoError(t, err)
		assert.Equal(t, s, st.String())
	}
	assert.Equal(t, "invalid", emit.Status(0).String())
	assert.Equal(t, "invalid", emit.Status(5).String())
	_, err := emit.ParseStatus("Success")
	assert.ErrorIs(t, err, emit.ErrStatus)
}

func TestAppendJSONZeroAllocs(t *testing.T) {
	events := []emit.Event{
		dtmfEvent("acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479", '5', 120),
		collected("sess \"quoted\" ☎", "collect-pin-001", "1234", '#', emit.StatusSuccess),
	}
	events[0].Extras, events[0].OffsetMS = emit.ExtraOffset|emit.ExtraChannel, 123456
	buf := make([]byte, 0, 512)
	for _, e := range events {
		allocs := testing.AllocsPerRun(1000, func() {
			buf = e.AppendJSON(buf[:0])
			if err := e.Validate(); err != nil {
				panic(err)
			}
		})
		assert.Zero(t, allocs, "%s", buf)
	}
}
