package wavfile

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/dtmfkit/dtmf/internal/g711"
)

// maxHeader is the largest header the writer produces: RIFF header, an
// 18-byte fmt chunk, a fact chunk and the data chunk header.
const maxHeader = 12 + 8 + 18 + 12 + 8

// checkParams validates writer arguments.
func checkParams(enc Encoding, rate, channels int) error {
	if !enc.valid() {
		return fmt.Errorf("%w: encoding %d: want one of pcm16, pcm8, pcm24, pcm32, float32, ulaw, alaw", ErrInvalid, uint8(enc))
	}
	if channels < 1 || channels > MaxChannels {
		return fmt.Errorf("%w: %d channels: want 1 to %d", ErrInvalid, channels, MaxChannels)
	}
	if rate < 1 || rate > MaxSampleRate {
		return fmt.Errorf("%w: sample rate %d Hz: want 1 to %d", ErrInvalid, rate, MaxSampleRate)
	}
	return nil
}

// maxData returns the largest data chunk size [bytes] that keeps the RIFF
// size within 32 bits for encoding enc.
func maxData(enc Encoding) int64 {
	return math.MaxUint32 - int64(headerSize(enc)) + 8 - 1 // -1: room for a pad byte
}

func headerSize(enc Encoding) int {
	if enc.code() == codePCM {
		return 12 + 8 + 16 + 8
	}
	return maxHeader
}

// appendHeader appends the RIFF, fmt, (fact) and data chunk headers for a
// data chunk of dataBytes bytes holding frames frames.
func appendHeader(b []byte, enc Encoding, rate, channels int, dataBytes, frames uint32) []byte {
	le := binary.LittleEndian
	nonPCM := enc.code() != codePCM
	pad := dataBytes & 1
	riff := uint32(headerSize(enc)-8) + dataBytes + pad
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, riff)
	b = append(b, "WAVEfmt "...)
	if nonPCM {
		b = le.AppendUint32(b, 18)
	} else {
		b = le.AppendUint32(b, 16)
	}
	bps := enc.BytesPerSample()
	b = le.AppendUint16(b, enc.code())
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*channels*bps))
	b = le.AppendUint16(b, uint16(channels*bps))
	b = le.AppendUint16(b, uint16(8*bps))
	if nonPCM {
		b = le.AppendUint16(b, 0) // cbSize
		b = append(b, "fact"...)
		b = le.AppendUint32(b, 4)
		b = le.AppendUint32(b, frames)
	}
	b = append(b, "data"...)
	return le.AppendUint32(b, dataBytes)
}

// appendSamples appends pcm encoded as enc.
func appendSamples(b []byte, enc Encoding, pcm []int16) []byte {
	le := binary.LittleEndian
	switch enc {
	case PCM16:
		for _, s := range pcm {
			b = le.AppendUint16(b, uint16(s))
		}
	case PCM8:
		for _, s := range pcm {
			v := (int(s) + 128) >> 8 // round half up to 8 bits
			v = min(v, 127)
			b = append(b, byte(v+128))
		}
	case PCM24:
		for _, s := range pcm {
			v := uint32(int32(s) << 8)
			b = append(b, byte(v), byte(v>>8), byte(v>>16))
		}
	case PCM32:
		for _, s := range pcm {
			b = le.AppendUint32(b, uint32(int32(s)<<16))
		}
	case Float32:
		for _, s := range pcm {
			b = le.AppendUint32(b, math.Float32bits(float32(s)/32768))
		}
	case ULaw:
		for _, s := range pcm {
			b = append(b, g711.LinearToULaw(s))
		}
	case ALaw:
		for _, s := range pcm {
			b = append(b, g711.LinearToALaw(s))
		}
	}
	return b
}

// chunkSamples is how many samples the writers encode per underlying Write.
const chunkSamples = 1024

