package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files of the cmd/dtmf tests:
//
//	go test ./cmd/dtmf -update
var update = flag.Bool("update", false, "rewrite testdata/golden files")

const (
	samplePath = "../../testdata/sample.wav"
	truthPath  = "../../testdata/sample.json"
	goldenDir  = "../../testdata/golden"
)

// truth is testdata/sample.json, written by testdata/gen_sample.go.
type truth struct {
	Rate    int    `json:"rate"`
	Digits  string `json:"digits"`
	Presses []struct {
		Digit      string `json:"digit"`
		OffsetMS   int    `json:"offset_ms"`
		DurationMS int    `json:"duration_ms"`
	} `json:"presses"`
}

func loadTruth(t *testing.T) truth {
	t.Helper()
	b, err := os.ReadFile(truthPath)
	require.NoError(t, err)
	var tr truth
	require.NoError(t, json.Unmarshal(b, &tr))
	require.Len(t, tr.Presses, len(tr.Digits))
	return tr
}

// loadSample returns the samples of testdata/sample.wav.
func loadSample(t *testing.T) []int16 {
	t.Helper()
	f, err := os.Open(samplePath)
	require.NoError(t, err)
	defer f.Close()
	format, pcm, err := wavfile.ReadAll(f)
	require.NoError(t, err)
	require.Equal(t, wavfile.Format{Encoding: wavfile.PCM16, SampleRate: 8000, Channels: 1}, format)
	return pcm
}

// decodeRun runs "dtmf decode args..." and returns exit code, stdout and
// stderr.
func decodeRun(t *testing.T, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"decode"}, args...), stdin, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// line is one decoded output line.
type line struct {
	Event      string `json:"event"`
	Session    string `json:"session_uuid"`
	Digit      string `json:"digit"`
	DurationMS int    `json:"duration_ms"`
	OffsetMS   *int   `json:"offset_ms"`
	Channel    *int   `json:"channel"`
}

// parseLines checks that out is NDJSON of schema-valid dtmf events and
// returns them.
func parseLines(t *testing.T, out string) []line {
	t.Helper()
	sch := testutil.EventSchema(t)
	var lines []line
	for _, l := range strings.SplitAfter(out, "\n") {
		if l == "" {
			continue
		}
		require.True(t, strings.HasSuffix(l, "\n"), "unterminated line %q", l)
		require.NoError(t, testutil.ValidateEvent(sch, []byte(l)), "line %q", l)
		var ln line
		require.NoError(t, json.Unmarshal([]byte(l), &ln))
		require.Equal(t, "dtmf", ln.Event)
		lines = append(lines, ln)
	}
	return lines
}

func digitsOf(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Digit)
	}
	return b.String()
}

// upsample2 doubles the sample rate with a windowed-sinc interpolator
// (32 taps, Hann window): even outputs are the inputs, odd ones are
// interpolated half-way.
func upsample2(x []int16) []int16 {
	const half = 16
	var h [2 * half]float64
	for k := range h {
		d := float64(k-half) + 0.5 // distance of x[i+k-half+1] ... from i+0.5
		w := 0.5 + 0.5*math.Cos(math.Pi*d/(half+0.5))
		h[k] = w * math.Sin(math.Pi*d) / (math.Pi * d)
	}
	y := make([]int16, 2*len(x))
	for i := range x {
		y[2*i] = x[i]
		var s float64
		for k := range h {
			j := i + half - k
			if j >= 0 && j < len(x) {
				s += h[k] * float64(x[j])
			}
		}
		y[2*i+1] = int16(math.Max(-32768, math.Min(32767, math.Round(s))))
	}
	return y
}

// agentSide returns a second channel for the sample: the other party
// presses 9 at 2.5 s and 0 at 3.3 s, while the caller dials.
func agentSide(t *testing.T, n int) []int16 {
	t.Helper()
	s := synth.New(8000, 2)
	s.Silence(2500)
	require.NoError(t, s.Add(synth.Tone{Digit: '9', Duration: 100, LowLevel: -8, HighLevel: -7}))
	s.Silence(700)
	require.NoError(t, s.Add(synth.Tone{Digit: '0', Duration: 90, LowLevel: -8, HighLevel: -7}))
	pcm := s.PCM()
	out := make([]int16, n)
	copy(out, pcm)
	return out
}

