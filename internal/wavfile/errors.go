package wavfile

import "errors"

// Errors returned by this package. Each error it returns for bad input or
// arguments wraps exactly one of them, with a one-line message naming the
// offending field or position; test with [errors.Is]. Errors of the
// underlying reader or writer are returned as they are.
var (
	// ErrNotWAV reports input that is not a RIFF/WAVE file at all: empty,
	// shorter than the 12-byte RIFF header, not starting with "RIFF", or a
	// RIFF file whose form type is not "WAVE".
	ErrNotWAV = errors.New("wavfile: not a WAV file")
	// ErrMalformed reports a WAV file whose header breaks the format: no or
	// short fmt chunk, no data chunk, data before fmt, zero channels, a
	// zero sample rate, a block alignment that does not match the sample
	// size, or a data chunk whose size is not a whole number of frames.
	ErrMalformed = errors.New("wavfile: malformed WAV file")
	// ErrUnsupported reports a well-formed WAV file in an encoding this
	// package does not decode: a sample size other than those of
	// [Encoding] (e.g. 12-bit PCM, 64-bit float), a compressed format
	// (ADPCM, GSM, MP3…), an unknown format code or extensible sub-format,
	// more than [MaxChannels] channels, or an RF64/RIFX container.
	ErrUnsupported = errors.New("wavfile: unsupported WAV format")
	// ErrTruncated reports input that ends early: inside the header or a
	// chunk before the data, before the end of a data chunk whose size is
	// declared, or inside a sample frame.
	ErrTruncated = errors.New("wavfile: truncated")
	// ErrNonFinite reports a NaN or infinite sample in an IEEE float file.
	ErrNonFinite = errors.New("wavfile: non-finite sample")
	// ErrInvalid reports an invalid argument given to a writer: an unknown
	// encoding, a channel count outside [1, MaxChannels], a sample rate
	// outside [1, MaxSampleRate], a sample count that is not a whole
	// number of frames, or more audio than a WAV file can hold (4 GiB).
	ErrInvalid = errors.New("wavfile: invalid argument")
)
