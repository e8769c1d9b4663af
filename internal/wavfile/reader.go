package wavfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/dtmfkit/dtmf/internal/g711"
)

// bufSize is the reader's data buffer [bytes]; it holds at least one frame
// of the widest encoding at MaxChannels.
const bufSize = 8192

// fmtMax is the part of a fmt chunk the reader looks at: the 40 bytes of
// WAVEFORMATEXTENSIBLE. Any further bytes are skipped.
const fmtMax = 40

// guidSuffix is bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs of the
// WAVE formats: {XXXXXXXX-0000-0010-8000-00AA00389B71}, where the first
// two bytes hold the format code.
var guidSuffix = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// Reader decodes the audio of one WAV stream. Create it with [NewReader],
// which parses the header, then call [Reader.Read] until it returns an
// error. It is not safe for concurrent use.
type Reader struct {
	r        io.Reader
	format   Format
	declared int64 // declared data chunk size [bytes], or -1 if unknown
	left     int64 // data bytes not yet read from r (declared only)
	read     int64 // data bytes read from r
	frames   int64 // frames delivered
	have     int   // bytes buffered in buf, less than one frame between calls
	err      error // what to return once the buffered frames are delivered
	push     int   // 1 if pushed holds a byte read ahead while skipping a pad byte
	pushed   byte
	buf      [bufSize]byte
}

// NewReader reads the RIFF header and the chunks before the audio data
// from r (skipping unknown ones) and returns a Reader positioned at the
// first sample. r is read sequentially and never seeked, so a pipe or
// stdin works; NewReader blocks until the header has arrived.
//
// It fails with an error wrapping [ErrNotWAV], [ErrMalformed],
// [ErrUnsupported] or [ErrTruncated] saying what is wrong (see the package
// documentation for what is accepted), or with r's error. It allocates the
// Reader (about 8 KiB) and nothing that depends on the input.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{r: r}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Format returns the audio format read from the header.
func (r *Reader) Format() Format { return r.format }

// DataSize returns the data chunk size [bytes] the header declares, or -1
// if it declares 0 or 0xFFFFFFFF, the placeholders of unfinished
// recordings, in which case the data runs to the end of the input.
func (r *Reader) DataSize() int64 { return r.declared }

// Position returns the number of frames delivered by [Reader.Read] so far.
func (r *Reader) Position() int64 { return r.frames }

// readFull is io.ReadFull on the header, honouring a pushed-back byte.
func (r *Reader) readFull(p []byte) (int, error) {
	n := 0
	if r.push > 0 && len(p) > 0 {
		p[0] = r.pushed
		r.push = 0
		n = 1
	}
	m, err := io.ReadFull(r.r, p[n:])
	n += m
	if err == io.ErrUnexpectedEOF || (err == io.EOF && n > 0) {
		err = io.ErrUnexpectedEOF
	}
	if n == len(p) {
		err = nil
	}
	return n, err
}

// skip discards n bytes of chunk id, then its pad byte if n is odd. It
// tolerates writers that omit the pad: a non-zero byte where the pad
// should be is kept as the start of the next chunk.
func (r *Reader) skip(id []byte, size int64) error {
	body, got := size, int64(0)
	if body > 0 && r.push > 0 {
		r.push = 0
		body--
		got = 1
	}
	n, err := io.CopyN(io.Discard, r.r, body)
	if err != nil {
		if err == io.EOF {
			return fmt.Errorf("%w: %q chunk declares %d bytes, input ends after %d", ErrTruncated, id, size, got+n)
		}
		return err
	}
	return r.skipPad(id, size)
}

// skipPad consumes the pad byte after an odd-sized chunk, if present.
func (r *Reader) skipPad(id []byte, size int64) error {
	if size&1 == 0 {
		return nil
	}
	var b [1]byte
	n, err := io.ReadFull(r.r, b[:])
	if n == 1 && b[0] != 0 {
		r.push, r.pushed = 1, b[0]
	}
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return err
	}
	return nil
}

