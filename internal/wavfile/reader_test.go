package wavfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"runtime"
	"testing"
	"testing/iotest"

	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReaderErrors(t *testing.T) {
	pcm := testutil.PCM16Bytes(1, 2, 3, 4)
	fmt16 := testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2))
	tests := []struct {
		name string
		in   []byte
		err  error
		msg  string
	}{
		{"empty", nil, ErrNotWAV, "empty input"},
		{"short not riff", []byte("ID3"), ErrNotWAV, `only 3 bytes, starting "ID3"`},
		{"short riff", []byte("RIFF\x10\x00"), ErrTruncated, "input ends after 6 bytes, inside the 12-byte RIFF header"},
		{"not riff", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"), ErrNotWAV, `starts with "OggS", not "RIFF"`},
		{"riff not wave", []byte("RIFF\x04\x00\x00\x00AVI "), ErrNotWAV, `RIFF form type "AVI ", not "WAVE"`},
		{"rifx", []byte("RIFX\x04\x00\x00\x00WAVE"), ErrUnsupported, "RIFX container"},
		{"rf64", []byte("RF64\xff\xff\xff\xffWAVE"), ErrUnsupported, "RF64 container"},
		{"no chunks", testutil.RIFF(), ErrMalformed, "no fmt chunk"},
		{"no fmt", testutil.RIFF(testutil.Chunk("data", pcm)), ErrMalformed, "data chunk before the fmt chunk"},
		{"no fmt only list", testutil.RIFF(testutil.Chunk("LIST", []byte("INFO"))), ErrMalformed, "no fmt chunk"},
		{"no data", testutil.RIFF(fmt16), ErrMalformed, "no data chunk"},
		{"no data after list", testutil.RIFF(fmt16, testutil.Chunk("LIST", []byte("INFOx"))), ErrMalformed, "no data chunk"},
		{"chunk header cut", append(testutil.RIFF(fmt16), "dat"...), ErrMalformed, "no data chunk"},
		{"chunk header cut after id", append(testutil.RIFF(fmt16), "data\x04\x00"...), ErrTruncated, `input ends inside the header of chunk "data"`},
		{"list past eof", testutil.RIFF(fmt16, testutil.RawChunk("LIST", 1<<31, []byte("INFO"))), ErrTruncated, `"LIST" chunk declares 2147483648 bytes, input ends after 4`},
		{"fmt past eof", testutil.RIFF(testutil.RawChunk("fmt ", 16, []byte{1, 0, 1})), ErrTruncated, "fmt chunk declares 16 bytes, input ends after 3"},
		{"fmt too short", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2)[:14]), testutil.Chunk("data", pcm)), ErrMalformed, "fmt chunk of 14 bytes: want at least 16"},
		{"two fmt", testutil.RIFF(fmt16, fmt16, testutil.Chunk("data", pcm)), ErrMalformed, "a second fmt chunk"},
		{"zero channels", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 0, 8000, 16, 0)), testutil.Chunk("data", pcm)), ErrMalformed, "0 channels"},
		{"too many channels", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 2000, 8000, 16, 4000)), testutil.Chunk("data", pcm)), ErrUnsupported, "2000 channels: at most 1024 are read"},
		{"zero rate", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 0, 16, 2)), testutil.Chunk("data", pcm)), ErrMalformed, "sample rate 0 Hz"},
		{"absurd rate", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 0xFFFFFFFF, 16, 2)), testutil.Chunk("data", pcm)), ErrUnsupported, "sample rate 4294967295 Hz"},
		{"12-bit pcm", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 12, 2)), testutil.Chunk("data", pcm)), ErrUnsupported, "12-bit PCM: want 8, 16, 24 or 32 bits"},
		{"64-bit pcm", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 64, 8)), testutil.Chunk("data", pcm)), ErrUnsupported, "64-bit PCM"},
		{"64-bit float", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codeFloat, 1, 8000, 64, 8)), testutil.Chunk("data", pcm)), ErrUnsupported, "64-bit IEEE float: want 32 bits"},
		{"16-bit ulaw", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codeULaw, 1, 8000, 16, 2)), testutil.Chunk("data", pcm)), ErrUnsupported, "16-bit µ-law: want 8 bits"},
		{"adpcm", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(0x0002, 1, 8000, 4, 256)), testutil.Chunk("data", pcm)), ErrUnsupported, "format code 0x0002 (Microsoft ADPCM)"},
		{"gsm", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(0x0031, 1, 8000, 0, 65)), testutil.Chunk("data", pcm)), ErrUnsupported, "format code 0x0031 (GSM 6.10)"},
		{"unknown code", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(0x1234, 1, 8000, 16, 2)), testutil.Chunk("data", pcm)), ErrUnsupported, "format code 0x1234 (unknown)"},
		{"block align", testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 2, 8000, 16, 2)), testutil.Chunk("data", pcm)), ErrMalformed, "block align 2 bytes: want 4 (2 channels of 2 bytes)"},
		{"extensible short", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codePCM, 1, 8000, 16, 16, 0, testutil.KSGUIDTail)[:24]), testutil.Chunk("data", pcm)), ErrMalformed, "WAVE_FORMAT_EXTENSIBLE fmt chunk of 24 bytes: want 40"},
		{"extensible adpcm", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(0x0002, 1, 8000, 16, 16, 0, testutil.KSGUIDTail)), testutil.Chunk("data", pcm)), ErrUnsupported, "WAVE_FORMAT_EXTENSIBLE sub-format GUID {00000002-0000-0010-8000-00AA00389B71} (Microsoft ADPCM)"},
		{"extensible nested", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codeExtensible, 1, 8000, 16, 16, 0, testutil.KSGUIDTail)), testutil.Chunk("data", pcm)), ErrUnsupported, "sub-format GUID {0000FFFE-"},
		{"extensible 64-bit float", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codeFloat, 1, 8000, 64, 64, 0, testutil.KSGUIDTail)), testutil.Chunk("data", pcm)), ErrUnsupported, "64-bit IEEE float"},
		{"extensible 12-bit container", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codePCM, 1, 8000, 12, 12, 0, testutil.KSGUIDTail)), testutil.Chunk("data", pcm)), ErrUnsupported, "12-bit PCM"},
		{"extensible valid bits too many", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codePCM, 1, 8000, 16, 24, 0, testutil.KSGUIDTail)), testutil.Chunk("data", pcm)), ErrMalformed, "24 valid bits in a 16-bit sample"},
		{"extensible foreign guid", testutil.RIFF(testutil.Chunk("fmt ", append(testutil.ExtBody(codePCM, 1, 8000, 16, 16, 0, testutil.KSGUIDTail)[:24], "\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x72"...)), testutil.Chunk("data", pcm)), ErrUnsupported, "{00000001-0000-0010-8000-00AA00389B72}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.in))
			require.Error(t, err)
			assert.Nil(t, r)
			assert.ErrorIs(t, err, tt.err)
			assert.Contains(t, err.Error(), tt.msg)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

// readAllChunked reads r to the end with a dst of n samples.
func readAllChunked(t *testing.T, r *Reader, n int) ([]int16, error) {
	t.Helper()
	dst := make([]int16, n)
	var out []int16
	for {
		k, err := r.Read(dst)
		require.Zero(t, k%r.Format().Channels, "partial frame delivered")
		out = append(out, dst[:k]...)
		if err != nil {
			require.Zero(t, k, "data returned with an error")
			if err == io.EOF {
				return out, nil
			}
			return out, err
		}
		require.NotZero(t, k, "Read returned 0, nil")
	}
}

func TestReaderEndOfData(t *testing.T) {
	fmt16 := testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2))
	fmtStereo := testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 2, 8000, 16, 4))
	tests := []struct {
		name     string
		in       []byte
		want     []int16
		declared int64
		err      error
		msg      string
	}{
		{"exact", testutil.RIFF(fmt16, testutil.Chunk("data", testutil.PCM16Bytes(1, -2, 3))), []int16{1, -2, 3}, 6, nil, ""},
		{"list after data ignored", testutil.RIFF(fmt16, testutil.Chunk("data", testutil.PCM16Bytes(1, -2)), testutil.Chunk("LIST", []byte("INFOabc"))), []int16{1, -2}, 4, nil, ""},
		{"size zero reads to eof", testutil.RIFF(fmt16, testutil.RawChunk("data", 0, testutil.PCM16Bytes(5, 6, 7))), []int16{5, 6, 7}, -1, nil, ""},
		{"size ffffffff reads to eof", testutil.RIFF(fmt16, testutil.RawChunk("data", 0xFFFFFFFF, testutil.PCM16Bytes(5, 6))), []int16{5, 6}, -1, nil, ""},
		{"size zero and empty", testutil.RIFF(fmt16, testutil.RawChunk("data", 0, nil)), nil, -1, nil, ""},
		{"past eof", testutil.RIFF(fmt16, testutil.RawChunk("data", 100, testutil.PCM16Bytes(1, 2, 3))), []int16{1, 2, 3}, 100, ErrTruncated, "data chunk declares 100 bytes, input ends after 6"},
		{"past eof mid frame", testutil.RIFF(fmtStereo, testutil.RawChunk("data", 100, testutil.PCM16Bytes(1, 2, 3))), []int16{1, 2}, 100, ErrTruncated, "data chunk declares 100 bytes, input ends after 6"},
		{"odd declared size", testutil.RIFF(fmt16, testutil.Chunk("data", []byte{1, 0, 2, 0, 3})), []int16{1, 2}, 5, ErrMalformed, "data chunk size 5 is not a whole number of 2-byte frames"},
		{"unknown size partial frame", testutil.RIFF(fmt16, testutil.RawChunk("data", 0, []byte{1, 0, 2})), []int16{1}, -1, ErrTruncated, "input ends inside a frame (1 of 2 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range []int{2, 7, 4096} {
				r, err := NewReader(bytes.NewReader(tt.in))
				require.NoError(t, err)
				assert.Equal(t, tt.declared, r.DataSize())
				got, err := readAllChunked(t, r, n)
				assert.Equal(t, tt.want, got)
				assert.Equal(t, int64(len(tt.want)/r.Format().Channels), r.Position())
				if tt.err == nil {
					assert.NoError(t, err)
					continue
				}
				require.ErrorIs(t, err, tt.err)
				assert.Contains(t, err.Error(), tt.msg)
				_, again := r.Read(make([]int16, 8))
				assert.Equal(t, err, again, "error is sticky")
			}
		})
	}
}

