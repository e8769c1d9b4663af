package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmf/bench"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genRun runs "dtmf gen args..." and returns exit code, stdout and stderr.
func genRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"gen"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func genManifest(t *testing.T, path string) siggen.Manifest {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m siggen.Manifest
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func genReadWAV(t *testing.T, path string) (wavfile.Format, []int16) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	format, pcm, err := wavfile.ReadAll(f)
	require.NoError(t, err)
	return format, pcm
}

// genDecode decodes pcm with the detector and returns the digits.
func genDecode(t *testing.T, pcm []int16, rate int) string {
	t.Helper()
	got, err := bench.NewNative().Decode(context.Background(), [][]int16{pcm}, rate)
	require.NoError(t, err)
	var b strings.Builder
	for _, p := range got[0] {
		b.WriteByte(p.Digit)
	}
	return b.String()
}

func TestGenDefault(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "t.wav")
	code, stdout, stderr := genRun(t, out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	format, pcm := genReadWAV(t, out)
	assert.Equal(t, wavfile.Format{Encoding: wavfile.PCM16, SampleRate: 8000, Channels: 1}, format)
	m := genManifest(t, filepath.Join(dir, "t.json"))
	assert.Equal(t, siggen.ManifestFormat, m.Format)
	assert.Equal(t, "1234567890*#ABCD", m.Digits)
	assert.Equal(t, len(pcm), m.Samples)
	require.Len(t, m.Presses, 16)
	assert.Equal(t, siggen.ManifestPress{Digit: "1", StartSample: 800, EndSample: 1600, StartMS: 100, EndMS: 200, DurationMS: 100}, m.Presses[0])
	assert.Equal(t, 100.0+31*100+100, m.DurationMS)
	assert.Equal(t, m.Digits, genDecode(t, pcm, 8000))
}

// The manifest's command rebuilds the same file, byte for byte.
func TestGenReproducible(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.wav")
	code, _, stderr := genRun(t, "--digits", "5#", "--tone", "65", "--pause", "43.5", "--level", "-22", "--twist", "-5",
		"--offset", "1.5", "--gap", "20:10", "--snr", "18", "--codec", "alaw", "--seed", "9", "--rate", "16000", a)
	require.Equal(t, 0, code, stderr)
	m := genManifest(t, filepath.Join(dir, "a.json"))
	assert.Equal(t, -22.0, m.Spec.LowLevel)
	assert.Equal(t, -27.0, m.Spec.HighLevel)
	assert.Equal(t, 1.5, m.Spec.LowOffset)
	assert.Equal(t, 1.5, m.Spec.HighOffset)
	require.NotNil(t, m.Spec.SNR)
	assert.Equal(t, 18.0, *m.Spec.SNR)
	assert.Equal(t, 16000, m.SampleRate)

	b := filepath.Join(dir, "b.wav")
	code, _, stderr = genRun(t, append(m.Spec.Args(), b)...)
	require.Equal(t, 0, code, stderr)
	want, err := os.ReadFile(a)
	require.NoError(t, err)
	got, err := os.ReadFile(b)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	code, _, stderr = genRun(t, append(m.Spec.Args(), "--seed", "10", b)...)
	require.Equal(t, 0, code, stderr)
	got, err = os.ReadFile(b)
	require.NoError(t, err)
	assert.NotEqual(t, want, got, "another seed")
}

func TestGenOutputs(t *testing.T) {
	dir := t.TempDir()
	t.Run("raw", func(t *testing.T) {
		out := filepath.Join(dir, "r.raw")
		code, _, stderr := genRun(t, "--digits", "1", out)
		require.Equal(t, 0, code, stderr)
		m := genManifest(t, filepath.Join(dir, "r.json"))
		assert.Equal(t, "raw", m.Container)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Len(t, b, 2*m.Samples)
	})
	t.Run("raw ulaw", func(t *testing.T) {
		out := filepath.Join(dir, "u.raw")
		code, _, stderr := genRun(t, "--digits", "1", "--encoding", "ulaw", "--manifest", "none", out)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Len(t, b, 8*300)
		assert.NoFileExists(t, filepath.Join(dir, "u.json"))
	})
	t.Run("wav alaw", func(t *testing.T) {
		out := filepath.Join(dir, "a.wav")
		code, _, stderr := genRun(t, "--digits", "9D", "--encoding", "alaw", out)
		require.Equal(t, 0, code, stderr)
		format, pcm := genReadWAV(t, out)
		assert.Equal(t, wavfile.ALaw, format.Encoding)
		assert.Equal(t, "9D", genDecode(t, pcm, 8000))
		assert.Contains(t, genManifest(t, filepath.Join(dir, "a.json")).Command, "--encoding alaw")
	})
	t.Run("stdout", func(t *testing.T) {
		code, stdout, stderr := genRun(t, "--digits", "0", "-")
		require.Equal(t, 0, code, stderr)
		format, pcm, err := wavfile.ReadAll(strings.NewReader(stdout))
		require.NoError(t, err)
		assert.Equal(t, 8000, format.SampleRate)
		assert.Equal(t, "0", genDecode(t, pcm, 8000))
	})
	t.Run("background", func(t *testing.T) {
		bg := filepath.Join(dir, "bg.wav")
		code, _, stderr := genRun(t, "--digits", "", "--lead", "2000", "--snr", "0", "--manifest", "none", bg)
		require.Equal(t, 0, code, stderr)
		out := filepath.Join(dir, "mix.wav")
		code, _, stderr = genRun(t, "--digits", "7", "--background", bg, "--background-level", "-30", "--background-offset", "250", out)
		require.Equal(t, 0, code, stderr)
		_, pcm := genReadWAV(t, out)
		assert.Equal(t, "7", genDecode(t, pcm, 8000))
		m := genManifest(t, filepath.Join(dir, "mix.json"))
		assert.Equal(t, bg, m.Spec.Background)
		assert.Contains(t, m.Command, "--background-level -30 --background-offset 250")
	})
}

func TestGenErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.wav")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no output", nil, 2, "exactly one output"},
		{"two outputs", []string{out, out}, 2, "exactly one output"},
		{"bad digit", []string{"--digits", "12E", out}, 2, "digit"},
		{"bad flag", []string{"--nope", out}, 2, "nope"},
		{"bad gap", []string{"--gap", "20", out}, 2, "START:LENGTH"},
		{"level and low-level", []string{"--level", "-3", "--low-level", "-4", out}, 2, "--level"},
		{"twist and high-level", []string{"--twist", "-3", "--high-level", "-4", out}, 2, "--twist"},
		{"offset and low-offset", []string{"--offset", "1", "--low-offset", "1", out}, 2, "--offset"},
		{"level range", []string{"--level", "20", out}, 2, "level"},
		{"rate", []string{"--rate", "100", out}, 2, "--rate 100: want 8000 to 48000 Hz"},
		{"rate 4000", []string{"--rate", "4000", out}, 2, "--rate 4000: want 8000 to 48000 Hz, the rates dtmf decode and the detector take"},
		{"rate 96000", []string{"--rate", "96000", out}, 2, "--rate 96000: want 8000 to 48000 Hz"},
		{"codec", []string{"--codec", "gsm", out}, 2, "codec"},
		{"encoding", []string{"--encoding", "mp3", out}, 2, "--encoding"},
		{"raw float", []string{"--encoding", "float32", filepath.Join(dir, "x.raw")}, 2, "raw output"},
		{"container", []string{"--container", "ogg", out}, 2, "--container"},
		{"background level alone", []string{"--background-level", "-3", out}, 2, "need --background"},
		{"missing background", []string{"--background", filepath.Join(dir, "none.wav"), out}, 1, "none.wav"},
		{"manifest over audio", []string{"--manifest", out, out}, 2, "overwrite"},
		{"unwritable", []string{filepath.Join(dir, "no", "dir", "x.wav")}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := genRun(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr, tt.msg)
			assert.True(t, strings.HasPrefix(stderr, "dtmf gen: "), stderr)
		})
	}
}

func TestGenHelp(t *testing.T) {
	code, stdout, _ := genRun(t, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "usage: dtmf gen")
	assert.Contains(t, stdout, "-snr")
}

// TestEncodingNamesAgree: gen and decode take the same encoding names, and
// each the other spellings: a raw file gen writes with any of them decodes
// with the same name, or its alias, given to decode. gen's rate limits are
// decode's: the edges decode, one beyond is refused by gen.
func TestEncodingNamesAgree(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ gen, decode string }{
		{"pcm16", "pcm16"}, {"pcm16", "s16le"}, {"s16le", "pcm16"}, {"s16le", "S16LE"},
		{"ulaw", "ulaw"}, {"ulaw", "mulaw"}, {"pcmu", "ulaw"}, {"alaw", "alaw"}, {"alaw", "pcma"},
	} {
		t.Run(tt.gen+"/"+tt.decode, func(t *testing.T) {
			raw := filepath.Join(dir, tt.gen+"-"+tt.decode+".raw")
			code, _, errOut := genRun(t, "--digits", "47", "--encoding", tt.gen, "--manifest", "none", raw)
			require.Equal(t, 0, code, errOut)
			b, err := os.ReadFile(raw)
			require.NoError(t, err)
			code, out, errOut := decodeRun(t, bytes.NewReader(b), "--encoding", tt.decode, "-")
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, "47", digitsOf(parseLines(t, out)))
		})
	}
	for _, rate := range []string{"8000", "48000"} {
		wav := filepath.Join(dir, "r"+rate+".wav")
		code, _, errOut := genRun(t, "--digits", "9", "--rate", rate, "--manifest", "none", wav)
		require.Equal(t, 0, code, errOut)
		code, out, errOut := decodeRun(t, nil, wav)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, "9", digitsOf(parseLines(t, out)), rate)
	}
	for _, rate := range []string{"7999", "48001"} {
		code, _, errOut := genRun(t, "--rate", rate, filepath.Join(dir, "bad.wav"))
		assert.Equal(t, 2, code, rate)
		assert.Contains(t, errOut, "want 8000 to 48000 Hz")
		code, _, errOut = decodeRun(t, nil, "--rate", rate, "-")
		assert.Equal(t, 2, code, rate)
		assert.Contains(t, errOut, "want 8000 to 48000 Hz")
	}
	code, _, errOut := decodeRun(t, nil, "--encoding", "pcm24", "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--encoding "pcm24": headerless audio is pcm16 (16-bit signed little-endian; also s16le), ulaw (also mulaw, pcmu) or alaw (also pcma)`)
}