func (r *Reader) readHeader() error {
	var riff [12]byte
	n, err := r.readFull(riff[:])
	switch {
	case err == io.EOF:
		return fmt.Errorf("%w: empty input", ErrNotWAV)
	case err == io.ErrUnexpectedEOF:
		if bytes.HasPrefix([]byte("RIFF"), riff[:min(n, 4)]) {
			return fmt.Errorf("%w: input ends after %d bytes, inside the 12-byte RIFF header", ErrTruncated, n)
		}
		return fmt.Errorf("%w: only %d bytes, starting %q", ErrNotWAV, n, riff[:min(n, 4)])
	case err != nil:
		return err
	}
	switch id := string(riff[:4]); id {
	case "RIFF":
	case "RIFX", "RF64", "BW64":
		return fmt.Errorf("%w: %s container (only little-endian RIFF is read)", ErrUnsupported, id)
	default:
		return fmt.Errorf("%w: starts with %q, not \"RIFF\"", ErrNotWAV, riff[:4])
	}
	if string(riff[8:12]) != "WAVE" {
		return fmt.Errorf("%w: RIFF form type %q, not \"WAVE\"", ErrNotWAV, riff[8:12])
	}
	haveFmt := false
	for {
		var hdr [8]byte
		n, err := r.readFull(hdr[:])
		if err == io.EOF || (err == io.ErrUnexpectedEOF && n < 4) {
			if !haveFmt {
				return fmt.Errorf("%w: no fmt chunk", ErrMalformed)
			}
			return fmt.Errorf("%w: no data chunk", ErrMalformed)
		}
		if err == io.ErrUnexpectedEOF {
			return fmt.Errorf("%w: input ends inside the header of chunk %q", ErrTruncated, hdr[:4])
		}
		if err != nil {
			return err
		}
		id := hdr[:4]
		size := int64(binary.LittleEndian.Uint32(hdr[4:]))
		switch string(id) {
		case "fmt ":
			if haveFmt {
				return fmt.Errorf("%w: a second fmt chunk", ErrMalformed)
			}
			if size < 16 {
				return fmt.Errorf("%w: fmt chunk of %d bytes: want at least 16", ErrMalformed, size)
			}
			var b [fmtMax]byte
			k := min(size, fmtMax)
			if n, err := r.readFull(b[:k]); err != nil {
				if err == io.ErrUnexpectedEOF || err == io.EOF {
					return fmt.Errorf("%w: fmt chunk declares %d bytes, input ends after %d", ErrTruncated, size, n)
				}
				return err
			}
			if err := r.parseFmt(b[:k]); err != nil {
				return err
			}
			if size > k {
				if err := r.skip(id, size-k); err != nil {
					return err
				}
			} else if err := r.skipPad(id, size); err != nil {
				return err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return fmt.Errorf("%w: data chunk before the fmt chunk", ErrMalformed)
			}
			r.declared, r.left = size, size
			if size == 0 || size == math.MaxUint32 {
				r.declared, r.left = -1, -1
			}
			if r.push > 0 { // a byte read ahead belongs to the data
				r.buf[0] = r.pushed
				r.have, r.push, r.read = 1, 0, 1
				if r.left > 0 {
					r.left--
				}
			}
			return nil
		default:
			if err := r.skip(id, size); err != nil {
				return err
			}
		}
	}
}