// Write writes a complete WAV file to w: pcm holds interleaved 16-bit
// samples (frame by frame, channel 0 first) for channels channels at rate
// [Hz], stored as enc. PCM8, PCM24 and PCM32 scale the samples (PCM8 rounds
// to the nearest 8-bit value), Float32 divides them by 32768, ULaw and ALaw
// encode them with ITU-T G.711. Non-PCM encodings get the 18-byte fmt chunk
// and the fact chunk the RIFF specification requires; an odd-sized data
// chunk gets its pad byte.
//
// Write fails with an error wrapping [ErrInvalid] if enc, rate or channels
// is invalid, len(pcm) is not a multiple of channels, or the data would
// exceed 4 GiB; then nothing is written. Otherwise it returns the first
// error of w. It encodes through one fixed-size buffer of 4 KiB.
func Write(w io.Writer, enc Encoding, rate, channels int, pcm []int16) error {
	if err := checkParams(enc, rate, channels); err != nil {
		return err
	}
	if len(pcm)%channels != 0 {
		return fmt.Errorf("%w: %d samples are not a whole number of %d-channel frames", ErrInvalid, len(pcm), channels)
	}
	data := int64(len(pcm)) * int64(enc.BytesPerSample())
	if data > maxData(enc) {
		return fmt.Errorf("%w: %d bytes of audio: a WAV file holds at most %d", ErrInvalid, data, maxData(enc))
	}
	var buf [chunkSamples * 4]byte
	b := appendHeader(buf[:0], enc, rate, channels, uint32(data), uint32(len(pcm)/channels))
	if _, err := w.Write(b); err != nil {
		return err
	}
	for len(pcm) > 0 {
		n := min(len(pcm), chunkSamples)
		if _, err := w.Write(appendSamples(buf[:0], enc, pcm[:n])); err != nil {
			return err
		}
		pcm = pcm[n:]
	}
	if data&1 != 0 {
		if _, err := w.Write([]byte{0}); err != nil {
			return err
		}
	}
	return nil
}

// Writer writes a WAV file whose length is not known in advance: samples
// are appended with [Writer.WritePCM], and [Writer.Close] completes the
// file by seeking back to fill in the sizes. It is not safe for concurrent
// use.
type Writer struct {
	w        io.WriteSeeker
	start    int64 // offset of the RIFF header in w
	enc      Encoding
	rate     int
	channels int
	samples  int64 // samples written, all channels
	err      error // first error; sticky
	closed   bool
	buf      [chunkSamples * 4]byte
}

// NewWriter writes a WAV header for enc, rate [Hz] and channels to w at its
// current offset and returns a Writer that appends samples after it. The
// header's sizes are placeholders (0) until [Writer.Close]. It fails with
// an error wrapping [ErrInvalid] for invalid arguments, or with w's error.
// It allocates the Writer, which holds a 4 KiB encoding buffer.
func NewWriter(w io.WriteSeeker, enc Encoding, rate, channels int) (*Writer, error) {
	if err := checkParams(enc, rate, channels); err != nil {
		return nil, err
	}
	start, err := w.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	wr := &Writer{w: w, start: start, enc: enc, rate: rate, channels: channels}
	if _, err := w.Write(appendHeader(wr.buf[:0], enc, rate, channels, 0, 0)); err != nil {
		return nil, err
	}
	return wr, nil
}

// WritePCM appends interleaved 16-bit samples, encoded as the Writer's
// encoding (see [Write]). Calls may split frames anywhere; Close checks
// that the total is a whole number of frames. After an error, or after
// Close, every call fails. It allocates nothing.
func (w *Writer) WritePCM(pcm []int16) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return fmt.Errorf("%w: write after Close", ErrInvalid)
	}
	bps := int64(w.enc.BytesPerSample())
	if (w.samples+int64(len(pcm)))*bps > maxData(w.enc) {
		w.err = fmt.Errorf("%w: more than %d bytes of audio: a WAV file holds at most that", ErrInvalid, maxData(w.enc))
		return w.err
	}
	for len(pcm) > 0 {
		n := min(len(pcm), chunkSamples)
		if _, err := w.w.Write(appendSamples(w.buf[:0], w.enc, pcm[:n])); err != nil {
			w.err = err
			return err
		}
		w.samples += int64(n)
		pcm = pcm[n:]
	}
	return nil
}

// Close writes the pad byte if the data size is odd, then seeks back to
// rewrite the header with the final sizes and leaves w positioned at the
// end of the file. It does not close w. It fails with an error wrapping
// [ErrInvalid] if the samples written are not a whole number of frames
// (the file is still completed, with the partial frame's bytes counted in
// the data size), or with an earlier or the underlying error. Calling it
// again returns nil after a successful Close.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	data := w.samples * int64(w.enc.BytesPerSample())
	if data&1 != 0 {
		if _, err := w.w.Write([]byte{0}); err != nil {
			w.err = err
			return err
		}
	}
	end, err := w.w.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = w.w.Seek(w.start, io.SeekStart)
	}
	if err == nil {
		hdr := appendHeader(w.buf[:0], w.enc, w.rate, w.channels, uint32(data), uint32(w.samples/int64(w.channels)))
		_, err = w.w.Write(hdr)
	}
	if err == nil {
		_, err = w.w.Seek(end, io.SeekStart)
	}
	if err != nil {
		w.err = err
		return err
	}
	if w.samples%int64(w.channels) != 0 {
		w.err = fmt.Errorf("%w: %d samples are not a whole number of %d-channel frames", ErrInvalid, w.samples, w.channels)
		return w.err
	}
	return nil
}