// writeWAV writes a WAV file into dir and returns its path.
func writeWAV(t *testing.T, dir, name string, enc wavfile.Encoding, rate, channels int, pcm []int16) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, wavfile.Write(&buf, enc, rate, channels, pcm))
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	return path
}

// TestDecodeGolden decodes the bundled sample and variants of it in every
// supported encoding, at 16 kHz and in stereo, and compares the output with
// testdata/golden (rewrite with -update). Independently of the goldens, it
// checks the digits, the channel of each press, and that durations and
// offsets are within 5 ms of the truth in testdata/sample.json.
func TestDecodeGolden(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	dir := t.TempDir()
	stereo := make([]int16, 2*len(pcm))
	agent := agentSide(t, len(pcm))
	for i := range pcm {
		stereo[2*i], stereo[2*i+1] = pcm[i], agent[i]
	}
	tests := []struct {
		name   string
		path   string
		args   []string
		digits string
		rate   int
	}{
		{"sample", samplePath, nil, tr.Digits, 8000},
		{"sample-timestamps", samplePath, []string{"--timestamps", "--session", "call-42"}, tr.Digits, 8000},
		{"ulaw", writeWAV(t, dir, "sample-ulaw.wav", wavfile.ULaw, 8000, 1, pcm), []string{"--timestamps"}, tr.Digits, 8000},
		{"alaw", writeWAV(t, dir, "sample-alaw.wav", wavfile.ALaw, 8000, 1, pcm), []string{"--timestamps"}, tr.Digits, 8000},
		{"float32", writeWAV(t, dir, "sample-float32.wav", wavfile.Float32, 8000, 1, pcm), []string{"--timestamps"}, tr.Digits, 8000},
		{"pcm8", writeWAV(t, dir, "sample-pcm8.wav", wavfile.PCM8, 8000, 1, pcm), []string{"--timestamps"}, tr.Digits, 8000},
		{"pcm24", writeWAV(t, dir, "sample-pcm24.wav", wavfile.PCM24, 8000, 1, pcm), []string{"--timestamps"}, tr.Digits, 8000},
		{"pcm32", writeWAV(t, dir, "sample-pcm32.wav", wavfile.PCM32, 8000, 1, pcm), []string{"--timestamps"}, tr.Digits, 8000},
		{"16k", writeWAV(t, dir, "sample-16k.wav", wavfile.PCM16, 16000, 1, upsample2(pcm)), []string{"--timestamps"}, tr.Digits, 16000},
		{"stereo", writeWAV(t, dir, "sample-stereo.wav", wavfile.PCM16, 8000, 2, stereo), []string{"--timestamps"}, "955501234#", 8000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, append(tt.args, tt.path)...)
			require.Equal(t, 0, code, "stderr: %s", errOut)
			assert.Empty(t, errOut)
			lines := parseLines(t, out)
			assert.Equal(t, tt.digits, digitsOf(lines))

			caller := 0
			for _, l := range lines {
				if tt.name == "stereo" {
					require.NotNil(t, l.Channel, "multi-channel lines carry a channel")
					if l.Digit == "9" || l.Digit == "0" {
						assert.Equal(t, 1, *l.Channel, "agent digit %s", l.Digit)
						continue
					}
					assert.Equal(t, 0, *l.Channel, "caller digit %s", l.Digit)
				} else {
					assert.Nil(t, l.Channel, "mono lines carry no channel")
				}
				require.Less(t, caller, len(tr.Presses))
				want := tr.Presses[caller]
				caller++
				assert.InDelta(t, want.DurationMS, l.DurationMS, 5, "duration of press %d (%s)", caller, l.Digit)
				if l.OffsetMS != nil {
					assert.InDelta(t, want.OffsetMS, *l.OffsetMS, 5, "offset of press %d (%s)", caller, l.Digit)
				}
			}
			if len(tt.args) > 0 {
				for _, l := range lines {
					require.NotNil(t, l.OffsetMS, "--timestamps adds offset_ms")
				}
			}

			golden := filepath.Join(goldenDir, "decode-"+tt.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(goldenDir, 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./cmd/dtmf -update to create it")
			assert.Equal(t, string(want), out)
		})
	}
}

