package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// The bad-input matrix of decode_test.go (TestDecodeBadInput) covers the
// hardening issue's list; the cases here complete it: every
// WAVE_FORMAT_EXTENSIBLE sub-format the reader names and the malformed
// extensible headers, odd and partial sizes in more places, the limits of
// the rate and channel fields, other containers, symbolic links, special
// files, file names that could break the one-line error, stdin failing
// or closed early in several ways, and a closed stdout. Then a whole
// directory of such files in one batch, and a fuzz target that puts any
// bytes between two good files.

// extFmt is a WAVE_FORMAT_EXTENSIBLE fmt chunk: channels at 8000 Hz,
// container bits, valid bits, speaker mask front left and right,
// sub-format code sub with GUID tail tail.
func extFmt(sub uint16, channels, bits, valid int, tail []byte) []byte {
	return testutil.Chunk("fmt ", testutil.ExtBody(sub, channels, 8000, bits, valid, 3, tail))
}

// hardCase is one bad (or surprising but acceptable) input decoded before a
// good file.
type hardCase struct {
	name   string
	data   []byte                         // file content, written as name.wav
	path   func(t *testing.T) string      // or: a path made by the case
	msg    string                         // the error after "dtmf decode: PATH: "; "" if none
	digits string                         // digits decoded from the bad file itself
	check  func(t *testing.T, out string) // more checks on stdout, if any
}

// runHardCases decodes each case before a good copy of the sample and
// checks the one-line error, the exit code, the digits of the bad file and
// that the good one is decoded in full.
func runHardCases(t *testing.T, dir string, tests []hardCase) {
	t.Helper()
	tr := loadTruth(t)
	good := writeWAV(t, dir, "good.wav", wavfile.PCM16, 8000, 1, loadSample(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.NewReplacer(" ", "_", "/", "_").Replace(tt.name)+".wav")
			if tt.path != nil {
				path = tt.path(t)
			} else {
				require.NoError(t, os.WriteFile(path, tt.data, 0o644))
			}
			code, out, errOut := decodeRun(t, nil, path, good)
			var bad, fine []line
			for _, l := range parseLines(t, out) {
				if l.Session == "good" {
					fine = append(fine, l)
				} else {
					bad = append(bad, l)
				}
			}
			assert.Equal(t, tr.Digits, digitsOf(fine), "the good file is still decoded")
			assert.Equal(t, tt.digits, digitsOf(bad), "digits decoded from the bad file")
			if tt.check != nil {
				tt.check(t, out)
			}
			if tt.msg == "" {
				assert.Equal(t, 0, code)
				assert.Empty(t, errOut)
				return
			}
			assert.Equal(t, 1, code)
			assert.Equal(t, "dtmf decode: "+path+": "+tt.msg+"\n", errOut)
		})
	}
}

