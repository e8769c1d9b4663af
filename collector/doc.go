// Package collector gathers DTMF key presses into digit strings the way
// FreeSWITCH's play_and_get_digits does, and produces exactly one result
// per collection: the `digits.collected` event of the event contract
// (digits, terminator, status).
//
// A [Collector] serves one channel and runs one collection at a time. The
// host starts a collection with a command uid and a [Config] (minimum and
// maximum digits, terminator keys, first-digit, inter-digit and overall
// timeouts, a pattern, a number of tries, type-ahead), feeds the
// detector's key events with [Collector.Key] and the stream position with
// [Collector.AdvanceTo], and acts on the returned [Signal]s: [BargeIn]
// (stop the prompt), [Retry] (replay it), [Done] (read
// [Collector.Result]).
//
// # Time
//
// Time is the audio clock: positions and timeouts are samples of the
// stream the detector is fed (timeouts are converted from durations at the
// rate given to [New]), so decoding a recording gives the same result every
// time, however fast it runs. There is no wall clock, timer or goroutine
// inside. A host whose audio stops (RTP loss, DTX) advances the clock
// itself with AdvanceTo. A deadline at position p has run out once the
// clock reaches p; [Collector.Key] advances the clock to the event's At
// (the position at which the detector confirmed it) before looking at the
// key, so a timeout due at or before that position wins.
//
// # Counting keys
//
// A key counts when the detector confirms it is down (KeyDown, about 30 ms
// after the tone starts), not when it is released: that is the lowest
// latency, and a terminator ends the collection at once. The first key of
// each try returns BargeIn so that a prompt can be stopped. Consequently
// the `digits.collected` event of a collection ended by a key precedes the
// `dtmf` event of that key, which needs the release to measure its length.
//
// # Rules
//
// Each try collects digits until one of these happens; the rule that
// applies first wins.
//
//   - A terminator key (Config.Terminators) is pressed. With at least
//     MinDigits digits the try succeeds and the key is reported as
//     terminator, not in digits. With fewer it is invalid
//     ([ReasonTooFewDigits]). A key listed as terminator is always a
//     terminator, never a digit, even if the pattern would accept it.
//   - MaxDigits digits are reached: the try succeeds at that key-down, even
//     though the key is still held; its release belongs to no collection
//     and it is not type-ahead for the next one. Terminator is "".
//   - The inter-digit timeout runs out: with at least MinDigits digits the
//     try succeeds (terminator ""), with fewer it times out. The timer runs
//     from the release of the last key; while a counted key is held it
//     does not run, so a key held longer than the timeout ends nothing.
//   - The first-digit timeout runs out before any key: the try times out.
//     The timer runs from the start of the try, or from
//     [Collector.PromptDone]; with Config.WaitForPrompt it waits for
//     PromptDone.
//   - The overall timeout (if set) runs out: counted from Start across all
//     tries, it ends the collection with no further try, successfully if
//     the current try has MinDigits digits (and matches), else timed out.
//
// A try that would succeed but whose digits do not match Config.Pattern
// (as a whole) is invalid ([ReasonPatternMismatch]). A try that timed out
// or was invalid starts the next try at once, if Tries allow, and returns
// [Retry]: the digits start again from empty, the first-digit timer from
// now. The host should then play its "invalid entry" message if it has
// one and replay the prompt; keys pressed meanwhile count for the new try
// (and return BargeIn). When no try is left, the collection ends with the
// last try's status: timeout if it ran out of time, failure if its input
// was invalid. The result's digits are those of the last try, whatever
// the status.
//
// # Status
//
//   - success: MaxDigits reached, a terminator pressed after MinDigits, or
//     MinDigits reached when the inter-digit or overall timeout ran out;
//     and the pattern, if any, matched.
//   - timeout: time ran out before MinDigits on the last try.
//   - failure: the input of the last try was invalid (too few digits
//     before a terminator, pattern not matched), or [Collector.Hangup]
//     was called during the collection (the channel hung up, the stream
//     ended).
//   - unknown: exactly when the host ended the collection with
//     [Collector.Abort] — to cancel it, or to start another in its place.
//
// # Edges
//
// Keys pressed while no collection runs are type-ahead. By default they
// are ignored; with Config.TypeAhead, the keys confirmed at most that long
// before Start are replayed at Start, in order, as if pressed then. A key
// held when a collection starts without type-ahead does not count, and its
// release changes nothing. Start while a collection runs returns
// [ErrBusy]: the host decides, and ends the old one with Abort (status
// unknown) before starting the new one.
//
// # Cost
//
// The state is 440 bytes on 64-bit platforms. Start allocates the
// collection's digit buffer (MaxDigits bytes, which the result's Digits
// string then keeps) and compiles a new Pattern; Key, AdvanceTo,
// PromptDone, Abort and Hangup allocate nothing. A Collector is not safe for concurrent use: use one
// per channel, on the goroutine that feeds it.
package collector
