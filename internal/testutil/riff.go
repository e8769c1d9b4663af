package testutil

import (
	"encoding/binary"
	"math/rand/v2"
)

// Builders of RIFF/WAVE bytes, for tests that need files a writer would
// never produce: odd sizes, missing or repeated chunks, bad headers. Each
// returns a new slice.

// Chunk returns a RIFF chunk: id (four bytes), the body's size, the body,
// and a pad byte if the body's length is odd.
func Chunk(id string, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// RawChunk returns a chunk header declaring size, followed by body as is
// (no pad): a chunk whose size may lie.
func RawChunk(id string, size uint32, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], size)
	return append(b, body...)
}

// RIFF wraps chunks in a RIFF/WAVE header whose size is right.
func RIFF(chunks ...[]byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVE")
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// FmtBody returns a 16-byte WAVEFORMAT body: format code, channels, rate
// [Hz], byte rate (rate × blockAlign), block align and bits per sample.
func FmtBody(code uint16, channels, rate, bits, blockAlign int) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, code)
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*blockAlign))
	b = le.AppendUint16(b, uint16(blockAlign))
	return le.AppendUint16(b, uint16(bits))
}

// FmtChunk is the "fmt " chunk of [FmtBody].
func FmtChunk(code uint16, channels, rate, bits, blockAlign int) []byte {
	return Chunk("fmt ", FmtBody(code, channels, rate, bits, blockAlign))
}

// FormatExtensible is the format code of WAVE_FORMAT_EXTENSIBLE.
const FormatExtensible = 0xFFFE

// KSGUIDTail is bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID,
// {XXXXXXXX-0000-0010-8000-00AA00389B71}: the sub-format code makes the
// first two.
var KSGUIDTail = []byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// ExtBody returns a WAVE_FORMAT_EXTENSIBLE fmt body: the WAVEFORMAT fields
// (block align channels × bits/8), a 22-byte extension with valid bits,
// the speaker mask, and the sub-format GUID: code sub followed by tail
// (normally [KSGUIDTail]; any other bytes make a foreign or broken GUID).
func ExtBody(sub uint16, channels, rate, bits, valid int, mask uint32, tail []byte) []byte {
	le := binary.LittleEndian
	b := FmtBody(FormatExtensible, channels, rate, bits, channels*bits/8)
	b = le.AppendUint16(b, 22)
	b = le.AppendUint16(b, uint16(valid))
	b = le.AppendUint32(b, mask)
	b = le.AppendUint16(b, sub)
	return append(b, tail...)
}

// PCM16Bytes returns s as little-endian 16-bit bytes.
func PCM16Bytes(s ...int16) []byte {
	var b []byte
	for _, v := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

// RandomPCM returns n seeded random samples covering the full 16-bit range,
// the two extremes first (when n ≥ 2).
func RandomPCM(n int, seed uint64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 1))
	pcm := make([]int16, n)
	for i := range pcm {
		pcm[i] = int16(rng.IntN(65536) - 32768)
	}
	if n >= 2 {
		pcm[0], pcm[1] = 32767, -32768
	}
	return pcm
}
