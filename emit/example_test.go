package emit_test

import (
	"fmt"
	"os"

	"github.com/dtmfkit/dtmf/emit"
)

// Encoding an event appends the contract's JSON to a reused buffer.
func ExampleEvent_AppendJSON() {
	buf := make([]byte, 0, 256)
	e := emit.Event{Kind: emit.KindDTMF, SessionUUID: "acW68-f47ac10b", Digit: '5', DurationMS: 120}
	buf = e.AppendJSON(buf[:0])
	fmt.Println(string(buf))

	e = emit.Event{
		Kind: emit.KindDigitsCollected, SessionUUID: `call "7"`, CommandUID: "collect-pin-001",
		Digits: "1234", Terminator: '#', Status: emit.StatusSuccess,
	}
	buf = e.AppendJSON(buf[:0])
	fmt.Println(string(buf))
	// Output:
	// {"event":"dtmf","session_uuid":"acW68-f47ac10b","digit":"5","duration_ms":120}
	// {"event":"digits.collected","session_uuid":"call \"7\"","command_uid":"collect-pin-001","digits":"1234","terminator":"#","status":"success"}
}

func ExampleDecode() {
	e, err := emit.Decode([]byte(`{"event":"dtmf","session_uuid":"s1","digit":"#","duration_ms":85}`))
	fmt.Println(e.Kind, e.SessionUUID, string(e.Digit), e.DurationMS, err)

	_, err = emit.Decode([]byte(`{"event":"dtmf","session_uuid":"s1","digit":"e","duration_ms":85}`))
	fmt.Println(err)
	_, err = emit.Decode([]byte(`{"event":"digits.collected","session_uuid":"s1","command_uid":"c","digits":"1","terminator":""}`))
	fmt.Println(err)
	// Output:
	// dtmf s1 # 85 <nil>
	// emit: invalid event: bad digit: digit "e", want one of 0-9 A-D * #
	// emit: invalid event: missing field: "status"
}

// NDJSON on standard output, one line per event.
func ExampleWriter() {
	w := emit.NewWriter(os.Stdout)
	_ = w.Emit(emit.Event{Kind: emit.KindDTMF, SessionUUID: "s1", Digit: '1', DurationMS: 90})
	_ = w.Emit(emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: "s1", CommandUID: "c1", Status: emit.StatusTimeout})
	// Output:
	// {"event":"dtmf","session_uuid":"s1","digit":"1","duration_ms":90}
	// {"event":"digits.collected","session_uuid":"s1","command_uid":"c1","digits":"","terminator":"","status":"timeout"}
}