func TestReaderChunkSkipping(t *testing.T) {
	fmt16 := testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2))
	data := testutil.Chunk("data", testutil.PCM16Bytes(100, -100, 32767, -32768))
	want := []int16{100, -100, 32767, -32768}
	longFmt := append(testutil.FmtBody(codePCM, 1, 8000, 16, 2), make([]byte, 51)...) // 67 bytes: odd, longer than 40
	tests := []struct {
		name string
		in   []byte
	}{
		{"plain", testutil.RIFF(fmt16, data)},
		{"list and fact before fmt", testutil.RIFF(testutil.Chunk("LIST", []byte("INFOISFT\x03\x00\x00\x00ab\x00")), testutil.Chunk("fact", []byte{4, 0, 0, 0}), fmt16, data)},
		{"odd chunk with pad", testutil.RIFF(fmt16, testutil.Chunk("junk", []byte("odd")), data)},
		{"odd chunk without pad", testutil.RIFF(fmt16, testutil.RawChunk("junk", 3, []byte("odd")), data)},
		{"odd chunk without pad before data byte", testutil.RIFF(fmt16, testutil.RawChunk("junk", 1, []byte("x")), data)},
		{"empty chunks", testutil.RIFF(testutil.Chunk("bext", nil), fmt16, testutil.Chunk("cue ", nil), data)},
		{"fmt longer than 40", testutil.RIFF(testutil.Chunk("fmt ", longFmt), data)},
		{"fmt 18 bytes", testutil.RIFF(testutil.Chunk("fmt ", append(testutil.FmtBody(codePCM, 1, 8000, 16, 2), 0, 0)), data)},
		{"wrong riff size", append(append([]byte("RIFF\xff\xff\xff\xffWAVE"), fmt16...), data...)},
		{"extensible pcm16", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codePCM, 1, 8000, 16, 16, 0, testutil.KSGUIDTail)), data)},
		{"extensible pcm16 valid 12", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codePCM, 1, 8000, 16, 12, 0, testutil.KSGUIDTail)), data)},
		{"extensible valid 0", testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codePCM, 1, 8000, 16, 0, 0, testutil.KSGUIDTail)), data)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.in))
			require.NoError(t, err)
			assert.Equal(t, Format{Encoding: PCM16, SampleRate: 8000, Channels: 1, Extensible: r.Format().Extensible}, r.Format())
			got, err := readAllChunked(t, r, 3)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestReaderConversions(t *testing.T) {
	le := binary.LittleEndian
	f32 := func(x ...float32) []byte {
		var b []byte
		for _, v := range x {
			b = le.AppendUint32(b, math.Float32bits(v))
		}
		return b
	}
	i32 := func(x ...int32) []byte {
		var b []byte
		for _, v := range x {
			b = le.AppendUint32(b, uint32(v))
		}
		return b
	}
	tests := []struct {
		name string
		fmt  []byte
		data []byte
		want []int16
	}{
		{"pcm8 unsigned", testutil.FmtBody(codePCM, 1, 8000, 8, 1), []byte{0, 1, 127, 128, 129, 255}, []int16{-32768, -32512, -256, 0, 256, 32512}},
		{"pcm24 rounds", testutil.FmtBody(codePCM, 1, 8000, 24, 3),
			[]byte{0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0x7f, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0xff, 0xff},
			[]int16{32767, -32768, 0, 1, 0, -1}},
		{"pcm32 rounds", testutil.FmtBody(codePCM, 1, 8000, 32, 4), i32(math.MaxInt32, math.MinInt32, 0x7fff, 0x8000, -0x8000, -0x8001, 0x12345678),
			[]int16{32767, -32768, 0, 1, 0, -1, 0x1234}},
		{"float32 scale and saturate", testutil.FmtBody(codeFloat, 1, 8000, 32, 4), f32(0, 0.5, -0.5, 1, -1, 2, -2, 1.0/32768, 0.4/32768, -0.6/32768, 0.5/32768, -0.5/32768, -1.5/32768),
			[]int16{0, 16384, -16384, 32767, -32768, 32767, -32768, 1, 0, -1, 1, 0, -1}},
		{"ulaw", testutil.FmtBody(codeULaw, 1, 8000, 8, 1), []byte{0xff, 0x7f, 0x00, 0x80}, []int16{0, 0, -32124, 32124}},
		{"alaw", testutil.FmtBody(codeALaw, 1, 8000, 8, 1), []byte{0xd5, 0x55, 0x2a, 0xaa}, []int16{8, -8, -32256, 32256}},
		{"extensible float", testutil.ExtBody(codeFloat, 1, 8000, 32, 32, 0, testutil.KSGUIDTail), f32(0.25), []int16{8192}},
		{"extensible ulaw", testutil.ExtBody(codeULaw, 1, 8000, 8, 8, 0, testutil.KSGUIDTail), []byte{0x80}, []int16{32124}},
		{"extensible alaw", testutil.ExtBody(codeALaw, 1, 8000, 8, 8, 0, testutil.KSGUIDTail), []byte{0xaa}, []int16{32256}},
		{"extensible pcm24 valid 20", testutil.ExtBody(codePCM, 1, 8000, 24, 20, 0, testutil.KSGUIDTail), []byte{0x00, 0x00, 0x40}, []int16{16384}},
		{"extensible pcm32 valid 24", testutil.ExtBody(codePCM, 1, 8000, 32, 24, 0, testutil.KSGUIDTail), i32(-0x40000000), []int16{-16384}},
		{"extensible pcm8", testutil.ExtBody(codePCM, 1, 8000, 8, 8, 0, testutil.KSGUIDTail), []byte{192}, []int16{16384}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, got, err := ReadAll(bytes.NewReader(testutil.RIFF(testutil.Chunk("fmt ", tt.fmt), testutil.Chunk("data", tt.data))))
			require.NoError(t, err)
			assert.Equal(t, 1, f.Channels)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestReaderNonFinite(t *testing.T) {
	le := binary.LittleEndian
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		t.Run(fmtFloat(bad), func(t *testing.T) {
			// Stereo, 1000 Hz: frame 700 channel 1 is bad (sample 1401).
			var data []byte
			for i := range 2000 {
				x := float32(i%7) / 8
				if i == 1401 {
					x = bad
				}
				data = le.AppendUint32(data, math.Float32bits(x))
			}
			in := testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codeFloat, 2, 1000, 32, 8)), testutil.Chunk("data", data))
			for _, n := range []int{2, 160, 4096} {
				r, err := NewReader(bytes.NewReader(in))
				require.NoError(t, err)
				got, err := readAllChunked(t, r, n)
				require.ErrorIs(t, err, ErrNonFinite)
				assert.Contains(t, err.Error(), fmtFloat(bad)+" at frame 700 (0.700 s), channel 1")
				assert.Len(t, got, 1400, "frames before the bad one are delivered")
				assert.Equal(t, int64(700), r.Position())
			}
		})
	}
}

