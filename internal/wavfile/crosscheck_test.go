package wavfile_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-audio/wav"

	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crossSource returns one second of a test signal at 8000 Hz: a DTMF-like
// pair of sines, noise and a few full-scale samples.
func crossSource() []int16 {
	pcm := testutil.RandomPCM(8000, 11)
	for i := range pcm {
		x := 9000*math.Sin(2*math.Pi*697*float64(i)/8000) + 9000*math.Sin(2*math.Pi*1209*float64(i)/8000)
		pcm[i] = int16(x + float64(pcm[i])/8)
	}
	pcm[10], pcm[11] = 32767, -32768
	return pcm
}

// soxDecode returns sox's own 16-bit decoding of a file (-D: no dither).
func soxDecode(t *testing.T, sox, path string) []int16 {
	t.Helper()
	out, err := exec.Command(sox, "-D", path, "-t", "raw", "-e", "signed", "-b", "16", "-L", "-").Output()
	require.NoError(t, err, "sox decoding %s", path)
	pcm := make([]int16, len(out)/2)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(out[2*i:]))
	}
	return pcm
}

// maxDiff returns the largest absolute difference of two equal-length
// sample slices.
func maxDiff(t *testing.T, a, b []int16) int {
	t.Helper()
	require.Equal(t, len(a), len(b), "sample counts")
	d := 0
	for i := range a {
		d = max(d, int(math.Abs(float64(a[i])-float64(b[i]))))
	}
	return d
}

// TestReaderMatchesSox converts a wavfile.PCM16 file with sox into every supported
// encoding and checks that the reader decodes each the way sox does. Needs
// sox.
func TestReaderMatchesSox(t *testing.T) {
	sox := testenv.Tool(t, "sox")
	dir := t.TempDir()
	src := filepath.Join(dir, "src.wav")
	var buf bytes.Buffer
	require.NoError(t, wavfile.Write(&buf, wavfile.PCM16, 8000, 1, crossSource()))
	require.NoError(t, os.WriteFile(src, buf.Bytes(), 0o644))
	tests := []struct {
		name string
		args []string // sox output options
		want wavfile.Format
		tol  int // largest allowed difference from sox's decoding
	}{
		{"ulaw", []string{"-e", "mu-law"}, wavfile.Format{Encoding: wavfile.ULaw, SampleRate: 8000, Channels: 1}, 0},
		{"alaw", []string{"-e", "a-law"}, wavfile.Format{Encoding: wavfile.ALaw, SampleRate: 8000, Channels: 1}, 0},
		{"float32", []string{"-e", "floating-point", "-b", "32"}, wavfile.Format{Encoding: wavfile.Float32, SampleRate: 8000, Channels: 1}, 0},
		{"pcm8", []string{"-b", "8"}, wavfile.Format{Encoding: wavfile.PCM8, SampleRate: 8000, Channels: 1}, 0},
		{"pcm24 extensible", []string{"-b", "24"}, wavfile.Format{Encoding: wavfile.PCM24, SampleRate: 8000, Channels: 1, Extensible: true}, 0},
		{"pcm24 plain", []string{"-t", "wavpcm", "-b", "24"}, wavfile.Format{Encoding: wavfile.PCM24, SampleRate: 8000, Channels: 1}, 0},
		{"pcm32", []string{"-b", "32"}, wavfile.Format{Encoding: wavfile.PCM32, SampleRate: 8000, Channels: 1, Extensible: true}, 0},
		{"stereo", []string{"-c", "2"}, wavfile.Format{Encoding: wavfile.PCM16, SampleRate: 8000, Channels: 2}, 0},
		{"3 channels extensible", []string{"-c", "3"}, wavfile.Format{Encoding: wavfile.PCM16, SampleRate: 8000, Channels: 3, Extensible: true}, 0},
		{"44100 Hz float stereo", []string{"-r", "44100", "-c", "2", "-e", "floating-point", "-b", "32"}, wavfile.Format{Encoding: wavfile.Float32, SampleRate: 44100, Channels: 2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.name+".wav")
			args := append([]string{"-D", src}, tt.args...)
			if tt.args[0] != "-t" {
				args = append(args, "-t", "wav")
			}
			require.NoError(t, exec.Command(sox, append(args, out)...).Run())
			f, err := os.Open(out)
			require.NoError(t, err)
			defer f.Close()
			format, got, err := wavfile.ReadAll(f)
			require.NoError(t, err)
			assert.Equal(t, tt.want, format)
			want := soxDecode(t, sox, out)
			assert.LessOrEqual(t, maxDiff(t, want, got), tt.tol)
		})
	}
}

// TestWriterReadBySox: sox reads every file the writer produces, with the
// header's format, and decodes the same samples. Needs sox.
func TestWriterReadBySox(t *testing.T) {
	sox := testenv.Tool(t, "sox")
	pcm := testutil.RandomPCM(2*999, 13) // odd data sizes for 8-bit encodings
	for _, enc := range wavfile.AllEncodings {
		t.Run(enc.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.wav")
			var buf bytes.Buffer
			require.NoError(t, wavfile.Write(&buf, enc, 16000, 2, pcm))
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			info, err := exec.Command(sox, "--i", "-r", path).Output()
			require.NoError(t, err)
			assert.Equal(t, "16000\n", string(info))
			info, err = exec.Command(sox, "--i", "-s", path).Output()
			require.NoError(t, err)
			assert.Equal(t, "999\n", string(info), "frames")
			_, got, err := wavfile.ReadAll(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			assert.Zero(t, maxDiff(t, soxDecode(t, sox, path), got))
		})
	}
}

// TestReaderMatchesGoAudio decodes PCM files with github.com/go-audio/wav
// and checks the reader against it, scaled to 16 bits.
func TestReaderMatchesGoAudio(t *testing.T) {
	pcm := testutil.RandomPCM(2*1000, 17)
	for _, enc := range []wavfile.Encoding{wavfile.PCM8, wavfile.PCM16, wavfile.PCM24, wavfile.PCM32} {
		t.Run(enc.String(), func(t *testing.T) {
			// go-audio needs a file; give it non-trivial values at every
			// depth by writing our samples scaled, then offset below 16 bits.
			var buf bytes.Buffer
			require.NoError(t, wavfile.Write(&buf, enc, 8000, 2, pcm))
			b := buf.Bytes()
			if enc == wavfile.PCM24 || enc == wavfile.PCM32 { // fill the low bytes too
				bps := enc.BytesPerSample()
				for i := 44; i+bps <= len(b); i += bps {
					b[i] = byte(i * 7)
				}
			}
			path := filepath.Join(t.TempDir(), "g.wav")
			require.NoError(t, os.WriteFile(path, b, 0o644))
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			d := wav.NewDecoder(f)
			ref, err := d.FullPCMBuffer()
			require.NoError(t, err)
			_, got, err := wavfile.ReadAll(bytes.NewReader(b))
			require.NoError(t, err)
			require.Len(t, got, len(ref.Data))
			for i, v := range ref.Data {
				var want int
				switch enc {
				case wavfile.PCM8:
					want = (v - 128) << 8
				case wavfile.PCM16:
					want = v
				case wavfile.PCM24:
					want = min((v+128)>>8, math.MaxInt16)
				case wavfile.PCM32:
					want = min((v+32768)>>16, math.MaxInt16)
				}
				if !assert.Equal(t, want, int(got[i]), "sample %d (go-audio %d)", i, v) {
					return
				}
			}
		})
	}
}
