package detector

import "errors"

var (
	// ErrConfig reports an invalid [Config] field; the wrapped message names
	// the field, its value and the allowed range.
	ErrConfig = errors.New("detector: invalid config")
	// ErrNonFinite reports a NaN or infinite float sample given to
	// [Detector.ProcessFloat32]. The call is rejected as a whole: no sample of
	// it was consumed.
	ErrNonFinite = errors.New("detector: non-finite sample")
)