func TestDecodeSession(t *testing.T) {
	dir := t.TempDir()
	pcm := loadSample(t)
	tests := []struct {
		file, args, want string
	}{
		{"call 1.wav", "", "call 1"},
		{"rec.2024.wav", "", "rec.2024"},
		{"noext", "", "noext"},
		{".wav", "", ".wav"},
		{"x.wav", "--session=acW68-f47ac10b", "acW68-f47ac10b"},
		// session_uuid must be UTF-8: other bytes become U+FFFD.
		{"\xffcall.wav", "", "\uFFFDcall"},
		{"y.wav", "--session=a\xfeb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := writeWAV(t, dir, tt.file, wavfile.ULaw, 8000, 1, pcm[:36000])
			args := []string{path}
			if tt.args != "" {
				args = append([]string{tt.args}, args...)
			}
			code, out, errOut := decodeRun(t, nil, args...)
			require.Equal(t, 0, code, errOut)
			lines := parseLines(t, out)
			require.NotEmpty(t, lines)
			for _, l := range lines {
				assert.Equal(t, tt.want, l.Session)
			}
		})
	}
}

// encode returns pcm as the data bytes of enc.
func encode(t *testing.T, enc wavfile.Encoding, pcm []int16) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, wavfile.Write(&buf, enc, 8000, 1, pcm))
	_, err := wavfile.NewReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	i := bytes.Index(buf.Bytes(), []byte("data"))
	require.Positive(t, i)
	n := len(pcm) * enc.BytesPerSample()
	return buf.Bytes()[i+8 : i+8+n]
}

// withNonFinite returns the sample as float32 data with x at frame 36000
// (4.5 s, after the last key press).
func withNonFinite(t *testing.T, pcm []int16, x float32) []byte {
	t.Helper()
	b := encode(t, wavfile.Float32, pcm)
	binary.LittleEndian.PutUint32(b[4*36000:], math.Float32bits(x))
	return b
}

