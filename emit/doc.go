// Package emit encodes, decodes and delivers the library's two events,
// `dtmf` and `digits.collected`, exactly as the event contract defines them.
package emit
