// Package webhook delivers the contract's events to an HTTP endpoint: a
// [Sink] that POSTs each [emit.Event] as one JSON object, keeps each
// session's events in order, retries connection errors, timeouts and 408,
// 429 and 5xx answers with capped exponential backoff, gives up after a
// time limit and reports every event it lost.
//
// It is a package of its own so that importing the event contract (package
// emit) or the collector does not link net/http and crypto/tls: only a
// program that sends events over HTTP pays for them.
//
// A Sink is safe for concurrent use, so one serves every channel of a
// process; Emit never blocks on the network and allocates nothing. Memory
// is bounded by the queue ([Config.Queue]); it queues by itself, so it needs
// no [emit.Async] in front. Close drains the queues with a deadline.
package webhook