// TestDecodeBadInput is the bad-input matrix: each bad file is decoded in a
// batch before a good one, and must give its one-line error (or, for the
// files that are acceptable, the sample's digits) while the good file is
// still decoded, with exit code 1 if anything failed.
func TestDecodeBadInput(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	pcmData := encode(t, wavfile.PCM16, pcm)
	fmt16 := testutil.FmtChunk(1, 1, 8000, 16, 2)
	dir := t.TempDir()
	good := writeWAV(t, dir, "good.wav", wavfile.PCM16, 8000, 1, pcm)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "adir"), 0o755))

	tests := []struct {
		name   string
		data   []byte // file content; nil: path is used as is
		path   string
		msg    string // expected error after "dtmf decode: PATH: "; "" if none
		digits string // expected digits from the bad file itself
	}{
		{name: "empty file", data: []byte{}, msg: "empty file"},
		{name: "not riff", data: []byte("ID3\x04\x00\x00\x00\x00\x00\x00lots of mp3"), msg: `not a WAV file: starts with "ID3\x04", not "RIFF"`},
		{name: "tiny", data: []byte("hi"), msg: `not a WAV file: only 2 bytes, starting "hi"`},
		{name: "riff not wave", data: []byte("RIFF\x04\x00\x00\x00AVI "), msg: `not a WAV file: RIFF form type "AVI ", not "WAVE"`},
		{name: "header cut", data: []byte("RIFF\x04\x00\x00"), msg: "truncated: input ends after 7 bytes, inside the 12-byte RIFF header"},
		{name: "no fmt chunk", data: testutil.RIFF(testutil.Chunk("LIST", []byte("INFO"))), msg: "malformed WAV file: no fmt chunk"},
		{name: "data before fmt", data: testutil.RIFF(testutil.Chunk("data", pcmData), fmt16), msg: "malformed WAV file: data chunk before the fmt chunk"},
		{name: "no data chunk", data: testutil.RIFF(fmt16, testutil.Chunk("LIST", []byte("INFO"))), msg: "malformed WAV file: no data chunk"},
		{name: "data past eof", data: testutil.RIFF(fmt16, testutil.RawChunk("data", uint32(len(pcmData)), pcmData[:2*30000])),
			msg: "truncated: data chunk declares 95950 bytes, input ends after 60000", digits: tr.Digits[:5]},
		{name: "list past eof", data: testutil.RIFF(fmt16, testutil.RawChunk("LIST", 0x7FFFFFFF, []byte("INFO"))),
			msg: `truncated: "LIST" chunk declares 2147483647 bytes, input ends after 4`},
		{name: "data size unknown 0", data: testutil.RIFF(fmt16, testutil.RawChunk("data", 0, pcmData)), digits: tr.Digits},
		{name: "data size unknown ffffffff", data: testutil.RIFF(fmt16, testutil.RawChunk("data", 0xFFFFFFFF, pcmData)), digits: tr.Digits},
		{name: "odd data size", data: testutil.RIFF(fmt16, testutil.Chunk("data", append(pcmData[:len(pcmData):len(pcmData)], 7))),
			msg: "malformed WAV file: data chunk size 95951 is not a whole number of 2-byte frames", digits: tr.Digits},
		{name: "odd list with pad", data: testutil.RIFF(testutil.Chunk("LIST", []byte("INFOabc")), fmt16, testutil.Chunk("data", pcmData)), digits: tr.Digits},
		{name: "odd list without pad", data: testutil.RIFF(testutil.RawChunk("LIST", 7, []byte("INFOabc")), fmt16, testutil.Chunk("data", pcmData)), digits: tr.Digits},
		{name: "fmt too short", data: testutil.RIFF(testutil.Chunk("fmt ", fmt16[8:20]), testutil.Chunk("data", pcmData)), msg: "malformed WAV file: fmt chunk of 12 bytes: want at least 16"},
		{name: "0 channels", data: testutil.RIFF(testutil.FmtChunk(1, 0, 8000, 16, 0), testutil.Chunk("data", pcmData)), msg: "malformed WAV file: 0 channels"},
		{name: "65535 channels", data: testutil.RIFF(testutil.FmtChunk(1, 65535, 8000, 16, 2*65535&0xFFFF), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: 65535 channels: at most 1024 are read"},
		{name: "0 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, 0, 16, 2), testutil.Chunk("data", pcmData)), msg: "malformed WAV file: sample rate 0 Hz"},
		{name: "7999 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, 7999, 16, 2), testutil.Chunk("data", pcmData)), msg: "sample rate 7999 Hz not supported: want 8000 to 48000 Hz"},
		{name: "48001 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, 48001, 16, 2), testutil.Chunk("data", pcmData)), msg: "sample rate 48001 Hz not supported: want 8000 to 48000 Hz"},
		{name: "1000000 Hz", data: testutil.RIFF(testutil.FmtChunk(1, 1, 1000000, 16, 2), testutil.Chunk("data", pcmData)), msg: "sample rate 1000000 Hz not supported: want 8000 to 48000 Hz"},
		{name: "12-bit", data: testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 12, 2), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: 12-bit PCM: want 8, 16, 24 or 32 bits"},
		{name: "64-bit pcm", data: testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 64, 8), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: 64-bit PCM: want 8, 16, 24 or 32 bits"},
		{name: "64-bit float", data: testutil.RIFF(testutil.FmtChunk(3, 1, 8000, 64, 8), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: 64-bit IEEE float: want 32 bits"},
		{name: "block align", data: testutil.RIFF(testutil.FmtChunk(1, 1, 8000, 16, 4), testutil.Chunk("data", pcmData)), msg: "malformed WAV file: block align 4 bytes: want 2 (1 channels of 2 bytes)"},
		{name: "unknown format code", data: testutil.RIFF(testutil.FmtChunk(0x4242, 1, 8000, 16, 2), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: format code 0x4242 (unknown)"},
		{name: "ima adpcm", data: testutil.RIFF(testutil.FmtChunk(0x11, 1, 8000, 4, 256), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: format code 0x0011 (IMA ADPCM)"},
		{name: "mp3", data: testutil.RIFF(testutil.FmtChunk(0x55, 1, 8000, 0, 1), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: format code 0x0055 (MP3)"},
		{name: "extensible pcm16", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(1, 1, 8000, 16, 16, 4, testutil.KSGUIDTail)), testutil.Chunk("data", pcmData)), digits: tr.Digits},
		{name: "extensible pcm24", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(1, 1, 8000, 24, 24, 4, testutil.KSGUIDTail)), testutil.Chunk("data", encode(t, wavfile.PCM24, pcm))), digits: tr.Digits},
		{name: "extensible float", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(3, 1, 8000, 32, 32, 4, testutil.KSGUIDTail)), testutil.Chunk("data", encode(t, wavfile.Float32, pcm))), digits: tr.Digits},
		{name: "extensible ulaw", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(7, 1, 8000, 8, 8, 4, testutil.KSGUIDTail)), testutil.Chunk("data", encode(t, wavfile.ULaw, pcm))), digits: tr.Digits},
		{name: "extensible alaw", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(6, 1, 8000, 8, 8, 4, testutil.KSGUIDTail)), testutil.Chunk("data", encode(t, wavfile.ALaw, pcm))), digits: tr.Digits},
		{name: "extensible 12-bit", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(1, 1, 8000, 12, 12, 4, testutil.KSGUIDTail)), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: 12-bit PCM: want 8, 16, 24 or 32 bits"},
		{name: "extensible 64-bit float", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(3, 1, 8000, 64, 64, 4, testutil.KSGUIDTail)), testutil.Chunk("data", pcmData)), msg: "unsupported WAV format: 64-bit IEEE float: want 32 bits"},
		{name: "extensible adpcm", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(2, 1, 8000, 16, 16, 4, testutil.KSGUIDTail)), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: WAVE_FORMAT_EXTENSIBLE sub-format GUID {00000002-0000-0010-8000-00AA00389B71} (Microsoft ADPCM)"},
		{name: "extensible unknown", data: testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(0x4242, 1, 8000, 16, 16, 4, testutil.KSGUIDTail)), testutil.Chunk("data", pcmData)),
			msg: "unsupported WAV format: WAVE_FORMAT_EXTENSIBLE sub-format GUID {00004242-0000-0010-8000-00AA00389B71} (unknown)"},
		{name: "float NaN", data: testutil.RIFF(testutil.FmtChunk(3, 1, 8000, 32, 4), testutil.Chunk("data", withNonFinite(t, pcm, float32(math.NaN())))),
			msg: "non-finite sample: NaN at frame 36000 (4.500 s), channel 0", digits: tr.Digits},
		{name: "float +Inf", data: testutil.RIFF(testutil.FmtChunk(3, 1, 8000, 32, 4), testutil.Chunk("data", withNonFinite(t, pcm, float32(math.Inf(1))))),
			msg: "non-finite sample: +Inf at frame 36000 (4.500 s), channel 0", digits: tr.Digits},
		{name: "float -Inf", data: testutil.RIFF(testutil.FmtChunk(3, 1, 8000, 32, 4), testutil.Chunk("data", withNonFinite(t, pcm, float32(math.Inf(-1))))),
			msg: "non-finite sample: -Inf at frame 36000 (4.500 s), channel 0", digits: tr.Digits},
		{name: "directory", path: filepath.Join(dir, "adir"), msg: "a directory holding no WAV files or captures (-r searches its subdirectories)"},
		{name: "missing file", path: filepath.Join(dir, "missing.wav"), msg: "no such file or directory"},
	}
	if runtime.GOOS == "linux" {
		// Opens, but every read fails: an unreadable file even for root.
		tests = append(tests, struct {
			name   string
			data   []byte
			path   string
			msg    string
			digits string
		}{name: "unreadable", path: "/proc/self/mem", msg: "read: input/output error"})
	}
	if os.Getuid() != 0 && runtime.GOOS != "windows" {
		locked := filepath.Join(dir, "locked.wav")
		require.NoError(t, os.WriteFile(locked, testutil.RIFF(fmt16, testutil.Chunk("data", pcmData)), 0o000))
		tests = append(tests, struct {
			name   string
			data   []byte
			path   string
			msg    string
			digits string
		}{name: "permission denied", path: locked, msg: "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if tt.data != nil {
				path = filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".wav")
				require.NoError(t, os.WriteFile(path, tt.data, 0o644))
			}
			code, out, errOut := decodeRun(t, nil, path, good)
			lines := parseLines(t, out)
			var bad, fine []line
			for _, l := range lines {
				if l.Session == "good" {
					fine = append(fine, l)
				} else {
					bad = append(bad, l)
				}
			}
			assert.Equal(t, tr.Digits, digitsOf(fine), "the good file is still decoded")
			assert.Equal(t, tt.digits, digitsOf(bad), "digits decoded from the bad file")
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

// TestDecodeBatchOrder: with two bad files around a good one, the output
// and errors keep the command-line order, and the exit code is 1.
func TestDecodeBatchOrder(t *testing.T) {
	pcm := loadSample(t)
	dir := t.TempDir()
	a := writeWAV(t, dir, "a.wav", wavfile.PCM16, 8000, 1, pcm)
	b := writeWAV(t, dir, "b.wav", wavfile.ALaw, 8000, 1, pcm)
	missing := filepath.Join(dir, "nope.wav")
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	code, out, errOut := decodeRun(t, nil, missing, a, empty, b)
	assert.Equal(t, 1, code)
	assert.Equal(t, "dtmf decode: "+missing+": no such file or directory\ndtmf decode: "+empty+": a directory holding no WAV files or captures (-r searches its subdirectories)\n", errOut)
	lines := parseLines(t, out)
	require.Len(t, lines, 16)
	for i, l := range lines {
		want := "a"
		if i >= 8 {
			want = "b"
		}
		assert.Equal(t, want, l.Session, "line %d", i)
	}
}

func TestDecodeUsage(t *testing.T) {
	dir := t.TempDir()
	f := writeWAV(t, dir, "x.wav", wavfile.PCM16, 8000, 1, make([]int16, 800))
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no input", nil, "dtmf decode: no input: give WAV files, captures or directories, or - for stdin"},
		{"unknown flag", []string{"--frobnicate", f}, "dtmf decode: flag provided but not defined: -frobnicate"},
		{"bad rate", []string{"--rate", "7999", "-"}, "dtmf decode: --rate 7999: want 8000 to 48000 Hz"},
		{"rate not a number", []string{"--rate", "fast", "-"}, `dtmf decode: invalid value "fast" for flag -rate: want a whole number`},
		{"bad encoding", []string{"--encoding", "mp3", "-"}, `dtmf decode: --encoding "mp3": headerless audio is pcm16 (16-bit signed little-endian; also s16le), ulaw (also mulaw, pcmu) or alaw (also pcma)`},
		{"rate with files", []string{"--rate", "16000", f}, "dtmf decode: --rate and --encoding apply only to raw stdin (-); a WAV file's header gives them"},
		{"stdin twice", []string{"-", "-"}, "dtmf decode: - (stdin) given 2 times"},
		{"empty session", []string{"--session=", f}, "dtmf decode: --session must not be empty"},
		{"bad min level", []string{"--min-level", "5", f}, "dtmf decode: --min-level 5 dBm0: want a value in [-50, 0]"},
		{"bad min tone", []string{"--min-tone", "5ms", f}, "dtmf decode: --min-tone 5ms: want a value in [10ms, 1s]"},
		{"bad energy share", []string{"--min-energy-share", "2", f}, "dtmf decode: --min-energy-share 2: want a value in [0.1, 0.95]"},
		{"bad profile", []string{"--profile", "loud", f}, "dtmf decode: --profile \"loud\": want balanced, talkoff, sensitive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, nil, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			// The detector's own message may change with its ranges: check
			// the part this command writes, and that it is one line.
			assert.True(t, strings.HasPrefix(errOut, tt.msg), "stderr %q", errOut)
			assert.True(t, strings.HasSuffix(errOut, " (run \"dtmf decode -h\" for usage)\n"), "stderr %q", errOut)
			assert.Equal(t, 1, strings.Count(errOut, "\n"))
		})
	}
	t.Run("help", func(t *testing.T) {
		code, out, errOut := decodeRun(t, nil, "-h")
		assert.Equal(t, 0, code)
		assert.Empty(t, errOut)
		assert.Contains(t, out, "usage: dtmf decode")
		assert.Contains(t, out, "-timestamps")
	})
}

