package suppress

import "errors"

// ErrConfig reports an invalid [Config] field; the wrapped message names the
// field, its value and the allowed range.
var ErrConfig = errors.New("suppress: invalid config")