func fmtFloat(x float32) string {
	switch {
	case math.IsNaN(float64(x)):
		return "NaN"
	case math.IsInf(float64(x), 1):
		return "+Inf"
	case math.IsInf(float64(x), -1):
		return "-Inf"
	}
	return "finite"
}

func TestReaderShortBuffer(t *testing.T) {
	in := testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 3, 8000, 16, 6)), testutil.Chunk("data", testutil.PCM16Bytes(1, 2, 3, 4, 5, 6)))
	r, err := NewReader(bytes.NewReader(in))
	require.NoError(t, err)
	n, err := r.Read(make([]int16, 2))
	assert.Zero(t, n)
	assert.ErrorIs(t, err, io.ErrShortBuffer)
	got, err := readAllChunked(t, r, 5) // 5 holds one 3-channel frame
	require.NoError(t, err)
	assert.Equal(t, []int16{1, 2, 3, 4, 5, 6}, got)
}

// TestReaderChunkingInvariance: any dst size and any split of the
// underlying reads give the same samples.
func TestReaderChunkingInvariance(t *testing.T) {
	pcm := testutil.RandomPCM(3*4001, 7)
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, PCM24, 16000, 3, pcm))
	_, whole, err := ReadAll(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	require.Len(t, whole, len(pcm))
	for _, n := range []int{3, 7, 80, 160, 237, 1 << 16} {
		for name, src := range map[string]io.Reader{
			"bytes":    bytes.NewReader(buf.Bytes()),
			"onebyte":  iotest.OneByteReader(bytes.NewReader(buf.Bytes())),
			"halfread": iotest.HalfReader(bytes.NewReader(buf.Bytes())),
		} {
			r, err := NewReader(src)
			require.NoError(t, err)
			got, err := readAllChunked(t, r, n)
			require.NoError(t, err, "dst %d, %s", n, name)
			assert.Equal(t, whole, got, "dst %d, %s", n, name)
		}
	}
}

