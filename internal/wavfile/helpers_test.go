package wavfile

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
)

// chunk returns a RIFF chunk: id, size and body, plus a pad byte if the
// body has an odd length.
func chunk(id string, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// rawChunk returns a chunk header declaring size, followed by body as is.
func rawChunk(id string, size uint32, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], size)
	return append(b, body...)
}

// riff wraps chunks in a RIFF/WAVE header with a correct size.
func riff(chunks ...[]byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVE")
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// fmtBody returns a 16-byte WAVEFORMAT body.
func fmtBody(code uint16, channels, rate, bits, blockAlign int) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, code)
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*blockAlign))
	b = le.AppendUint16(b, uint16(blockAlign))
	return le.AppendUint16(b, uint16(bits))
}

// extBody returns a 40-byte WAVEFORMATEXTENSIBLE body with sub-format sub.
func extBody(sub uint16, channels, rate, bits, valid int) []byte {
	le := binary.LittleEndian
	b := fmtBody(codeExtensible, channels, rate, bits, channels*bits/8)
	b = le.AppendUint16(b, 22)
	b = le.AppendUint16(b, uint16(valid))
	b = le.AppendUint32(b, 0) // channel mask
	b = le.AppendUint16(b, sub)
	return append(b, guidSuffix[:]...)
}

// pcm16Bytes returns s as little-endian 16-bit bytes.
func pcm16Bytes(s ...int16) []byte {
	var b []byte
	for _, v := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

// randomPCM returns n seeded random samples covering the full 16-bit range,
// including both extremes.
func randomPCM(n int, seed uint64) []int16 {
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

// requireTool returns the path of an external program, skipping the test if
// it is missing unless DTMF_REQUIRE_TOOLS is set (as CI does), in which case
// a missing tool fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("DTMF_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is required (DTMF_REQUIRE_TOOLS is set) but not found: %v", name, err)
		}
		t.Skipf("%s not installed; set DTMF_REQUIRE_TOOLS=1 to fail instead of skipping", name)
	}
	return p
}
