package webhook

import "errors"

// Errors of the webhook sink. A refused event's error is one of emit's
// delivery errors ([emit.ErrQueueFull], [emit.ErrClosed], or the event's
// validation error), as for every queueing sink; Close returns an error
// wrapping [emit.ErrCloseTimeout] when its deadline passed.
var (
	// ErrConfig reports an invalid [Config] field; the message names the
	// field, its value and the allowed range.
	ErrConfig = errors.New("webhook: invalid config")
	// ErrRejected is given to [Config.OnDrop] for an event the endpoint
	// refused with a status that is not retried (a 4xx other than 408 and
	// 429, a 3xx left after redirects); the message holds the status.
	ErrRejected = errors.New("webhook: endpoint rejected the event")
	// ErrExpired is given to [Config.OnDrop] for an event still not
	// delivered when [Config.GiveUpAfter] ran out; the message holds the
	// last failure.
	ErrExpired = errors.New("webhook: delivery gave up")
)
