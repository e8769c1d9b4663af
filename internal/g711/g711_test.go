package g711

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every code word must survive decode→encode unchanged (except µ-law's
// negative zero, 0x7f, which encodes as positive zero 0xff).
func TestRoundTripCodes(t *testing.T) {
	for i := range 256 {
		b := byte(i)
		want := b
		if b == 0x7f {
			want = 0xff
		}
		assert.Equal(t, want, LinearToULaw(ULawToLinear(b)), "ulaw %#02x", b)
		assert.Equal(t, b, LinearToALaw(ALawToLinear(b)), "alaw %#02x", b)
	}
}

// Known values from ITU-T G.711 tables.
func TestKnownValues(t *testing.T) {
	assert.Equal(t, int16(0), ULawToLinear(0xff))
	assert.Equal(t, int16(-32124), ULawToLinear(0x00))
	assert.Equal(t, int16(32124), ULawToLinear(0x80))
	assert.Equal(t, int16(8), ALawToLinear(0xd5))
	assert.Equal(t, int16(-8), ALawToLinear(0x55))
	assert.Equal(t, int16(32256), ALawToLinear(0xaa))
	assert.Equal(t, int16(-32256), ALawToLinear(0x2a))
}

// Encoding is monotonic and the decoded value is the code's nearest level:
// the quantisation error is at most half a step of the segment.
func TestQuantisationError(t *testing.T) {
	for v := -32768; v <= 32767; v++ {
		s := int16(v)
		u := int(ULawToLinear(LinearToULaw(s)))
		a := int(ALawToLinear(LinearToALaw(s)))
		mag := max(v, -v)
		// Segment step of µ-law at this magnitude: 8·2^seg (in 16-bit units: ×... ).
		require.LessOrEqual(t, abs(u-v), max(mag/16+8, 132), "ulaw %d -> %d", v, u)
		require.LessOrEqual(t, abs(a-v), max(mag/16+8, 16), "alaw %d -> %d", v, a)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestBulkDecode(t *testing.T) {
	src := make([]byte, 256)
	for i := range src {
		src[i] = byte(i)
	}
	u, a := make([]int16, 300), make([]int16, 256)
	DecodeULaw(u, src)
	DecodeALaw(a, src)
	for i := range src {
		assert.Equal(t, ULawToLinear(byte(i)), u[i])
		assert.Equal(t, ALawToLinear(byte(i)), a[i])
	}
	assert.Equal(t, int16(0), u[256], "nothing written past len(src)")
}