// parseFmt decodes a fmt chunk body of 16 to 40 bytes.
func (r *Reader) parseFmt(b []byte) error {
	le := binary.LittleEndian
	code := le.Uint16(b[0:])
	channels := int(le.Uint16(b[2:]))
	rate := int64(le.Uint32(b[4:]))
	blockAlign := int(le.Uint16(b[12:]))
	bits := int(le.Uint16(b[14:]))
	f := Format{}
	if code == codeExtensible {
		if len(b) < fmtMax {
			return fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE fmt chunk of %d bytes: want 40", ErrMalformed, len(b))
		}
		valid := int(le.Uint16(b[18:]))
		guid := b[24:40]
		sub := le.Uint16(guid[0:])
		if !bytes.Equal(guid[2:], guidSuffix[:]) || sub == codeExtensible {
			return fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE sub-format GUID %s", ErrUnsupported, formatGUID(guid))
		}
		if valid > bits {
			return fmt.Errorf("%w: %d valid bits in a %d-bit sample", ErrMalformed, valid, bits)
		}
		code = sub
		f.Extensible = true
	}
	if channels == 0 {
		return fmt.Errorf("%w: 0 channels", ErrMalformed)
	}
	if channels > MaxChannels {
		return fmt.Errorf("%w: %d channels: at most %d are read", ErrUnsupported, channels, MaxChannels)
	}
	if rate == 0 {
		return fmt.Errorf("%w: sample rate 0 Hz", ErrMalformed)
	}
	if rate > MaxSampleRate {
		return fmt.Errorf("%w: sample rate %d Hz: at most %d Hz is read", ErrUnsupported, rate, MaxSampleRate)
	}
	switch code {
	case codePCM:
		switch bits {
		case 8:
			f.Encoding = PCM8
		case 16:
			f.Encoding = PCM16
		case 24:
			f.Encoding = PCM24
		case 32:
			f.Encoding = PCM32
		default:
			return fmt.Errorf("%w: %d-bit PCM: want 8, 16, 24 or 32 bits", ErrUnsupported, bits)
		}
	case codeFloat:
		if bits != 32 {
			return fmt.Errorf("%w: %d-bit IEEE float: want 32 bits", ErrUnsupported, bits)
		}
		f.Encoding = Float32
	case codeULaw, codeALaw:
		if bits != 8 {
			return fmt.Errorf("%w: %d-bit %s: want 8 bits", ErrUnsupported, bits, codeName(code))
		}
		f.Encoding = ULaw
		if code == codeALaw {
			f.Encoding = ALaw
		}
	default:
		if f.Extensible {
			return fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE sub-format GUID %s (%s)", ErrUnsupported, formatGUID(b[24:40]), codeName(code))
		}
		return fmt.Errorf("%w: format code 0x%04X (%s)", ErrUnsupported, code, codeName(code))
	}
	f.Channels = channels
	f.SampleRate = int(rate)
	if want := f.FrameSize(); blockAlign != want {
		return fmt.Errorf("%w: block align %d bytes: want %d (%d channels of %d bytes)", ErrMalformed, blockAlign, want, channels, f.Encoding.BytesPerSample())
	}
	r.format = f
	return nil
}

// formatGUID formats a little-endian Windows GUID.
func formatGUID(g []byte) string {
	le := binary.LittleEndian
	return fmt.Sprintf("{%08X-%04X-%04X-%X-%X}", le.Uint32(g[0:]), le.Uint16(g[4:]), le.Uint16(g[6:]), g[8:10], g[10:16])
}

// codeName names common WAVE format codes for error messages.
func codeName(code uint16) string {
	switch code {
	case 0x0000:
		return "unknown"
	case codePCM:
		return "PCM"
	case 0x0002:
		return "Microsoft ADPCM"
	case codeFloat:
		return "IEEE float"
	case codeALaw:
		return "A-law"
	case codeULaw:
		return "µ-law"
	case 0x0011:
		return "IMA ADPCM"
	case 0x0031:
		return "GSM 6.10"
	case 0x0040:
		return "G.721 ADPCM"
	case 0x0050:
		return "MPEG"
	case 0x0055:
		return "MP3"
	case 0x0064:
		return "G.726 ADPCM"
	case 0x0065:
		return "G.722 ADPCM"
	case 0x0161, 0x0162, 0x0163:
		return "WMA"
	case 0x1610:
		return "AAC"
	case 0xF1AC:
		return "FLAC"
	}
	return "unknown"
}

// Read decodes whole frames into dst as interleaved 16-bit samples (channel
// 0 first) and returns the number of samples written, a multiple of the
// channel count. It reads from the underlying reader at most as much as
// fits one internal buffer and returns as soon as at least one frame is
// available, so a live pipe is decoded as it arrives.
//
// The legal results are:
//
//   - n > 0, err == nil: n samples were decoded; call again.
//   - n == 0, err == io.EOF: the data ended cleanly.
//   - n == 0, err wrapping [ErrTruncated]: the input ended before the
//     declared end of the data chunk, or inside a frame; every complete
//     frame has been delivered.
//   - n == 0, err wrapping [ErrMalformed]: the declared data size is not a
//     whole number of frames; every complete frame has been delivered.
//   - n == 0, err wrapping [ErrNonFinite]: a float sample is NaN or
//     infinite; the frames before it have been delivered, the error names
//     its frame and channel.
//   - n == 0, err == [io.ErrShortBuffer]: dst holds less than one frame.
//   - n == 0, another err: the underlying reader failed.
//
// After an error, every call returns the same error. Read allocates
// nothing.
func (r *Reader) Read(dst []int16) (int, error) {
	ch := r.format.Channels
	if len(dst) < ch {
		if r.have < r.format.FrameSize() && r.err != nil {
			return 0, r.err
		}
		return 0, io.ErrShortBuffer
	}
	fs := r.format.FrameSize()
	maxFrames := min(len(dst)/ch, bufSize/fs)
	for r.have < fs && r.err == nil {
		want := int64(maxFrames*fs - r.have)
		if r.declared >= 0 {
			want = min(want, r.left)
			if want == 0 {
				r.err = r.endErr()
				break
			}
		}
		m, err := r.r.Read(r.buf[r.have : r.have+int(want)])
		r.have += m
		r.read += int64(m)
		if r.declared >= 0 {
			r.left -= int64(m)
		}
		switch {
		case err == io.EOF:
			r.err = r.endErr()
		case err != nil:
			r.err = err
		}
	}
	frames := min(r.have/fs, maxFrames)
	if frames == 0 {
		return 0, r.err
	}
	n := frames * ch
	if bad := r.decode(dst[:n], r.buf[:frames*fs]); bad >= 0 {
		// Deliver the frames before the bad sample; report it next.
		frame, c := bad/ch, bad%ch
		x := math.Float32frombits(binary.LittleEndian.Uint32(r.buf[4*bad:]))
		r.err = fmt.Errorf("%w: %v at frame %d (%.3f s), channel %d", ErrNonFinite, x, r.frames+int64(frame), float64(r.frames+int64(frame))/float64(r.format.SampleRate), c)
		r.have = 0
		r.frames += int64(frame)
		if frame == 0 {
			return 0, r.err
		}
		return frame * ch, nil
	}
	r.have = copy(r.buf[:], r.buf[frames*fs:r.have])
	r.frames += int64(frames)
	return n, nil
}