// TestDecodeFlagsAnywhere: flags may follow inputs; "--" ends flags.
func TestDecodeFlagsAnywhere(t *testing.T) {
	pcm := loadSample(t)
	dir := t.TempDir()
	f := writeWAV(t, dir, "x.wav", wavfile.PCM16, 8000, 1, pcm)
	dash := writeWAV(t, dir, "--timestamps", wavfile.PCM16, 8000, 1, pcm[:36000])
	code, out, errOut := decodeRun(t, nil, f, "--timestamps", "--session", "s1")
	require.Equal(t, 0, code, errOut)
	for _, l := range parseLines(t, out) {
		assert.NotNil(t, l.OffsetMS)
		assert.Equal(t, "s1", l.Session)
	}
	t.Chdir(dir)
	code, out, errOut = decodeRun(t, nil, "--", "--timestamps")
	require.Equal(t, 0, code, errOut)
	lines := parseLines(t, out)
	require.Len(t, lines, 8, dash)
	assert.Nil(t, lines[0].OffsetMS, "after --, --timestamps is a file name")
}

func TestDecodeDetectorFlags(t *testing.T) {
	pcm := loadSample(t)
	f := writeWAV(t, t.TempDir(), "x.wav", wavfile.PCM16, 8000, 1, pcm)
	// The sample's tones are at -12 to -7 dBm0: a -5 dBm0 floor rejects them all.
	code, out, errOut := decodeRun(t, nil, "--min-level", "-5", f)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, out)
	// Tones are 84 to 120 ms: a 105 ms minimum keeps the 110, 118 and 120 ms ones.
	code, out, errOut = decodeRun(t, nil, "--min-tone", "105ms", f)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "52#", digitsOf(parseLines(t, out)))
}