// TestReaderStreams checks that Read returns what has arrived without
// waiting for more: a live pipe is decoded as it comes.
func TestReaderStreams(t *testing.T) {
	pr, pw := io.Pipe()
	defer pr.Close()
	hdr := testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2)), testutil.RawChunk("data", 0xFFFFFFFF, nil))
	go func() {
		_, _ = pw.Write(hdr)
		_, _ = pw.Write(testutil.PCM16Bytes(1, 2, 3))
		_, _ = pw.Write([]byte{4}) // half a sample: held back
	}()
	r, err := NewReader(pr)
	require.NoError(t, err)
	dst := make([]int16, 100)
	n, err := r.Read(dst)
	require.NoError(t, err)
	assert.Equal(t, []int16{1, 2, 3}, dst[:n])
	go func() {
		_, _ = pw.Write([]byte{0})
		pw.Close()
	}()
	n, err = r.Read(dst)
	require.NoError(t, err)
	assert.Equal(t, []int16{4}, dst[:n])
	_, err = r.Read(dst)
	assert.Equal(t, io.EOF, err)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestReaderUnderlyingError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := NewReader(errReader{boom})
	assert.ErrorIs(t, err, boom)
	hdr := testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2)), testutil.RawChunk("data", 0, nil))
	r, err := NewReader(io.MultiReader(bytes.NewReader(hdr), bytes.NewReader(testutil.PCM16Bytes(9)), errReader{boom}))
	require.NoError(t, err)
	got, err := readAllChunked(t, r, 10)
	assert.Equal(t, []int16{9}, got)
	assert.ErrorIs(t, err, boom)
}

