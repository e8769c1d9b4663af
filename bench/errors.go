package bench

import "errors"

// Errors returned by this package; each error it returns wraps one of them
// (or an I/O error), with a message saying what is wrong. Test with
// [errors.Is].
var (
	// ErrDecoder reports a decoder that failed or printed output that is not
	// one JSON object per key press with a valid "digit".
	ErrDecoder = errors.New("bench: decoder failed")
	// ErrCorpus reports a speech corpus that is missing, empty or unreadable.
	ErrCorpus = errors.New("bench: speech corpus unavailable")
	// ErrOptions reports invalid [Options] or speed-run arguments.
	ErrOptions = errors.New("bench: invalid options")
)
