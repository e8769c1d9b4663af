package emit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/testutil"
)

func TestDecodeSpecExamples(t *testing.T) {
	for _, ex := range specExamples(t) {
		e, err := emit.Decode(ex)
		require.NoError(t, err, "%s", ex)
		assert.Equal(t, string(ex), string(e.AppendJSON(nil)), "decode then encode gives the example back")
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not JSON", `{"event":`, emit.ErrSyntax},
		{"array", `["dtmf"]`, emit.ErrSyntax},
		{"string", `"dtmf"`, emit.ErrSyntax},
		{"null", `null`, emit.ErrSyntax},
		{"trailing garbage", `{"event":"dtmf"} x`, emit.ErrSyntax},
		{"no event", `{"session_uuid":"s","digit":"5","duration_ms":1}`, emit.ErrMissingField},
		{"wrong event name", `{"event":"keypress","session_uuid":"s","digit":"5","duration_ms":1}`, emit.ErrEventName},
		{"event name case", `{"event":"DTMF","session_uuid":"s","digit":"5","duration_ms":1}`, emit.ErrEventName},
		{"event not a string", `{"event":1,"session_uuid":"s","digit":"5","duration_ms":1}`, emit.ErrFieldType},
		{"missing session", `{"event":"dtmf","digit":"5","duration_ms":1}`, emit.ErrMissingField},
		{"empty session", `{"event":"dtmf","session_uuid":"","digit":"5","duration_ms":1}`, emit.ErrFieldValue},
		{"session null", `{"event":"dtmf","session_uuid":null,"digit":"5","duration_ms":1}`, emit.ErrFieldType},
		{"missing digit", `{"event":"dtmf","session_uuid":"s","duration_ms":1}`, emit.ErrMissingField},
		{"missing duration", `{"event":"dtmf","session_uuid":"s","digit":"5"}`, emit.ErrMissingField},
		{"digit lower case", `{"event":"dtmf","session_uuid":"s","digit":"a","duration_ms":1}`, emit.ErrDigit},
		{"digit two keys", `{"event":"dtmf","session_uuid":"s","digit":"55","duration_ms":1}`, emit.ErrDigit},
		{"digit empty", `{"event":"dtmf","session_uuid":"s","digit":"","duration_ms":1}`, emit.ErrDigit},
		{"digit a number", `{"event":"dtmf","session_uuid":"s","digit":5,"duration_ms":1}`, emit.ErrFieldType},
		{"duration a string", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":"120"}`, emit.ErrFieldType},
		{"duration a fraction", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":12.5}`, emit.ErrFieldType},
		{"duration negative", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":-1}`, emit.ErrFieldValue},
		{"duration huge", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":1e300}`, emit.ErrFieldValue},
		{"duration bool", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":true}`, emit.ErrFieldType},
		{"missing command", `{"event":"digits.collected","session_uuid":"s","digits":"1","terminator":"","status":"success"}`, emit.ErrMissingField},
		{"empty command", `{"event":"digits.collected","session_uuid":"s","command_uid":"","digits":"1","terminator":"","status":"success"}`, emit.ErrFieldValue},
		{"missing digits", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","terminator":"","status":"success"}`, emit.ErrMissingField},
		{"digits bad", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"12x","terminator":"","status":"success"}`, emit.ErrDigit},
		{"digits array", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":["1"],"terminator":"","status":"success"}`, emit.ErrFieldType},
		{"missing terminator", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","status":"success"}`, emit.ErrMissingField},
		{"terminator two", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","terminator":"##","status":"success"}`, emit.ErrDigit},
		{"terminator null", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","terminator":null,"status":"success"}`, emit.ErrFieldType},
		{"missing status", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","terminator":""}`, emit.ErrMissingField},
		{"bad status", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","terminator":"","status":"ok"}`, emit.ErrStatus},
		{"status number", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1","terminator":"","status":1}`, emit.ErrFieldType},
		{"offset a string", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":1,"offset_ms":"3"}`, emit.ErrFieldType},
		{"channel negative", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":1,"channel":-1}`, emit.ErrFieldValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := emit.Decode([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want, "%v", err)
			assert.ErrorIs(t, err, emit.ErrInvalidEvent)
			assert.Equal(t, emit.Event{}, e)
			var into emit.Event
			err = json.Unmarshal([]byte(tt.in), &into)
			if json.Valid([]byte(tt.in)) { // else encoding/json fails before calling UnmarshalJSON
				assert.ErrorIs(t, err, emit.ErrInvalidEvent)
			}
			assert.Error(t, err)
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want emit.Event
	}{
		{"integer as 120.0", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":120.0}`, dtmfEvent("s", '5', 120)},
		{"integer as 1.2e2", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":1.2e2}`, dtmfEvent("s", '5', 120)},
		{"fields in any order, spaces", ` { "duration_ms" : 7 , "digit":"*", "session_uuid":"s", "event":"dtmf" } `, dtmfEvent("s", '*', 7)},
		{"unknown fields ignored", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":1,"x":{"y":[1]}}`, dtmfEvent("s", '5', 1)},
		{"escapes", `{"event":"dtmf","session_uuid":"a\"\\\u00e9\ud83d\udcde","digit":"5","duration_ms":1}`, dtmfEvent("a\"\\é📞", '5', 1)},
		{"repeated name: last wins", `{"event":"dtmf","session_uuid":"s","digit":"1","digit":"2","duration_ms":1}`, dtmfEvent("s", '2', 1)},
		{"extras", `{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":1,"offset_ms":1500,"channel":1}`,
			emit.Event{Kind: emit.KindDTMF, SessionUUID: "s", Digit: '5', DurationMS: 1, Extras: emit.ExtraOffset | emit.ExtraChannel, OffsetMS: 1500, Channel: 1}},
		{"all keys", `{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"0123456789ABCD*#","terminator":"","status":"failure"}`,
			collected("s", "c", "0123456789ABCD*#", 0, emit.StatusFailure)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := emit.Decode([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, e)
		})
	}
}

// TestDecodeAgreesWithSchema checks that Decode accepts exactly what the
// schema accepts, on documents that differ from valid ones in one place.
func TestDecodeAgreesWithSchema(t *testing.T) {
	sch := testutil.EventSchema(t)
	base := map[string]map[string]any{
		"dtmf":             {"event": "dtmf", "session_uuid": "s", "digit": "5", "duration_ms": 120},
		"digits.collected": {"event": "digits.collected", "session_uuid": "s", "command_uid": "c", "digits": "12", "terminator": "#", "status": "success"},
	}
	values := []any{nil, true, 0, -1, 1.5, 120.0, "", "5", "a", "55", "#", "12#", "success", "timeout", "dtmf", "digits.collected", "s", []any{}, map[string]any{}}
	n := 0
	for name, doc := range base {
		for field := range doc {
			for _, v := range append(values, deleted{}) {
				d := make(map[string]any, len(doc))
				for k, x := range doc {
					d[k] = x
				}
				if _, del := v.(deleted); del {
					delete(d, field)
				} else {
					d[field] = v
				}
				b, err := json.Marshal(d)
				require.NoError(t, err)
				_, derr := emit.Decode(b)
				serr := testutil.ValidateEvent(sch, b)
				assert.Equal(t, serr == nil, derr == nil, "%s: schema says %v, Decode says %v", b, serr, derr)
				n++
			}
		}
		_ = name
	}
	t.Logf("%d documents", n)
}

type deleted struct{}

// FuzzDecode checks, for any input: what Decode accepts the schema accepts,
// re-encodes to an equal event, and what the schema accepts Decode accepts
// too unless the difference is one Decode documents (the extras it types,
// integers beyond 64 bits).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"event":"dtmf","session_uuid":"s","digit":"5","duration_ms":120}`,
		`{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"1234","terminator":"#","status":"success"}`,
		`{"event":"dtmf","session_uuid":"\u2028","digit":"#","duration_ms":1.0e1,"offset_ms":3}`,
		`{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"","terminator":"","status":"unknown","channel":2}`,
		`[]`, `{}`, `{"event":null}`,
	} {
		f.Add([]byte(s))
	}
	sch := testutil.EventSchema(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		e, derr := emit.Decode(in)
		serr := testutil.ValidateEvent(sch, in)
		if derr == nil {
			require.NoError(t, serr, "Decode accepted what the schema rejects: %s", in)
			out := e.AppendJSON(nil)
			require.NoError(t, testutil.ValidateEvent(sch, out), "%s", out)
			back, err := emit.Decode(out)
			require.NoError(t, err)
			require.Equal(t, e, back)
			return
		}
		require.ErrorIs(t, derr, emit.ErrInvalidEvent)
		if serr == nil {
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(in, &m))
			_, hasOffset := m["offset_ms"]
			_, hasChannel := m["channel"]
			documented := hasOffset || hasChannel || errors.Is(derr, emit.ErrFieldValue) && bytes.ContainsAny(m["duration_ms"], "0123456789")
			require.True(t, documented, "schema accepts %s but Decode says %v", in, derr)
		}
	})
}
