package wavfile

import (
	"fmt"
	"slices"
	"strings"
)

// Encoding is a sample encoding of a WAV file's data chunk.
type Encoding uint8

// The encodings this package reads and writes.
const (
	// PCM16 is signed 16-bit little-endian linear PCM (format code 1).
	PCM16 Encoding = 1 + iota
	// PCM8 is unsigned 8-bit linear PCM, 128 being silence (format code 1).
	PCM8
	// PCM24 is signed 24-bit little-endian linear PCM (format code 1).
	PCM24
	// PCM32 is signed 32-bit little-endian linear PCM (format code 1).
	PCM32
	// Float32 is 32-bit IEEE 754 float, full scale ±1.0 (format code 3).
	Float32
	// ULaw is ITU-T G.711 µ-law, 8 bits per sample (format code 7).
	ULaw
	// ALaw is ITU-T G.711 A-law, 8 bits per sample (format code 6).
	ALaw
)

// Limits of the files this package reads and writes.
const (
	// MaxChannels is the most channels a file may have. WAV allows 65535;
	// the limit bounds the reader's frame buffer.
	MaxChannels = 1024
	// MaxSampleRate is the highest sample rate [Hz] a file may declare.
	MaxSampleRate = 1 << 24
)

// Format codes of the WAVEFORMATEX wFormatTag field.
const (
	codePCM        = 0x0001
	codeFloat      = 0x0003
	codeALaw       = 0x0006
	codeULaw       = 0x0007
	codeExtensible = 0xFFFE
)

var encodingNames = [...]string{
	PCM16:   "pcm16",
	PCM8:    "pcm8",
	PCM24:   "pcm24",
	PCM32:   "pcm32",
	Float32: "float32",
	ULaw:    "ulaw",
	ALaw:    "alaw",
}

// String returns the encoding's name as [ParseEncoding] accepts it: "pcm16",
// "pcm8", "pcm24", "pcm32", "float32", "ulaw" or "alaw".
func (e Encoding) String() string {
	if e.valid() {
		return encodingNames[e]
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

func (e Encoding) valid() bool { return e >= PCM16 && e <= ALaw }

// encodingAliases are the other spellings [ParseEncoding] accepts: the
// names of sox (-e signed -b 16 is s16le in ffmpeg's terms), ffmpeg (-f
// s16le, mulaw, alaw, f32le) and RTP (PCMU, PCMA).
var encodingAliases = map[string]Encoding{
	"s16le": PCM16, "s16": PCM16, "pcm_s16le": PCM16, "linear16": PCM16,
	"u8": PCM8, "pcm_u8": PCM8,
	"s24le": PCM24, "s24": PCM24, "pcm_s24le": PCM24,
	"s32le": PCM32, "s32": PCM32, "pcm_s32le": PCM32,
	"f32le": Float32, "f32": Float32, "float": Float32, "pcm_f32le": Float32,
	"mulaw": ULaw, "u-law": ULaw, "µ-law": ULaw, "µlaw": ULaw, "pcmu": ULaw, "pcm_mulaw": ULaw, "g711u": ULaw,
	"a-law": ALaw, "pcma": ALaw, "pcm_alaw": ALaw, "g711a": ALaw,
}

// ParseEncoding returns the encoding named name, in any case: one of the
// names [Encoding.String] returns, or another common spelling of it
// (s16le, mulaw, pcmu, f32le, ...; see [EncodingAliases]). Otherwise it
// returns an error wrapping [ErrInvalid].
func ParseEncoding(name string) (Encoding, error) {
	lower := strings.ToLower(name)
	for e := PCM16; e <= ALaw; e++ {
		if encodingNames[e] == lower {
			return e, nil
		}
	}
	if e, ok := encodingAliases[lower]; ok {
		return e, nil
	}
	return 0, fmt.Errorf("%w: unknown encoding %q: want one of pcm16, pcm8, pcm24, pcm32, float32, ulaw, alaw", ErrInvalid, name)
}

// EncodingAliases returns the other spellings [ParseEncoding] accepts for
// e, sorted; nil for an invalid encoding.
func EncodingAliases(e Encoding) []string {
	var names []string
	for name, a := range encodingAliases {
		if a == e {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// BytesPerSample returns the size of one sample of one channel in bytes, or
// 0 for an invalid encoding.
func (e Encoding) BytesPerSample() int {
	switch e {
	case PCM8, ULaw, ALaw:
		return 1
	case PCM16:
		return 2
	case PCM24:
		return 3
	case PCM32, Float32:
		return 4
	}
	return 0
}

// code returns the WAVEFORMATEX format tag of e.
func (e Encoding) code() uint16 {
	switch e {
	case Float32:
		return codeFloat
	case ULaw:
		return codeULaw
	case ALaw:
		return codeALaw
	}
	return codePCM
}

// Format describes the audio of a WAV file.
type Format struct {
	// Encoding is the sample encoding of the data chunk.
	Encoding Encoding
	// SampleRate is the number of frames per second [Hz].
	SampleRate int
	// Channels is the number of interleaved channels, 1 to [MaxChannels].
	Channels int
	// Extensible is true if the file's fmt chunk is WAVE_FORMAT_EXTENSIBLE.
	Extensible bool
}

// FrameSize returns the bytes of one frame: one sample of every channel.
func (f Format) FrameSize() int { return f.Channels * f.Encoding.BytesPerSample() }
