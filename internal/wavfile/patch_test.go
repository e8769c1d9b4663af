package wavfile

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countReader counts the bytes read through it.
type countReader struct {
	r *bytes.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestDataRead locates the data chunk of every encoding, with chunks of
// odd size before it (pad byte present, or omitted by a careless writer),
// and AppendSamples writes what Write writes.
func TestDataRead(t *testing.T) {
	pcm := []int16{1, -2, 300, -32768, 32767, 0}
	for _, enc := range []Encoding{PCM16, PCM8, PCM24, PCM32, Float32, ULaw, ALaw} {
		var file bytes.Buffer
		require.NoError(t, Write(&file, enc, 8000, 2, pcm))
		raw := file.Bytes()
		i := bytes.Index(raw, []byte("data"))
		require.Positive(t, i)
		for name, extra := range map[string][]byte{
			"none":        nil,
			"odd, padded": append([]byte("LIST\x03\x00\x00\x00abc"), 0),
			"odd, no pad": []byte("LIST\x03\x00\x00\x00abc"),
		} {
			// Insert the chunk just before the data chunk.
			f := append(append(append([]byte{}, raw[:i]...), extra...), raw[i:]...)
			cr := &countReader{r: bytes.NewReader(f)}
			r, err := NewReader(cr)
			require.NoError(t, err, "%v %s", enc, name)
			off := cr.n - r.DataRead()
			assert.Equal(t, int64(i+len(extra)+8), off, "%v %s", enc, name)
			assert.Equal(t, AppendSamples(nil, enc, pcm), f[off:off+int64(len(pcm)*enc.BytesPerSample())], "%v %s", enc, name)
		}
	}
}
