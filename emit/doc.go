// Package emit encodes, decodes and delivers the library's two events,
// `dtmf` (one key press, with its measured length) and `digits.collected`
// (the result of one digit collection), exactly as the event contract
// (spec/events.md and events.schema.json) defines them.
//
// # Encoding
//
// [Event] holds either event; [Event.AppendJSON] appends its JSON to a
// caller's buffer, the contract's fields in the contract's order and
// nothing else unless asked for ([ExtraOffset], [ExtraChannel]):
//
//	{"event":"dtmf","session_uuid":"…","digit":"5","duration_ms":120}
//	{"event":"digits.collected","session_uuid":"…","command_uid":"…","digits":"1234","terminator":"#","status":"success"}
//
// Strings are escaped as JSON requires, so session ids may hold quotes,
// control characters or any Unicode. Appending allocates nothing once the
// buffer is large enough; [Event.Validate] checks an event against the
// contract, also without allocating.
//
// # Decoding
//
// [Decode] (and [Event.UnmarshalJSON]) reads one event and checks it
// against the contract, with errors that say what is wrong: a wrong event
// name ([ErrEventName]), a missing field ([ErrMissingField]), a wrong JSON
// type ([ErrFieldType]), a bad digit ([ErrDigit]), a bad status
// ([ErrStatus]), any other bad value ([ErrFieldValue]). All wrap
// [ErrInvalidEvent]. Tests check that Decode accepts what the schema
// accepts, using a JSON Schema validator.
//
// # Sinks
//
// A [Sink] takes events one by one: Emit(Event) error. The package has
//
//   - [Writer]: NDJSON, one line per event, to any io.Writer;
//   - [Func]: a callback;
//   - [Chan]: a Go channel, never blocking (a full channel drops);
//   - [Fanout]: several sinks;
//   - [Async]: a bounded queue and a goroutine in front of a slow sink, so
//     that the audio goroutine never waits: when the queue is full the
//     event is dropped and counted; Close drains with a deadline.
//
// The HTTP webhook sink is package emit/webhook, so that importing this
// package links no network code.
//
// Events hold only strings and numbers, so queueing one by value is safe.
// Every sink here is safe for concurrent use; Emit of Writer, Chan and
// Async allocates nothing.
package emit
