package siggen

import "errors"

// ErrSpec reports an invalid [Spec] field; the message names the field,
// its value and the allowed range.
var ErrSpec = errors.New("siggen: invalid signal spec")