// TestDecodeStdin decodes raw stdin in each encoding and rate, and a WAV
// stream on stdin.
func TestDecodeStdin(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	raw := func(enc wavfile.Encoding, x []int16) []byte { return encode(t, enc, x) }
	var wavStream bytes.Buffer
	require.NoError(t, wavfile.Write(&wavStream, wavfile.ALaw, 8000, 1, pcm))
	tests := []struct {
		name string
		args []string
		in   []byte
	}{
		{"pcm16 default", []string{"-"}, raw(wavfile.PCM16, pcm)},
		{"s16le", []string{"--encoding", "s16le", "-"}, raw(wavfile.PCM16, pcm)},
		{"s16le 16k", []string{"--rate", "16000", "-"}, raw(wavfile.PCM16, upsample2(pcm))},
		{"ulaw", []string{"--encoding", "ulaw", "-"}, raw(wavfile.ULaw, pcm)},
		{"alaw", []string{"--encoding=alaw", "-"}, raw(wavfile.ALaw, pcm)},
		{"wav on stdin", []string{"-"}, wavStream.Bytes()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := decodeRun(t, bytes.NewReader(tt.in), tt.args...)
			require.Equal(t, 0, code, errOut)
			lines := parseLines(t, out)
			assert.Equal(t, tr.Digits, digitsOf(lines))
			for i, l := range lines {
				assert.Equal(t, "stdin", l.Session)
				assert.InDelta(t, tr.Presses[i].DurationMS, l.DurationMS, 5)
			}
		})
	}
}

