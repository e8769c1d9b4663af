package talkoff

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// writeWAV writes pcm as an 8 kHz mono WAV under dir.
func writeWAV(t *testing.T, dir, rel string, pcm []int16) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	var b bytes.Buffer
	require.NoError(t, wavfile.Write(&b, wavfile.PCM16, 8000, 1, pcm))
	require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
}

// keyPress returns 200 ms of silence, a 100 ms press of digit at -10 dBm0
// per tone, and 200 ms of silence.
func keyPress(t *testing.T, digit byte) []int16 {
	t.Helper()
	s := synth.New(8000, 1)
	s.Silence(200)
	require.NoError(t, s.Add(synth.Tone{Digit: digit, Duration: 100, LowLevel: -10, HighLevel: -10}))
	s.Silence(200)
	return s.PCM()
}

// tinyCorpus writes a corpus of three items in two splits and returns its
// directory and manifest.
func tinyCorpus(t *testing.T) (string, *Manifest) {
	t.Helper()
	dir := t.TempDir()
	m := &Manifest{Format: ManifestFormat, Files: []File{
		{Path: "pcm/m15/a/a1.wav", Item: "a1", Source: "a", Packages: []string{"p"}, Kind: KindMusic, Genre: "rock-pop",
			Licence: "GPL-2+", Split: SplitTuning, DurationS: 0.5, LevelDBm0: -15, Codec: CodecPCM},
		{Path: "opus-12k/m25/a/a1.wav", Item: "a1", Source: "a", Packages: []string{"p"}, Kind: KindMusic, Genre: "rock-pop",
			Licence: "GPL-2+", Split: SplitTuning, DurationS: 0.5, LevelDBm0: -25, Codec: CodecOpus},
		{Path: "pcm/m15/b/b1.wav", Item: "b1", Source: "b", Packages: []string{"q"}, Kind: KindSpeech, Language: "fr-FR",
			Licence: "CC-BY-SA-3.0", Split: SplitHeldOut, DurationS: 0.5, LevelDBm0: -15, Codec: CodecPCM},
	}}
	writeWAV(t, dir, m.Files[0].Path, keyPress(t, '5'))
	writeWAV(t, dir, m.Files[1].Path, make([]int16, 4000))
	writeWAV(t, dir, m.Files[2].Path, keyPress(t, '#'))
	b, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ManifestName), b, 0o644))
	return dir, m
}
