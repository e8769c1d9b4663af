package talkoff

import "errors"

var (
	// ErrManifest reports a malformed corpus manifest.
	ErrManifest = errors.New("talkoff: bad manifest")
	// ErrDecoder reports a decoder that failed or printed what it should not.
	ErrDecoder = errors.New("talkoff: decoder failed")
	// ErrAudio reports an audio file that is not 8000 Hz mono 16-bit PCM.
	ErrAudio = errors.New("talkoff: bad audio file")
)