// TestDecodeStdinEndsEarly: stdin that closes before any audio, inside a
// sample or inside a WAV header is an error; audio before it is decoded.
func TestDecodeStdinEndsEarly(t *testing.T) {
	tr := loadTruth(t)
	pcm := loadSample(t)
	raw := encode(t, wavfile.PCM16, pcm)
	var wavStream bytes.Buffer
	require.NoError(t, wavfile.Write(&wavStream, wavfile.PCM16, 8000, 1, pcm))
	tests := []struct {
		name, args string
		in         []byte
		digits     string
		msg        string
	}{
		{"empty", "-", nil, "", "dtmf decode: stdin: no audio: the stream ended before the first sample\n"},
		{"half a sample", "-", []byte{1}, "", "dtmf decode: stdin: input ends inside a sample (1 of 2 bytes)\n"},
		{"odd byte after audio", "-", append(raw[:len(raw):len(raw)], 9), tr.Digits, "dtmf decode: stdin: input ends inside a sample (1 of 2 bytes)\n"},
		{"wav header cut", "-", wavStream.Bytes()[:30], "", "dtmf decode: stdin: truncated: fmt chunk declares 16 bytes, input ends after 10\n"},
		{"wav data cut", "-", wavStream.Bytes()[:44+2*36000], tr.Digits, "dtmf decode: stdin: truncated: data chunk declares 95950 bytes, input ends after 72000\n"},
		{"ulaw one byte", "--encoding=ulaw", []byte{0xff}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{tt.args}
			if tt.args != "-" {
				args = append(args, "-")
			}
			code, out, errOut := decodeRun(t, bytes.NewReader(tt.in), args...)
			assert.Equal(t, tt.digits, digitsOf(parseLines(t, out)))
			assert.Equal(t, tt.msg, errOut)
			if tt.msg == "" {
				assert.Equal(t, 0, code)
			} else {
				assert.Equal(t, 1, code)
			}
		})
	}
}

