package wavfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allEncodings = []Encoding{PCM16, PCM8, PCM24, PCM32, Float32, ULaw, ALaw}

// quantize returns what sample s becomes after a trip through enc.
func quantize(enc Encoding, s int16) int16 {
	switch enc {
	case PCM8:
		return int16(min((int(s)+128)>>8, 127) << 8)
	case ULaw:
		return g711.ULawToLinear(g711.LinearToULaw(s))
	case ALaw:
		return g711.ALawToLinear(g711.LinearToALaw(s))
	}
	return s
}

func TestWriteHeader(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, PCM16, 8000, 1, []int16{1, -2}))
	want := []byte("RIFF\x28\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x04\x00\x00\x00\x01\x00\xfe\xff")
	assert.Equal(t, want, buf.Bytes())

	buf.Reset()
	require.NoError(t, Write(&buf, ULaw, 8000, 1, []int16{0, 0, 0}))
	want = []byte("RIFF\x36\x00\x00\x00WAVEfmt \x12\x00\x00\x00\x07\x00\x01\x00\x40\x1f\x00\x00\x40\x1f\x00\x00\x01\x00\x08\x00\x00\x00fact\x04\x00\x00\x00\x03\x00\x00\x00data\x03\x00\x00\x00\xff\xff\xff\x00")
	assert.Equal(t, want, buf.Bytes(), "18-byte fmt, fact chunk, pad byte")
}

func TestWriteRoundTrip(t *testing.T) {
	for _, enc := range allEncodings {
		for _, channels := range []int{1, 2, 3} {
			t.Run(enc.String()+"/"+string(rune('0'+channels)), func(t *testing.T) {
				pcm := testutil.RandomPCM(channels*1001, uint64(channels))
				var buf bytes.Buffer
				require.NoError(t, Write(&buf, enc, 16000, channels, pcm))
				assert.Zero(t, buf.Len()%2, "RIFF files have an even length")
				f, got, err := ReadAll(bytes.NewReader(buf.Bytes()))
				require.NoError(t, err)
				assert.Equal(t, Format{Encoding: enc, SampleRate: 16000, Channels: channels}, f)
				want := make([]int16, len(pcm))
				for i, s := range pcm {
					want[i] = quantize(enc, s)
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// TestWriterMatchesWrite: the streaming Writer produces the same bytes as
// Write, however the samples are split, also at a non-zero file offset.
func TestWriterMatchesWrite(t *testing.T) {
	for _, enc := range allEncodings {
		t.Run(enc.String(), func(t *testing.T) {
			pcm := testutil.RandomPCM(2*1503, 5)
			var want bytes.Buffer
			require.NoError(t, Write(&want, enc, 22050, 2, pcm))
			for _, split := range []int{1, 7, 160, 4096} {
				path := filepath.Join(t.TempDir(), "out.wav")
				f, err := os.Create(path)
				require.NoError(t, err)
				_, err = f.WriteString("prefix")
				require.NoError(t, err)
				w, err := NewWriter(f, enc, 22050, 2)
				require.NoError(t, err)
				for rest := pcm; len(rest) > 0; {
					n := min(split, len(rest))
					require.NoError(t, w.WritePCM(rest[:n]))
					rest = rest[n:]
				}
				require.NoError(t, w.Close())
				require.NoError(t, w.Close(), "second Close")
				end, err := f.Seek(0, io.SeekCurrent)
				require.NoError(t, err)
				require.NoError(t, f.Close())
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, int64(len(got)), end, "Close leaves the file at its end")
				assert.Equal(t, "prefix", string(got[:6]))
				assert.Equal(t, want.Bytes(), got[6:], "split %d", split)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name     string
		enc      Encoding
		rate, ch int
		pcm      []int16
		msg      string
	}{
		{"encoding zero", 0, 8000, 1, nil, "encoding 0"},
		{"encoding unknown", ALaw + 1, 8000, 1, nil, "encoding 8"},
		{"zero channels", PCM16, 8000, 0, nil, "0 channels: want 1 to 1024"},
		{"too many channels", PCM16, 8000, MaxChannels + 1, nil, "1025 channels"},
		{"zero rate", PCM16, 0, 1, nil, "sample rate 0 Hz"},
		{"huge rate", PCM16, MaxSampleRate + 1, 1, nil, "sample rate 16777217 Hz"},
		{"partial frame", PCM16, 8000, 2, []int16{1, 2, 3}, "3 samples are not a whole number of 2-channel frames"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tt.enc, tt.rate, tt.ch, tt.pcm)
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tt.msg)
			assert.Zero(t, buf.Len(), "nothing written")
		})
	}
}

func TestWriterPartialFrame(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.wav"))
	require.NoError(t, err)
	defer f.Close()
	w, err := NewWriter(f, PCM16, 8000, 2)
	require.NoError(t, err)
	require.NoError(t, w.WritePCM([]int16{1, 2, 3}))
	err = w.Close()
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "3 samples are not a whole number of 2-channel frames")
	assert.ErrorIs(t, w.WritePCM([]int16{4}), ErrInvalid, "write after Close")
}

func TestWriterAllocs(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.wav"))
	require.NoError(t, err)
	defer f.Close()
	w, err := NewWriter(f, ULaw, 8000, 1)
	require.NoError(t, err)
	pcm := testutil.RandomPCM(160, 1)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if err := w.WritePCM(pcm); err != nil {
			t.Fatal(err)
		}
	}))
}

func TestParseEncoding(t *testing.T) {
	for _, enc := range allEncodings {
		got, err := ParseEncoding(enc.String())
		require.NoError(t, err)
		assert.Equal(t, enc, got)
	}
	for name, want := range map[string]Encoding{"s16le": PCM16, "S16LE": PCM16, "PCM16": PCM16, "mulaw": ULaw, "PCMU": ULaw, "pcma": ALaw, "f32le": Float32} {
		got, err := ParseEncoding(name)
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
	for _, enc := range allEncodings {
		for _, a := range EncodingAliases(enc) {
			got, err := ParseEncoding(a)
			require.NoError(t, err, a)
			assert.Equal(t, enc, got, "alias %q", a)
		}
	}
	assert.Contains(t, EncodingAliases(PCM16), "s16le")
	_, err := ParseEncoding("s16be")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, "Encoding(9)", Encoding(9).String())
	assert.Zero(t, Encoding(0).BytesPerSample())
}