// TestDecodeExtensibleMatrix: WAVE_FORMAT_EXTENSIBLE with each sub-format —
// the decodable ones at every container size and with fewer valid bits,
// every compressed format the reader names, nested and non-standard GUIDs
// — and malformed extensible headers.
func TestDecodeExtensibleMatrix(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	dir := t.TempDir()
	pcmData := encode(t, wavfile.PCM16, pcm)
	tests := []hardCase{
		{name: "pcm8", data: testutil.RIFF(extFmt(1, 1, 8, 8, testutil.KSGUIDTail), testutil.Chunk("data", encode(t, wavfile.PCM8, pcm))), digits: tr.Digits},
		{name: "pcm32", data: testutil.RIFF(extFmt(1, 1, 32, 32, testutil.KSGUIDTail), testutil.Chunk("data", encode(t, wavfile.PCM32, pcm))), digits: tr.Digits},
		{name: "pcm 20 valid bits of 24", data: testutil.RIFF(extFmt(1, 1, 24, 20, testutil.KSGUIDTail), testutil.Chunk("data", encode(t, wavfile.PCM24, pcm))), digits: tr.Digits},
		{name: "pcm 0 valid bits", data: testutil.RIFF(extFmt(1, 1, 16, 0, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)), digits: tr.Digits},
		{name: "valid bits above the container", data: testutil.RIFF(extFmt(1, 1, 16, 24, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
			msg: "malformed WAV file: 24 valid bits in a 16-bit sample"},
		{name: "ulaw 16-bit", data: testutil.RIFF(extFmt(7, 1, 16, 16, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: 16-bit µ-law: want 8 bits"},
		{name: "alaw 16-bit", data: testutil.RIFF(extFmt(6, 1, 16, 16, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: 16-bit A-law: want 8 bits"},
		{name: "float 16-bit", data: testutil.RIFF(extFmt(3, 1, 16, 16, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: 16-bit IEEE float: want 32 bits"},
		{name: "extensible inside extensible", data: testutil.RIFF(extFmt(0xFFFE, 1, 16, 16, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: WAVE_FORMAT_EXTENSIBLE sub-format GUID {0000FFFE-0000-0010-8000-00AA00389B71}"},
		{name: "ambisonic GUID", data: testutil.RIFF(extFmt(1, 1, 16, 16, []byte{0x00, 0x00, 0x21, 0x07, 0xD3, 0x11, 0x86, 0x44, 0xC8, 0xC1, 0xCA, 0x00, 0x00, 0x00}),
			testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: WAVE_FORMAT_EXTENSIBLE sub-format GUID {00000001-0721-11D3-8644-C8C1CA000000}"},
		{name: "fmt of 18 bytes", data: testutil.RIFF(testutil.Chunk("fmt ", extFmt(1, 1, 16, 16, testutil.KSGUIDTail)[8:8+18]), testutil.Chunk("data", pcmData)),
			msg: "malformed WAV file: WAVE_FORMAT_EXTENSIBLE fmt chunk of 18 bytes: want 40"},
		{name: "fmt of 39 bytes", data: testutil.RIFF(testutil.Chunk("fmt ", extFmt(1, 1, 16, 16, testutil.KSGUIDTail)[8:8+39]), testutil.Chunk("data", pcmData)),
			msg: "malformed WAV file: WAVE_FORMAT_EXTENSIBLE fmt chunk of 39 bytes: want 40"},
		{name: "stereo float NaN in channel 1", data: func() []byte {
			st := make([]int16, 2*len(pcm))
			for i, v := range pcm {
				st[2*i] = v
			}
			d := encode2(t, wavfile.Float32, 2, st)
			binary.LittleEndian.PutUint32(d[4*(2*36000+1):], math.Float32bits(float32(math.NaN())))
			return testutil.RIFF(extFmt(3, 2, 32, 32, testutil.KSGUIDTail), testutil.Chunk("data", d))
		}(), msg: "non-finite sample: NaN at frame 36000 (4.500 s), channel 1", digits: tr.Digits},
	}
	for _, c := range []struct {
		code uint16
		name string
	}{
		{0x0000, "unknown"}, {0x0002, "Microsoft ADPCM"}, {0x0011, "IMA ADPCM"}, {0x0031, "GSM 6.10"},
		{0x0040, "G.721 ADPCM"}, {0x0050, "MPEG"}, {0x0055, "MP3"}, {0x0064, "G.726 ADPCM"}, {0x0065, "G.722 ADPCM"},
		{0x0161, "WMA"}, {0x0162, "WMA"}, {0x0163, "WMA"}, {0x1610, "AAC"}, {0xF1AC, "FLAC"}, {0x7777, "unknown"},
	} {
		tests = append(tests, hardCase{
			name: fmt.Sprintf("sub-format 0x%04X", c.code),
			data: testutil.RIFF(extFmt(c.code, 1, 16, 16, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
			msg: fmt.Sprintf("unsupported WAV format: WAVE_FORMAT_EXTENSIBLE sub-format GUID {%08X-0000-0010-8000-00AA00389B71} (%s)",
				c.code, c.name),
		})
	}
	runHardCases(t, dir, tests)
}

// encode2 returns interleaved pcm of channels as the data bytes of enc.
func encode2(t *testing.T, enc wavfile.Encoding, channels int, pcm []int16) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, wavfile.Write(&buf, enc, 8000, channels, pcm))
	i := bytes.Index(buf.Bytes(), []byte("data"))
	require.Positive(t, i)
	return buf.Bytes()[i+8 : i+8+len(pcm)*enc.BytesPerSample()]
}

// TestDecodeSizesAndFieldsMatrix: odd and partial sizes in every place,
// the limits of the channel and rate fields, other RIFF-like containers.
func TestDecodeSizesAndFieldsMatrix(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	dir := t.TempDir()
	pcmData := encode(t, wavfile.PCM16, pcm)
	fmt16 := testutil.FmtChunk(1, 1, 8000, 16, 2)
	fmt17 := testutil.Chunk("fmt ", append(fmt16[8:24:24], 0)) // 17 bytes + pad
	stereo := make([]int16, 2*len(pcm))
	for i, v := range pcm {
		stereo[2*i] = v
	}
	stData := encode2(t, wavfile.PCM16, 2, stereo)
	s48 := synth.New(48000, 1)
	s48.Silence(50)
	for _, d := range []byte("48#") {
		require.NoError(t, s48.Add(synth.Tone{Digit: d, Duration: 80, LowLevel: -10, HighLevel: -11}))
		s48.Silence(80)
	}
	tests := []hardCase{
		{name: "odd fmt size with pad", data: testutil.RIFF(fmt17, testutil.Chunk("data", pcmData)), digits: tr.Digits},
		{name: "odd fmt size without pad", data: testutil.RIFF(fmt17[:len(fmt17)-1], testutil.Chunk("data", pcmData)), digits: tr.Digits},
		{name: "odd ulaw data with pad", data: testutil.RIFF(testutil.FmtChunk(7, 1, 8000, 8, 1),
			testutil.Chunk("data", encode(t, wavfile.ULaw, pcm[:len(pcm)-1]))), digits: tr.Digits},
		{name: "stereo data size not whole frames", data: testutil.RIFF(testutil.FmtChunk(1, 2, 8000, 16, 4), testutil.Chunk("data", stData[:len(stData)-2])),
			msg: fmt.Sprintf("malformed WAV file: data chunk size %d is not a whole number of 4-byte frames", len(stData)-2), digits: tr.Digits},
		{name: "input ends inside a frame", data: testutil.RIFF(testutil.FmtChunk(1, 2, 8000, 16, 4), testutil.RawChunk("data", 0, stData[:len(stData)-1])),
			msg: "truncated: input ends inside a frame (3 of 4 bytes)", digits: tr.Digits},
		{name: "fmt past eof", data: testutil.RIFF(testutil.RawChunk("fmt ", 100, fmt16[8:])),
			msg: "truncated: fmt chunk declares 100 bytes, input ends after 16"},
		{name: "junk chunk past eof", data: testutil.RIFF(fmt16, testutil.RawChunk("JUNK", 0xFFFFFFF0, []byte("junk"))),
			msg: `truncated: "JUNK" chunk declares 4294967280 bytes, input ends after 4`},
		{name: "riff size 0", data: func() []byte {
			b := testutil.RIFF(fmt16, testutil.Chunk("data", pcmData))
			binary.LittleEndian.PutUint32(b[4:], 0)
			return b
		}(), digits: tr.Digits},
		{name: "riff size past eof", data: func() []byte {
			b := testutil.RIFF(fmt16, testutil.Chunk("data", pcmData))
			binary.LittleEndian.PutUint32(b[4:], 0xFFFFFFFF)
			return b
		}(), digits: tr.Digits},
		{name: "0 bits", data: testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 0, 2), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: 0-bit PCM: want 8, 16, 24 or 32 bits"},
		{name: "1025 channels", data: testutil.RIFF(testutil.FmtChunk(1, 1025, 8000, 16, 2050), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: 1025 channels: at most 1024 are read"},
		{name: "1024 channels", data: testutil.RIFF(testutil.FmtChunk(1, 1024, 8000, 16, 2048), testutil.Chunk("data", make([]byte, 2048*400)))},
		{name: "4294967295 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, math.MaxUint32, 16, 2), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: sample rate 4294967295 Hz: at most 16777216 Hz is read"},
		{name: "16777216 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, 1<<24, 16, 2), testutil.Chunk("data", pcmData)),
			msg: "sample rate 16777216 Hz not supported: want 8000 to 48000 Hz"},
		{name: "48000 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, 48000, 16, 2), testutil.Chunk("data", encode(t, wavfile.PCM16, s48.PCM()))), digits: "48#"},
		{name: "RF64", data: append([]byte("RF64"), testutil.RIFF(fmt16, testutil.Chunk("data", pcmData))[4:]...),
			msg: "unsupported WAV format: RF64 container (only little-endian RIFF is read)"},
		{name: "RIFX", data: append([]byte("RIFX"), testutil.RIFF(fmt16, testutil.Chunk("data", pcmData))[4:]...),
			msg: "unsupported WAV format: RIFX container (only little-endian RIFF is read)"},
		{name: "zeros", data: make([]byte, 1<<16), msg: `not a WAV file: starts with "\x00\x00\x00\x00", not "RIFF"`},
		{name: "a WAV file after 1 byte", data: append([]byte{0}, testutil.RIFF(fmt16, testutil.Chunk("data", pcmData))...),
			msg: `not a WAV file: starts with "\x00RIF", not "RIFF"`},
	}
	runHardCases(t, dir, tests)
}

// TestDecodeSpecialFiles: symbolic links (good, dangling, looping),
// /dev/null, and a named pipe, which is read like any file once a writer
// opens it.
func TestDecodeSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links and named pipes")
	}
	tr := loadTruth(t)
	dir := t.TempDir()
	target := writeWAV(t, dir, "target.wav", wavfile.ULaw, 8000, 1, loadSample(t))
	link := func(name, to string) func(t *testing.T) string {
		return func(t *testing.T) string {
			p := filepath.Join(dir, name)
			require.NoError(t, os.Symlink(to, p))
			return p
		}
	}
	runHardCases(t, dir, []hardCase{
		{name: "link to a good file", path: link("link.wav", target), digits: tr.Digits, check: func(t *testing.T, out string) {
			assert.Contains(t, out, `"session_uuid":"link"`, "the session is the name given")
		}},
		{name: "dangling link", path: link("dangling.wav", filepath.Join(dir, "gone.wav")), msg: "no such file or directory"},
		{name: "link loop", path: func(t *testing.T) string {
			a, b := filepath.Join(dir, "loop-a.wav"), filepath.Join(dir, "loop-b.wav")
			require.NoError(t, os.Symlink(b, a))
			require.NoError(t, os.Symlink(a, b))
			return a
		}, msg: "too many levels of symbolic links"},
		{name: "dev null", path: func(*testing.T) string { return os.DevNull }, msg: "empty file"},
		{name: "named pipe with a writer", path: func(t *testing.T) string {
			p := filepath.Join(dir, "pipe.wav")
			require.NoError(t, syscall.Mkfifo(p, 0o644))
			var b bytes.Buffer
			require.NoError(t, wavfile.Write(&b, wavfile.PCM16, 8000, 1, loadSample(t)))
			go func() {
				w, err := os.OpenFile(p, os.O_WRONLY, 0)
				if err == nil {
					_, _ = w.Write(b.Bytes())
					w.Close()
				}
			}()
			return p
		}, digits: tr.Digits},
	})
}

// A named pipe that no process writes must not hang a batch: decoding a
// directory of recordings that holds one (a recorder's leftover) must
// still get to the files after it. os.Open of a FIFO blocks until a writer
// comes; this test plays the writer after 10 s, so it fails rather than
// hangs if the command waits.
func TestDecodeNamedPipeWithoutWriter(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("named pipes")
	}
	dir := t.TempDir()
	good := writeWAV(t, dir, "good.wav", wavfile.PCM16, 8000, 1, loadSample(t))
	p := filepath.Join(dir, "stale.wav")
	require.NoError(t, syscall.Mkfifo(p, 0o644))
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		code := run([]string{"decode", p, good}, strings.NewReader(""), &stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Errorf("dtmf decode is still blocked opening a named pipe nobody writes after 10 s")
		w, err := os.OpenFile(p, os.O_WRONLY, 0) // release it: it then reads an empty file
		require.NoError(t, err)
		w.Close()
		r = <-done
	}
	assert.Equal(t, 1, r.code)
	assert.Equal(t, loadTruth(t).Digits, digitsOf(parseLines(t, r.out)), "the good file after it is decoded")
	assert.Equal(t, 1, strings.Count(r.err, "\n"), "one error line: %q", r.err)
	assert.True(t, strings.HasPrefix(r.err, "dtmf decode: "+p+": "), "%q", r.err)
}

// Error lines stay one line whatever the file name holds: a newline, a
// carriage return or bytes that are not UTF-8 in a name must not split the
// line or forge another one.
func TestDecodeErrorLineWithHostileName(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("such names are not allowed")
	}
	dir := t.TempDir()
	good := writeWAV(t, dir, "good.wav", wavfile.PCM16, 8000, 1, loadSample(t)[:36000])
	for _, name := range []string{"two\nlines.wav", "dtmf decode: forged: empty file\n.wav", "cr\r.wav", "bad-\xff\xfe.wav"} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			p := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(p, nil, 0o644))
			code, out, errOut := decodeRun(t, nil, p, good)
			assert.Equal(t, 1, code)
			assert.NotEmpty(t, parseLines(t, out), "the good file is decoded")
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
			assert.NotContains(t, strings.TrimSuffix(errOut, "\n"), "\r", "no carriage return: %q", errOut)
			assert.True(t, strings.HasSuffix(errOut, ": empty file\n"), "%q", errOut)
		})
	}
}

// failingReader returns its data, then err.
func failingReader(data []byte, err error) io.Reader {
	return io.MultiReader(bytes.NewReader(data), iotest.ErrReader(err))
}

// TestDecodeStdinFails: stdin that fails or is closed early — a read error
// before any byte, in a raw stream, inside a WAV header or its data, a
// real pipe whose writer goes away mid-file, and a stdin already closed —
// gives the audio before the failure, one error line and exit code 1.
func TestDecodeStdinFails(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	raw := encode(t, wavfile.PCM16, pcm)
	var wav bytes.Buffer
	require.NoError(t, wavfile.Write(&wav, wavfile.PCM16, 8000, 1, pcm))
	reset := errors.New("connection reset by peer")
	half := 2 * 36000 // 4.5 s: all the sample's keys are before it
	tests := []struct {
		name   string
		stdin  func(t *testing.T) io.Reader
		args   []string
		digits string
		msg    string
	}{
		{"error before any byte", func(*testing.T) io.Reader { return failingReader(nil, reset) }, nil, "", "connection reset by peer"},
		{"error in raw audio", func(*testing.T) io.Reader { return failingReader(raw[:half], reset) }, nil, tr.Digits, "connection reset by peer"},
		{"error in raw ulaw", func(*testing.T) io.Reader {
			return failingReader(encode(t, wavfile.ULaw, pcm)[:half/2], reset)
		}, []string{"--encoding", "ulaw"}, tr.Digits, "connection reset by peer"},
		{"error in a WAV header", func(*testing.T) io.Reader { return failingReader(wav.Bytes()[:20], reset) }, nil, "", "connection reset by peer"},
		{"error in WAV data", func(*testing.T) io.Reader { return failingReader(wav.Bytes()[:44+half], reset) }, nil, tr.Digits, "connection reset by peer"},
		{"pipe closed mid-file", func(t *testing.T) io.Reader {
			r, w, err := os.Pipe()
			require.NoError(t, err)
			t.Cleanup(func() { r.Close() })
			go func() {
				_, _ = w.Write(wav.Bytes()[:44+half])
				w.Close()
			}()
			return r
		}, nil, tr.Digits, fmt.Sprintf("truncated: data chunk declares %d bytes, input ends after %d", len(raw), half)},
		{"stdin already closed", func(t *testing.T) io.Reader {
			r, w, err := os.Pipe()
			require.NoError(t, err)
			w.Close()
			r.Close()
			return r
		}, nil, "", "read: file already closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, tt.stdin(t), append(tt.args, "-")...)
			assert.Equal(t, tt.digits, digitsOf(parseLines(t, out)))
			assert.Equal(t, "dtmf decode: stdin: "+tt.msg+"\n", errOut)
			assert.Equal(t, 1, code)
		})
	}
}

// brokenPipe is a stdout whose reader went away.
type brokenPipe struct{ writes int }

func (b *brokenPipe) Write([]byte) (int, error) {
	b.writes++
	return 0, syscall.EPIPE
}

// A closed stdout (dtmf decode *.wav | head -1) ends the command with one
// error line and exit code 1, without going on to decode the other files.
func TestDecodeStdoutClosed(t *testing.T) {
	dir := t.TempDir()
	pcm := loadSample(t)
	a := writeWAV(t, dir, "a.wav", wavfile.PCM16, 8000, 1, pcm)
	b := writeWAV(t, dir, "b.wav", wavfile.PCM16, 8000, 1, pcm)
	var out brokenPipe
	var stderr bytes.Buffer
	code := run([]string{"decode", a, b}, strings.NewReader(""), &out, &stderr)
	assert.Equal(t, 1, code)
	assert.Equal(t, "dtmf decode: writing output: broken pipe\n", stderr.String())
	assert.Equal(t, 1, out.writes, "stops at the first failed write")
}

// TestDecodeDirectoryOfRecordings decodes a directory holding good
// recordings among every kind of bad file, in one batch, as
// "dtmf decode dir/*" would: each bad file gets its one error line, in
// order; each good file's output is exactly what it gives alone; the exit
// code is 1.
func TestDecodeDirectoryOfRecordings(t *testing.T) {
	pcm := loadSample(t)
	src := t.TempDir()
	dir := t.TempDir()
	var goods []string
	for i, enc := range []wavfile.Encoding{wavfile.PCM16, wavfile.ULaw, wavfile.Float32, wavfile.PCM24, wavfile.ALaw} {
		goods = append(goods, writeWAV(t, dir, fmt.Sprintf("good-%d.wav", i), enc, 8000, 1, pcm[:len(pcm)-800*i]))
	}
	pcmData := encode(t, wavfile.PCM16, pcm)
	bad := map[string][]byte{
		"empty.wav":     {},
		"mp3.wav":       []byte("ID3\x04\x00\x00\x00\x00\x00\x00lots of mp3"),
		"avi.wav":       []byte("RIFF\x04\x00\x00\x00AVI "),
		"nofmt.wav":     testutil.RIFF(testutil.Chunk("LIST", []byte("INFO"))),
		"nodata.wav":    testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 16, 2)),
		"cut.wav":       testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 16, 2), testutil.RawChunk("data", uint32(len(pcmData)), pcmData[:1000])),
		"0ch.wav":       testutil.RIFF(testutil.FmtChunk(1, 0, 8000, 16, 0), testutil.Chunk("data", pcmData)),
		"0hz.wav":       testutil.RIFF(testutil.FmtChunk(1, 1, 0, 16, 2), testutil.Chunk("data", pcmData)),
		"7999hz.wav":    testutil.RIFF(testutil.FmtChunk(1, 1, 7999, 16, 2), testutil.Chunk("data", pcmData)),
		"1mhz.wav":      testutil.RIFF(testutil.FmtChunk(1, 1, 1000000, 16, 2), testutil.Chunk("data", pcmData)),
		"12bit.wav":     testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 12, 2), testutil.Chunk("data", pcmData)),
		"64bit.wav":     testutil.RIFF(testutil.FmtChunk(3, 1, 8000, 64, 8), testutil.Chunk("data", pcmData)),
		"gsm.wav":       testutil.RIFF(testutil.FmtChunk(0x31, 1, 8000, 0, 65), testutil.Chunk("data", pcmData)),
		"ext-flac.wav":  testutil.RIFF(extFmt(0xF1AC, 1, 16, 16, testutil.KSGUIDTail), testutil.Chunk("data", pcmData)),
		"nan.wav":       testutil.RIFF(testutil.FmtChunk(3, 1, 8000, 32, 4), testutil.Chunk("data", withNonFinite(t, pcm, float32(math.NaN())))),
		"not-audio.txt": []byte("hello\n"),
	}
	for name, data := range bad {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "subdir"), 0o755))
	if runtime.GOOS != "windows" {
		require.NoError(t, os.Symlink(filepath.Join(src, "gone.wav"), filepath.Join(dir, "dangling.wav")))
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var paths []string
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	slices.Sort(paths)

	code, out, errOut := decodeRun(t, nil, paths...)
	assert.Equal(t, 1, code)
	errLines := strings.SplitAfter(strings.TrimSuffix(errOut, "\n"), "\n")
	var wantBad []string
	for _, p := range paths {
		if !slices.Contains(goods, p) {
			wantBad = append(wantBad, p)
		}
	}
	require.Len(t, errLines, len(wantBad), "one line per bad file:\n%s", errOut)
	for i, p := range wantBad {
		assert.True(t, strings.HasPrefix(errLines[i], "dtmf decode: "+p+": "), "line %d: %q", i, errLines[i])
	}
	for _, g := range goods {
		_, alone, _ := decodeRun(t, nil, g)
		require.NotEmpty(t, alone, g)
		assert.Contains(t, out, alone, "%s decodes in the batch as it does alone", g)
	}
	parseLines(t, out)
}

// FuzzDecodeFile puts arbitrary bytes in a file decoded between two good
// ones. Properties: no panic; exit code 0 with nothing on stderr, or 1 with
// exactly one line "dtmf decode: PATH: problem" for that file; every output
// line is a schema-valid `dtmf` event; and the good files before and after
// give exactly the output they give alone. Seeds: every file of the
// reader's own fuzz corpus (internal/wavfile/testdata/fuzz/FuzzReader)
// and the bad-input matrix files.
func FuzzDecodeFile(f *testing.F) {
	dir := f.TempDir()
	s := synth.New(8000, 1)
	s.Silence(30)
	for _, d := range []byte("1#") {
		require.NoError(f, s.Add(synth.Tone{Digit: d, Duration: 60, LowLevel: -10, HighLevel: -11}))
		s.Silence(60)
	}
	var b bytes.Buffer
	require.NoError(f, wavfile.Write(&b, wavfile.PCM16, 8000, 1, s.PCM()))
	before, after := filepath.Join(dir, "before.wav"), filepath.Join(dir, "after.wav")
	require.NoError(f, os.WriteFile(before, b.Bytes(), 0o644))
	require.NoError(f, os.WriteFile(after, b.Bytes(), 0o644))
	var alone [2]string
	for i, p := range []string{before, after} {
		var stdout, stderr bytes.Buffer
		require.Zero(f, run([]string{"decode", p}, strings.NewReader(""), &stdout, &stderr), stderr.String())
		alone[i] = stdout.String()
	}
	require.Equal(f, 2, strings.Count(alone[0], "\n"))

	seeds, _ := filepath.Glob("../../internal/wavfile/testdata/fuzz/FuzzReader/*")
	for _, p := range seeds {
		raw, err := os.ReadFile(p)
		require.NoError(f, err)
		// go test fuzz v1\n[]byte("...")\n
		lines := strings.SplitN(string(raw), "\n", 3)
		require.Len(f, lines, 3, p)
		data, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		require.NoError(f, err, p)
		f.Add([]byte(data))
	}
	f.Add(b.Bytes())
	f.Add([]byte{})
	// Each fuzzing process has its own dir and runs one input at a time.
	p := filepath.Join(dir, "fuzz.wav")
	f.Fuzz(func(t *testing.T, data []byte) {
		require.NoError(t, os.WriteFile(p, data, 0o644))
		var stdout, stderr bytes.Buffer
		code := run([]string{"decode", before, p, after}, strings.NewReader(""), &stdout, &stderr)
		out, errOut := stdout.String(), stderr.String()
		switch code {
		case 0:
			require.Empty(t, errOut)
		case 1:
			require.Equal(t, 1, strings.Count(errOut, "\n"), "%q", errOut)
			require.True(t, strings.HasPrefix(errOut, "dtmf decode: "+p+": ") && len(errOut) > len("dtmf decode: "+p+": \n"), "%q", errOut)
		default:
			t.Fatalf("exit code %d: %s", code, errOut)
		}
		require.True(t, strings.HasPrefix(out, alone[0]), "the file before:\n%s", out)
		require.True(t, strings.HasSuffix(out, alone[1]), "the file after:\n%s", out)
		for _, l := range parseLines(t, out[len(alone[0]):len(out)-len(alone[1])]) {
			require.Equal(t, "fuzz", l.Session)
		}
	})
}
