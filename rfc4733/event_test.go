package rfc4733_test

import (
	"io"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/rfc4733"
)

// TestUnmarshal checks each field against hand-assembled bytes, one bit
// pattern per field so that a shifted or overlapping mask shows.
func TestUnmarshal(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want rfc4733.Event
	}{
		{"zero", []byte{0, 0, 0, 0}, rfc4733.Event{}},
		{"digit 5, 800 units", []byte{5, 10, 0x03, 0x20}, rfc4733.Event{Code: 5, Volume: 10, Duration: 800}},
		{"end bit alone", []byte{11, 0x80, 0, 0}, rfc4733.Event{Code: 11, End: true}},
		{"reserved bit is ignored", []byte{1, 0x40, 0, 1}, rfc4733.Event{Code: 1, Duration: 1}},
		{"all flag bits", []byte{15, 0xff, 0xff, 0xff}, rfc4733.Event{Code: 15, End: true, Volume: 63, Duration: 0xffff}},
		{"volume bits only", []byte{0, 0x3f, 0, 0}, rfc4733.Event{Volume: 63}},
		{"duration high byte", []byte{0, 0, 0x80, 0}, rfc4733.Event{Duration: 0x8000}},
		{"non-DTMF code", []byte{255, 0, 0, 0}, rfc4733.Event{Code: 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e rfc4733.Event
			require.NoError(t, e.Unmarshal(tt.b))
			assert.Equal(t, tt.want, e)
		})
	}
}

func TestUnmarshalRejectsOtherLengths(t *testing.T) {
	for _, n := range []int{0, 1, 3, 5, 8} {
		e := rfc4733.Event{Code: 9, Duration: 7}
		err := e.Unmarshal(make([]byte, n))
		assert.ErrorIs(t, err, rfc4733.ErrPayloadSize, "len %d", n)
		assert.Equal(t, rfc4733.Event{Code: 9, Duration: 7}, e, "a failed Unmarshal leaves the event unchanged")
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]int{4: 1, 8: 2, 400: 100} {
		got, err := rfc4733.Count(make([]byte, n))
		require.NoError(t, err)
		assert.Equal(t, want, got, "len %d", n)
	}
	for _, n := range []int{0, 2, 6, 401} {
		_, err := rfc4733.Count(make([]byte, n))
		assert.ErrorIs(t, err, rfc4733.ErrPayloadSize, "len %d", n)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, e := range []rfc4733.Event{
		{},
		{Code: 10, End: true, Volume: 7, Duration: 1234},
		{Code: 15, End: true, Volume: 63, Duration: 0xffff},
		{Code: 200, Duration: 1},
	} {
		var b [8]byte
		n, err := e.MarshalTo(b[:])
		require.NoError(t, err)
		require.Equal(t, rfc4733.PayloadSize, n)
		assert.Equal(t, byte(0), b[1]&0x40, "R bit is sent as zero")
		assert.Equal(t, [4]byte{}, [4]byte(b[4:]), "MarshalTo writes 4 bytes only")
		var got rfc4733.Event
		require.NoError(t, got.Unmarshal(b[:n]))
		assert.Equal(t, e, got)

		app, err := e.Append([]byte{0xaa})
		require.NoError(t, err)
		assert.Equal(t, append([]byte{0xaa}, b[:4]...), app)
	}
}

func TestMarshalErrors(t *testing.T) {
	b := []byte{1, 2, 3}
	_, err := rfc4733.Event{}.MarshalTo(b)
	assert.ErrorIs(t, err, io.ErrShortBuffer)
	assert.Equal(t, []byte{1, 2, 3}, b)

	b4 := []byte{1, 2, 3, 4}
	_, err = rfc4733.Event{Volume: 64}.MarshalTo(b4)
	assert.ErrorIs(t, err, rfc4733.ErrVolume)
	assert.Equal(t, []byte{1, 2, 3, 4}, b4, "a rejected event writes nothing")

	app, err := rfc4733.Event{Volume: 64}.Append(b)
	assert.ErrorIs(t, err, rfc4733.ErrVolume)
	assert.Equal(t, []byte{1, 2, 3}, app)
}

// TestDigitTable checks RFC 4733 §3.2 Table 3 key by key, both ways.
func TestDigitTable(t *testing.T) {
	want := map[byte]uint8{
		'0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
		'*': 10, '#': 11, 'A': 12, 'B': 13, 'C': 14, 'D': 15,
	}
	for d, c := range want {
		got, ok := rfc4733.Code(d)
		assert.True(t, ok, "%c", d)
		assert.Equal(t, c, got, "%c", d)
		back, ok := rfc4733.Digit(c)
		assert.True(t, ok)
		assert.Equal(t, d, back)
	}
	for b := range 256 {
		if _, isKey := want[byte(b)]; isKey {
			continue
		}
		_, ok := rfc4733.Code(byte(b))
		assert.False(t, ok, "byte %q is not a key (lower case 'a'-'d' included)", b)
	}
	for c := rfc4733.NumDTMF; c < 256; c++ {
		_, ok := rfc4733.Digit(uint8(c))
		assert.False(t, ok, "code %d", c)
	}
	assert.Equal(t, uint8(rfc4733.CodeStar), want['*'])
	assert.Equal(t, uint8(rfc4733.CodePound), want['#'])
	assert.Equal(t, uint8(rfc4733.CodeA), want['A'])
}

func TestVolumeLevel(t *testing.T) {
	tests := []struct {
		dBm0 float64
		want uint8
	}{
		{0, 0}, {3, 0}, {-0.4, 0}, {-0.6, 1}, {-10, 10}, {-10.5, 11}, {-62.6, 63}, {-63, 63}, {-90, 63},
		{math.Inf(-1), 63}, {math.Inf(1), 0}, {math.NaN(), 63},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rfc4733.Volume(tt.dBm0), "%v dBm0", tt.dBm0)
	}
	for v := range uint8(64) {
		assert.Equal(t, v, rfc4733.Volume(rfc4733.Level(v)))
	}
}

func TestString(t *testing.T) {
	assert.Equal(t, "# E vol=10 dur=960", rfc4733.Event{Code: 11, End: true, Volume: 10, Duration: 960}.String())
	assert.Equal(t, "event 16 vol=0 dur=8", rfc4733.Event{Code: 16, Duration: 8}.String())
}

func TestZeroAllocations(t *testing.T) {
	b := []byte{5, 0x8a, 1, 2}
	out := make([]byte, 0, 4)
	var e rfc4733.Event
	allocs := testing.AllocsPerRun(100, func() {
		_ = e.Unmarshal(b)
		_, _ = e.MarshalTo(b)
		out, _ = e.Append(out[:0])
		_, _ = rfc4733.Count(b)
		_, _ = rfc4733.Digit(e.Code)
		_, _ = rfc4733.Code('#')
	})
	assert.Zero(t, allocs)
}
