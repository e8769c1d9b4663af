package siggen

import (
	"bytes"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpecValidate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		edit  func(*Spec)
		field string
	}{
		{"rate", func(s *Spec) { s.SampleRate = 1000 }, "sample rate"},
		{"digit", func(s *Spec) { s.Digits = "12x" }, "digit"},
		{"lower-case digit", func(s *Spec) { s.Digits = "a" }, "digit"},
		{"tone", func(s *Spec) { s.ToneMS = -1 }, "tone length"},
		{"tone NaN", func(s *Spec) { s.ToneMS = nan }, "tone length"},
		{"pause", func(s *Spec) { s.PauseMS = math.Inf(1) }, "pause length"},
		{"lead", func(s *Spec) { s.LeadMS = -5 }, "lead"},
		{"trail", func(s *Spec) { s.TrailMS = nan }, "trail"},
		{"low level", func(s *Spec) { s.LowLevel = 20 }, "low level"},
		{"high level", func(s *Spec) { s.HighLevel = nan }, "high level"},
		{"low offset", func(s *Spec) { s.LowOffset = 25 }, "low offset"},
		{"high offset", func(s *Spec) { s.HighOffset = nan }, "high offset"},
		{"gap", func(s *Spec) { s.Gaps = [][2]float64{{10, 0}} }, "gap"},
		{"snr", func(s *Spec) { s.SNR = &nan }, "SNR"},
		{"codec", func(s *Spec) { s.Codec = "gsm" }, "codec"},
		{"background", func(s *Spec) { s.Background = "x.wav" }, "background"},
		{"background level", func(s *Spec) { s.BackgroundLevel = nan }, "background level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSpec()
			tt.edit(&s)
			_, err := s.Build()
			require.ErrorIs(t, err, ErrSpec)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
	s := DefaultSpec()
	require.NoError(t, s.Validate())
}

func TestSpecBuild(t *testing.T) {
	s := DefaultSpec()
	s.Digits = "19"
	s.ToneMS, s.PauseMS, s.LeadMS, s.TrailMS = 50, 30, 20, 10
	a, err := s.Build()
	require.NoError(t, err)
	assert.Len(t, a.PCM, 8*(20+50+30+50+10))
	assert.Equal(t, []synth.Press{{Digit: '1', Start: 160, End: 560}, {Digit: '9', Start: 800, End: 1200}}, a.Presses)
	assert.Zero(t, a.PCM[159])
	assert.NotZero(t, a.PCM[161]|a.PCM[162])
	b, err := s.Build()
	require.NoError(t, err)
	assert.Equal(t, a.PCM, b.PCM, "same spec, same samples")
	s.Seed = 2
	c, err := s.Build()
	require.NoError(t, err)
	assert.NotEqual(t, a.PCM, c.PCM, "another seed, other phases")
}

// The noise has the power the SNR definition says: both tones' power over
// the noise power.
func TestSpecSNR(t *testing.T) {
	for _, snr := range []float64{20, 6, 0} {
		s := DefaultSpec()
		s.Digits = ""
		s.LeadMS = 10000
		s.LowLevel, s.HighLevel = -10, -16
		s.SNR = &snr
		sig, err := s.Build()
		require.NoError(t, err)
		var p float64
		for _, v := range sig.PCM {
			p += float64(v) * float64(v)
		}
		p /= float64(len(sig.PCM))
		want := DTMFPower(-10, -16) / math.Pow(10, snr/10)
		assert.InDelta(t, 10*math.Log10(want), 10*math.Log10(p), 0.05, "SNR %g dB", snr)
	}
}

func TestSpecBackgroundAndCodec(t *testing.T) {
	bg := DefaultSpec()
	bg.Digits = "1234"
	bg.LeadMS, bg.TrailMS = 0, 0
	bgSig, err := bg.Build()
	require.NoError(t, err)

	s := DefaultSpec()
	s.Digits = ""
	s.LeadMS = 3000
	s.Background, s.BackgroundPCM, s.BackgroundLevel = "bg", bgSig.PCM, -25
	sig, err := s.Build()
	require.NoError(t, err)
	assert.InDelta(t, -25, ActiveLevel(sig.PCM, 8000), 0.3, "background mixed at its active level")

	for _, codec := range []string{CodecULaw, CodecALaw} {
		s := DefaultSpec()
		s.Codec = codec
		sig, err := s.Build()
		require.NoError(t, err)
		s.Codec = ""
		lin, err := s.Build()
		require.NoError(t, err)
		assert.NotEqual(t, lin.PCM, sig.PCM, codec)
		again := append([]int16(nil), sig.PCM...)
		RoundTrip(again, codec)
		assert.Equal(t, sig.PCM, again, "%s: a second round trip changes nothing", codec)
	}
}

func TestLevels(t *testing.T) {
	assert.InDelta(t, 0, PowerLevel(DTMFPower(0, -300)), 1e-9)
	assert.InDelta(t, 3.0103, PowerLevel(DTMFPower(0, 0)), 1e-4)
	assert.True(t, math.IsInf(ActiveLevel(make([]int16, 800), 8000), -1), "silence")
	assert.True(t, math.IsInf(ActiveLevel(nil, 8000), -1), "nothing")
	// A tone with long pauses: the pauses do not lower the active level.
	s := DefaultSpec()
	s.Digits, s.LowLevel, s.HighLevel, s.ToneMS, s.PauseMS = "55", -20, -20, 500, 2000
	sig, err := s.Build()
	require.NoError(t, err)
	assert.InDelta(t, PowerLevel(DTMFPower(-20, -20)), ActiveLevel(sig.PCM, 8000), 0.2)
}

func TestResample(t *testing.T) {
	s := DefaultSpec()
	s.Digits, s.ToneMS = "D", 500
	sig, err := s.Build()
	require.NoError(t, err)
	up := Resample(sig.PCM, 8000, 16000)
	assert.Len(t, up, 2*len(sig.PCM))
	assert.InDelta(t, ActiveLevel(sig.PCM, 8000), ActiveLevel(up, 16000), 0.1, "level kept")
	down := Resample(up, 16000, 8000)
	var diff, ref float64
	for i := 200; i < len(down)-200; i++ {
		d := float64(down[i]) - float64(sig.PCM[i])
		diff += d * d
		ref += float64(sig.PCM[i]) * float64(sig.PCM[i])
	}
	assert.Less(t, 10*math.Log10(diff/ref), -40.0, "8k → 16k → 8k error [dB]")
	assert.Equal(t, sig.PCM, Resample(sig.PCM, 8000, 8000))
}

func TestReadAudioAndCorpus(t *testing.T) {
	dir := t.TempDir()
	s := DefaultSpec()
	s.Digits = "7"
	sig, err := s.Build()
	require.NoError(t, err)
	var wav bytes.Buffer
	require.NoError(t, wavfile.Write(&wav, wavfile.PCM16, 8000, 1, sig.PCM))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "b.wav"), wav.Bytes(), 0o644))
	stereo := make([]int16, 2*len(sig.PCM))
	for i, v := range sig.PCM {
		stereo[2*i], stereo[2*i+1] = v, v
	}
	wav.Reset()
	require.NoError(t, wavfile.Write(&wav, wavfile.PCM16, 16000, 2, stereo))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.WAV"), wav.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))

	recs, err := LoadCorpus(dir, 8000)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "a.WAV", recs[0].Name)
	assert.Equal(t, filepath.Join("sub", "b.wav"), recs[1].Name)
	assert.Len(t, recs[0].PCM, len(sig.PCM)/2, "stereo 16 kHz mixed down and resampled to 8 kHz")
	assert.Equal(t, sig.PCM, recs[1].PCM)

	raw := make([]byte, 2*len(sig.PCM))
	for i, v := range sig.PCM {
		raw[2*i], raw[2*i+1] = byte(v), byte(uint16(v)>>8)
	}
	rawPath := filepath.Join(dir, "x.raw")
	require.NoError(t, os.WriteFile(rawPath, raw, 0o644))
	pcm, rate, err := ReadAudioRate(rawPath, 16000)
	require.NoError(t, err)
	assert.Equal(t, 16000, rate)
	assert.Equal(t, sig.PCM, pcm)

	require.NoError(t, os.WriteFile(rawPath, raw[:3], 0o644))
	_, _, err = ReadAudioRate(rawPath, 8000)
	assert.ErrorContains(t, err, "odd number of bytes")
	require.NoError(t, os.WriteFile(rawPath, []byte("RIFF\x04\x00\x00\x00WAVE"), 0o644))
	_, err = ReadAudio(rawPath, 8000)
	assert.ErrorIs(t, err, wavfile.ErrMalformed)

	_, err = LoadCorpus(filepath.Join(dir, "none"), 8000)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.ErrorContains(t, err, "asterisk-core-sounds-en-wav", "names the package to install")
	_, err = LoadCorpus(t.TempDir(), 8000)
	assert.ErrorContains(t, err, "no .wav file")
}

func TestManifest(t *testing.T) {
	s := DefaultSpec()
	s.Digits = "*0"
	s.LeadMS = 12.5
	sig, err := s.Build()
	require.NoError(t, err)
	m := NewManifest(s, sig, "t.wav", "wav", "pcm16")
	assert.Equal(t, ManifestFormat, m.Format)
	assert.Equal(t, "*0", m.Digits)
	assert.Equal(t, len(sig.PCM), m.Samples)
	require.Len(t, m.Presses, 2)
	assert.Equal(t, ManifestPress{Digit: "*", StartSample: 100, EndSample: 900, StartMS: 12.5, EndMS: 112.5, DurationMS: 100}, m.Presses[0])
	assert.Contains(t, m.Command, "--lead 12.5")
}