// TestDecodeStdinLive: in stdin mode each event is written as soon as it
// is known, before the input ends.
func TestDecodeStdinLive(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := run([]string{"decode", "--timestamps", "-"}, inR, outW, &stderr)
		outW.Close()
		done <- code
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			require.True(t, ok, "output ended early; stderr: %s", stderr.String())
			return l
		case <-time.After(20 * time.Second):
			t.Fatal("no event line before the input ended")
		}
		return ""
	}
	key := func(d byte) []byte {
		s := synth.New(8000, uint64(d))
		s.Silence(100)
		require.NoError(t, s.Add(synth.Tone{Digit: d, Duration: 100, LowLevel: -10, HighLevel: -9}))
		s.Silence(200) // long enough for the key-up to be confirmed
		return encode(t, wavfile.PCM16, s.PCM())
	}
	write := func(b []byte) {
		t.Helper()
		// Write in 20 ms frames, as a live source would.
		for len(b) > 0 {
			n := min(320, len(b))
			_, err := inW.Write(b[:n])
			require.NoError(t, err)
			b = b[n:]
		}
	}
	write(key('7'))
	assert.Equal(t, `{"event":"dtmf","session_uuid":"stdin","digit":"7","duration_ms":100,"offset_ms":100}`, next())
	write(key('*'))
	assert.Equal(t, `{"event":"dtmf","session_uuid":"stdin","digit":"*","duration_ms":100,"offset_ms":500}`, next())
	require.NoError(t, inW.Close())
	_, ok := <-lines
	assert.False(t, ok, "no more lines")
	assert.Equal(t, 0, <-done)
	assert.Empty(t, stderr.String())
}

// TestDecodeMultiChannelOrder: presses of different channels are written
// in order of start, channel breaking ties, even when a later-starting
// press ends first.
func TestDecodeMultiChannelOrder(t *testing.T) {
	s0 := synth.New(8000, 1)
	s0.Silence(100)
	require.NoError(t, s0.Add(synth.Tone{Digit: '1', Duration: 400, LowLevel: -10, HighLevel: -9}))
	s0.Silence(300)
	s1 := synth.New(8000, 2)
	s1.Silence(200)
	require.NoError(t, s1.Add(synth.Tone{Digit: '2', Duration: 60, LowLevel: -10, HighLevel: -9}))
	s1.Silence(540)
	s2 := synth.New(8000, 3)
	s2.Silence(100)
	require.NoError(t, s2.Add(synth.Tone{Digit: '3', Duration: 80, LowLevel: -10, HighLevel: -9}))
	s2.Silence(620)
	p0, p1, p2 := s0.PCM(), s1.PCM(), s2.PCM()
	require.Equal(t, len(p0), len(p1))
	require.Equal(t, len(p0), len(p2))
	pcm := make([]int16, 0, 3*len(p0))
	for i := range p0 {
		pcm = append(pcm, p0[i], p1[i], p2[i])
	}
	f := writeWAV(t, t.TempDir(), "three.wav", wavfile.PCM24, 8000, 3, pcm)
	code, out, errOut := decodeRun(t, nil, "--timestamps", f)
	require.Equal(t, 0, code, errOut)
	lines := parseLines(t, out)
	require.Len(t, lines, 3)
	assert.Equal(t, "132", digitsOf(lines))
	for i, want := range []int{0, 2, 1} {
		require.NotNil(t, lines[i].Channel)
		assert.Equal(t, want, *lines[i].Channel)
	}
}
