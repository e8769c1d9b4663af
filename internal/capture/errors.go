package capture

import "errors"

var (
	// ErrFormat reports input that is neither pcap nor pcapng (nor a gzip
	// stream of either).
	ErrFormat = errors.New("capture: not a pcap or pcapng capture")
	// ErrTruncated reports a capture that ends inside a record: everything
	// before it was read.
	ErrTruncated = errors.New("capture: truncated")
	// ErrCorrupt reports a record or block whose lengths cannot be right,
	// or one larger than this package accepts; everything before it was
	// read.
	ErrCorrupt = errors.New("capture: corrupt")
)