func TestReaderAllocs(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, Float32, 8000, 2, testutil.RandomPCM(2*16000, 3)))
	in := bytes.NewReader(buf.Bytes())
	r, err := NewReader(in)
	require.NoError(t, err)
	dst := make([]int16, 160)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := r.Read(dst); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// TestReaderBoundedAllocation: headers declaring huge sizes do not make
// the reader allocate more than its fixed buffers.
func TestReaderBoundedAllocation(t *testing.T) {
	fmt16 := testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2))
	tests := map[string][]byte{
		"huge list":   testutil.RIFF(fmt16, testutil.RawChunk("LIST", 0xFFFFFFF0, []byte("INFO"))),
		"huge fmt":    testutil.RIFF(testutil.RawChunk("fmt ", 0xFFFFFFF0, testutil.FmtBody(codePCM, 1, 8000, 16, 2))),
		"huge data":   testutil.RIFF(fmt16, testutil.RawChunk("data", 0xFFFFFFF0, testutil.PCM16Bytes(1, 2, 3))),
		"max channel": testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, MaxChannels, 8000, 32, 4*MaxChannels)), testutil.RawChunk("data", 0xFFFFFFF0, make([]byte, 100))),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range 10 {
				_, _, _ = ReadAll(bytes.NewReader(in))
			}
			runtime.ReadMemStats(&after)
			perCall := (after.TotalAlloc - before.TotalAlloc) / 10
			assert.Less(t, perCall, uint64(64<<10), "bytes allocated per ReadAll")
		})
	}
}
