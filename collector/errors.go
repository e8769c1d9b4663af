package collector

import "errors"

var (
	// ErrConfig reports an invalid [Config] field, sample rate or command
	// uid; the wrapped message names the field, its value and the allowed
	// range.
	ErrConfig = errors.New("collector: invalid config")
	// ErrBusy is returned by [Collector.Start] while a collection runs: end
	// it first with [Collector.Abort] (or let it finish).
	ErrBusy = errors.New("collector: a collection is already running")
	// ErrClock reports a position before the collector's clock: positions
	// fed to a collector must never decrease.
	ErrClock = errors.New("collector: position went backwards")
	// ErrEvent reports a key event with an unknown type or a digit outside
	// the 16 keys.
	ErrEvent = errors.New("collector: invalid key event")
)
