package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// TestDecodeDirectory: a directory is the WAV files in it, in lexical
// order, recognised by content (a WAV without extension) or extension (a
// broken .wav gets its error line); other files are passed over;
// subdirectories only with -r; hidden names never.
func TestDecodeDirectory(t *testing.T) {
	pcm := loadSample(t)
	dir := t.TempDir()
	writeWAV(t, dir, "b.wav", wavfile.PCM16, 8000, 1, pcm)
	writeWAV(t, dir, "a-no-extension", wavfile.ULaw, 8000, 1, pcm)
	writeWAV(t, dir, ".hidden.wav", wavfile.PCM16, 8000, 1, pcm)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.wav"), []byte("not a wav at all"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("call notes\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.json"), []byte("{}\n"), 0o644))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	writeWAV(t, sub, "d.wav", wavfile.ALaw, 8000, 1, pcm)
	tr := loadTruth(t)

	sessions := func(out string) []string {
		var s []string
		for _, l := range parseLines(t, out) {
			if len(s) == 0 || s[len(s)-1] != l.Session {
				s = append(s, l.Session)
			}
		}
		return s
	}
	code, out, errOut := decodeRun(t, nil, dir)
	assert.Equal(t, 1, code, "c.wav is broken")
	assert.Equal(t, "dtmf decode: "+filepath.Join(dir, "c.wav")+": not a WAV file: starts with \"not \", not \"RIFF\"\n", errOut)
	assert.Equal(t, []string{"a-no-extension", "b"}, sessions(out))
	assert.Equal(t, tr.Digits+tr.Digits, digitsOf(parseLines(t, out)))

	code, out, errOut = decodeRun(t, nil, "-r", dir)
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	assert.Equal(t, []string{"a-no-extension", "b", "d"}, sessions(out), "sub/d.wav after the files of dir")

	code, out, errOut = decodeRun(t, nil, sub, filepath.Join(dir, "b.wav"))
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, []string{"d", "b"}, sessions(out), "directories and files mix, in command-line order")

	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.MkdirAll(filepath.Join(empty, "deeper"), 0o755))
	code, _, errOut = decodeRun(t, nil, "-r", empty)
	assert.Equal(t, 1, code)
	assert.Equal(t, "dtmf decode: "+empty+": a directory holding no WAV files or captures\n", errOut)
}

// TestDecodeCaptureRecognised: a capture is recognised by its magic
// number, whatever its name, and handed to decodeCaptureFile; without that
// hook it is one clear error line. A .pcap file in a directory is part of
// the batch.
func TestDecodeCaptureRecognised(t *testing.T) {
	dir := t.TempDir()
	for name, head := range map[string]string{
		"le.pcap": "\xd4\xc3\xb2\xa1", "be.pcap": "\xa1\xb2\xc3\xd4", "ns.pcap": "\x4d\x3c\xb2\xa1",
		"ng.pcapng": "\x0a\x0d\x0d\x0a", "capture-without-extension": "\xd4\xc3\xb2\xa1",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(head+"\x02\x00\x04\x00rest of a header"), 0o644))
	}
	old := decodeCaptureFile
	t.Cleanup(func() { decodeCaptureFile = old })

	decodeCaptureFile = nil
	code, out, errOut := decodeRun(t, nil, filepath.Join(dir, "le.pcap"))
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "dtmf decode: "+filepath.Join(dir, "le.pcap")+": a packet capture: this build of dtmf decodes WAV files only\n", errOut)

	var got []string
	decodeCaptureFile = func(f io.Reader, _ decodeOptions, session string, out *bufio.Writer) error {
		head := make([]byte, 4)
		_, err := io.ReadFull(f, head)
		require.NoError(t, err, "the hook reads the capture from its start")
		got = append(got, session)
		return nil
	}
	code, _, errOut = decodeRun(t, nil, dir)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, []string{"be", "capture-without-extension", "le", "ng", "ns"}, got)
}

// TestDecodeProgress: a batch shows "N/M name" on stderr when it is a
// terminal, erased before each error line and at the end; not otherwise.
func TestDecodeProgress(t *testing.T) {
	pcm := loadSample(t)
	dir := t.TempDir()
	a := writeWAV(t, dir, "a.wav", wavfile.PCM16, 8000, 1, pcm)
	b := writeWAV(t, dir, "b.wav", wavfile.PCM16, 8000, 1, pcm)
	missing := filepath.Join(dir, "missing.wav")

	code, _, errOut := decodeRun(t, nil, a, missing, b)
	assert.Equal(t, 1, code)
	assert.NotContains(t, errOut, "\r", "no progress when stderr is not a terminal")

	old := isTerminal
	t.Cleanup(func() { isTerminal = old })
	isTerminal = func(io.Writer) bool { return true }
	var stdout, stderr bytes.Buffer
	code = run([]string{"decode", a, missing, b}, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, 1, code)
	e := stderr.String()
	assert.Contains(t, e, "\rdtmf decode: 1/3 "+a)
	assert.Contains(t, e, "\rdtmf decode: 3/3 "+b)
	// What is left on screen, once every \r has returned to the line start.
	var screen []string
	for _, line := range strings.Split(e, "\n") {
		parts := strings.Split(line, "\r")
		screen = append(screen, strings.TrimRight(parts[len(parts)-1], " "))
	}
	assert.Equal(t, []string{"dtmf decode: " + missing + ": no such file or directory", ""}, screen,
		"the error line stands alone, and the progress line is erased at the end")
	assert.Equal(t, 16, strings.Count(stdout.String(), "\n"), "stdout is untouched")
}

// TestDecodeHelpLeadsWithFlags: decode -h starts with the usage line and
// the flags (every flag, each once), and the long explanations follow.
func TestDecodeHelpLeadsWithFlags(t *testing.T) {
	code, out, _ := decodeRun(t, nil, "-h")
	require.Equal(t, 0, code)
	lines := strings.Split(out, "\n")
	assert.True(t, strings.HasPrefix(lines[0], "usage: dtmf decode "))
	first := slices.IndexFunc(lines, func(s string) bool { return strings.HasPrefix(s, "  -") })
	assert.Positive(t, first)
	assert.Less(t, first, 15, "the first flag comes within the first screen")
	lastFlag := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "  -") {
			lastFlag = i
		}
	}
	details := slices.IndexFunc(lines, func(s string) bool { return strings.HasPrefix(s, "Digit collection. ") })
	assert.Greater(t, details, lastFlag, "the explanations come after the flags")
	for _, name := range append(detectorFlagNames(), "r", "rate", "session", "timestamps", "encoding", "collect", "collect-at", "command-uid", "webhook", "webhook-timeout") {
		dash := "--"
		if len(name) == 1 {
			dash = "-"
		}
		n := 0
		for _, l := range lines {
			if l == "  "+dash+name || strings.HasPrefix(l, "  "+dash+name+" ") {
				n++
			}
		}
		assert.Equal(t, 1, n, "flag %s listed once", name)
	}
}