// endErr is the error that ends the data: io.EOF if it ended where it
// should, otherwise a description of what is missing.
func (r *Reader) endErr() error {
	fs := r.format.FrameSize()
	switch {
	case r.declared >= 0 && r.left > 0:
		return fmt.Errorf("%w: data chunk declares %d bytes, input ends after %d", ErrTruncated, r.declared, r.read)
	case r.declared >= 0 && r.declared%int64(fs) != 0:
		return fmt.Errorf("%w: data chunk size %d is not a whole number of %d-byte frames", ErrMalformed, r.declared, fs)
	case r.have%fs != 0:
		return fmt.Errorf("%w: input ends inside a frame (%d of %d bytes)", ErrTruncated, r.have%fs, fs)
	}
	return io.EOF
}

// decode converts len(dst) samples from b and returns -1, or the index of
// the first non-finite float sample (samples before it are converted).
func (r *Reader) decode(dst []int16, b []byte) int {
	le := binary.LittleEndian
	switch r.format.Encoding {
	case PCM16:
		for i := range dst {
			dst[i] = int16(le.Uint16(b[2*i:]))
		}
	case PCM8:
		for i := range dst {
			dst[i] = (int16(b[i]) - 128) << 8
		}
	case PCM24:
		for i := range dst {
			p := b[3*i : 3*i+3]
			v := int32(uint32(p[0])<<8|uint32(p[1])<<16|uint32(p[2])<<24) >> 8
			dst[i] = int16(min((v+128)>>8, math.MaxInt16))
		}
	case PCM32:
		for i := range dst {
			v := int64(int32(le.Uint32(b[4*i:])))
			dst[i] = int16(min((v+32768)>>16, math.MaxInt16))
		}
	case Float32:
		for i := range dst {
			x := float64(math.Float32frombits(le.Uint32(b[4*i:])))
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return i
			}
			// Round half up, as for 24/32-bit: after clamping, v+32768.5
			// is positive, so truncation is floor.
			v := max(min(x*32768, math.MaxInt16), math.MinInt16)
			dst[i] = int16(int32(v+32768.5) - 32768)
		}
	case ULaw:
		for i := range dst {
			dst[i] = g711.ULawToLinear(b[i])
		}
	case ALaw:
		for i := range dst {
			dst[i] = g711.ALawToLinear(b[i])
		}
	}
	return -1
}

// ReadAll reads a whole WAV stream and returns its format and interleaved
// samples. The sample slice grows with the input actually read, never with
// a header size. If the audio ends with an error (see [Reader.Read]),
// ReadAll returns the samples decoded before it together with the error;
// io.EOF is not an error.
func ReadAll(r io.Reader) (Format, []int16, error) {
	rd, err := NewReader(r)
	if err != nil {
		return Format{}, nil, err
	}
	var pcm []int16
	buf := make([]int16, bufSize)
	for {
		n, err := rd.Read(buf)
		pcm = append(pcm, buf[:n]...)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return rd.format, pcm, err
		}
	}
}
