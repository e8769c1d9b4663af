// Package dtmf detects in-band DTMF key presses in call audio and turns them
// into the two events of the event contract: `dtmf` for every key press,
// with its length measured to the millisecond, and `digits.collected` for
// each play_and_get_digits-style collection.
//
// This package wires the pieces for one audio channel: a [Channel] runs a
// [detector.Detector], a [collector.Collector] and an [emit.Sink], in the
// shape a media server calls per frame:
//
//	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: id, Sink: sink})
//	...
//	sig, err := ch.Process(frame)        // every 10-30 ms frame
//	if sig.Has(collector.BargeIn) { stopPrompt() }
//	...
//	ch.Collect("collect-pin-001", cfg)   // when the command arrives
//	...
//	ch.Hangup()                          // when the call ends
//
// The packages underneath can be used on their own:
//
//   - goertzel: the filter bank;
//   - detector: the streaming detector (key-down within about 30 ms of the
//     tone's start, key-up with the measured duration);
//   - collector: the digit collector, a pure state machine on the audio
//     clock;
//   - emit: the events' JSON, decoding with validation, and in-process
//     sinks (NDJSON, callback, Go channel, fan-out, asynchronous queue);
//   - emit/webhook: a sink POSTing the events to an HTTP endpoint.
//
// [KeyEvent] and [ResultEvent] turn a detector's key-up and a collector's
// result into the contract's events, for hosts that wire the pieces
// themselves.
//
// # Cost
//
// A Channel owns the detector's state, the collector's and its own small
// struct, and no event buffer: frames are fed to the detector block by
// block, each block's events (at most two) into an array on the stack. That
// is at most 1,024 bytes of heap at 8 kHz per channel (TestChannelHeap
// measures it over 10,000 channels; the detector's block buffer makes it
// more at higher rates). Processing a frame allocates nothing; starting a
// collection allocates its digit buffer (MaxDigits bytes). BenchmarkChannel
// measures the whole path per 20 ms frame against the bare detector.
//
// # Concurrency
//
// A Channel is not safe for concurrent use: each call's audio is processed
// on one goroutine, which calls all of that Channel's methods. Channels
// share nothing but what the host gives them: one sink may serve many (an
// [emit.Async] or a webhook sink, both safe for concurrent use), and the
// detector's filter tables, built once per sample rate, are shared
// read-only.
package dtmf
