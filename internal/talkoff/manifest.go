package talkoff

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strings"
)

// ManifestFormat identifies the layout of a talk-off corpus manifest.
const ManifestFormat = "dtmf-talkoff-corpus/1"

// ManifestName is the manifest's file name inside a corpus directory.
const ManifestName = "manifest.json"

// Kinds of material.
const (
	KindMusic  = "music"
	KindSpeech = "speech"
)

// Splits: tuning material may be looked at while tuning the detector;
// held-out material is only measured.
const (
	SplitTuning  = "tuning"
	SplitHeldOut = "heldout"
)

// Codecs a corpus file has been through.
const (
	CodecPCM   = "pcm"        // none: the clean 8 kHz signal
	CodecAMRNB = "amr-nb-122" // AMR-NB 12.2 kbit/s (sox with opencore-amr)
	CodecOpus  = "opus-12k"   // Opus 12 kbit/s (ffmpeg with libopus)
)

// Manifest lists every audio file of a talk-off corpus: material that holds
// no DTMF, so every key press a decoder reports in it is false.
type Manifest struct {
	Format string `json:"format"`
	// Reference is how the corpus defines its levels (text for readers).
	Reference string `json:"reference"`
	Files     []File `json:"files"`
}

// File is one audio file of a corpus: 8000 Hz mono 16-bit WAV.
type File struct {
	// Path is the file's path relative to the corpus directory, with
	// forward slashes.
	Path string `json:"path"`
	// Item names the material: the same Item at another level or through
	// another codec is the same sound.
	Item string `json:"item"`
	// Source is the unit of the split: a package or album, a language and
	// voice, or a MIDI instrument family.
	Source string `json:"source"`
	// Packages are the Debian packages the material comes from.
	Packages []string `json:"packages"`
	// Kind is KindMusic or KindSpeech.
	Kind string `json:"kind"`
	// Genre is the music's genre ("orchestral", "rock-pop", "electronic",
	// "tracker", "midi-solo", "midi-game", ...); empty for speech.
	Genre string `json:"genre,omitempty"`
	// Language (BCP 47, e.g. "fr-CA") and Voice describe speech.
	Language string `json:"language,omitempty"`
	Voice    string `json:"voice,omitempty"`
	// Licence of the material, as its Debian copyright file states it.
	Licence string `json:"licence"`
	// Split is SplitTuning or SplitHeldOut.
	Split string `json:"split"`
	// Origin says what the item was made from: files, a TTS command, a
	// MIDI generator and its seed.
	Origin string `json:"origin"`
	// DurationS is the file's length [s].
	DurationS float64 `json:"duration_s"`
	// LevelDBm0 is the level the item was normalised to [dBm0, active
	// average]; MeasuredDBm0 the active level measured in this file (after
	// the codec).
	LevelDBm0    float64 `json:"level_dbm0"`
	MeasuredDBm0 float64 `json:"measured_dbm0"`
	// Clipped is the number of samples clipped by the normalisation.
	Clipped int `json:"clipped"`
	// Codec is CodecPCM, CodecAMRNB or CodecOpus.
	Codec string `json:"codec"`
	// F0 is the voiced pitch of speech: 10th, 50th and 90th percentile
	// [Hz] of the voiced 40 ms frames, or absent.
	F0 *Pitch `json:"f0,omitempty"`
	// Sections divide a generated piece into passages of one kind (e.g.
	// plain music, chords near a DTMF pair), in order.
	Sections []Section `json:"sections,omitempty"`
}

// Section is a passage of a generated piece [ms from the file's start].
type Section struct {
	StartMS int    `json:"start_ms"`
	EndMS   int    `json:"end_ms"`
	Kind    string `json:"kind"`
}

// SectionAt returns the kind of the section holding offset ms, or "".
func (f *File) SectionAt(ms float64) string {
	for _, s := range f.Sections {
		if ms >= float64(s.StartMS) && ms < float64(s.EndMS) {
			return s.Kind
		}
	}
	return ""
}

// Pitch is a pitch distribution [Hz].
type Pitch struct {
	P10    float64 `json:"p10"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	// VoicedS is the voiced time it was measured over [s].
	VoicedS float64 `json:"voiced_s"`
}

// Level returns the file's nominal level as a label, e.g. "-15dBm0".
func (f *File) Level() string { return fmt.Sprintf("%gdBm0", f.LevelDBm0) }

// ReadManifest reads and checks a manifest. It fails with an error wrapping
// [ErrManifest] on malformed JSON, an unknown format, or a file entry with a
// missing or invalid field (naming the entry), and with the I/O error if
// the file cannot be read.
func ReadManifest(name string) (*Manifest, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := DecodeManifest(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// DecodeManifest is [ReadManifest] on a reader.
func DecodeManifest(r io.Reader) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrManifest, err)
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("%w: format %q: want %q", ErrManifest, m.Format, ManifestFormat)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate reports the first invalid entry as an error wrapping
// [ErrManifest], or nil.
func (m *Manifest) Validate() error {
	seen := make(map[string]bool, len(m.Files))
	for i := range m.Files {
		f := &m.Files[i]
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%w: file %d (%q): %s", ErrManifest, i, f.Path, fmt.Sprintf(format, a...))
		}
		switch {
		case f.Path == "" || path.IsAbs(f.Path) || strings.Contains(f.Path, `\`) ||
			path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "../"):
			return bad("path must be relative, clean and inside the corpus")
		case seen[f.Path]:
			return bad("listed twice")
		case f.Item == "" || f.Source == "":
			return bad("item and source are required")
		case f.Kind != KindMusic && f.Kind != KindSpeech:
			return bad("kind %q: want %q or %q", f.Kind, KindMusic, KindSpeech)
		case f.Kind == KindMusic && f.Genre == "":
			return bad("music needs a genre")
		case f.Kind == KindSpeech && f.Language == "":
			return bad("speech needs a language")
		case f.Split != SplitTuning && f.Split != SplitHeldOut:
			return bad("split %q: want %q or %q", f.Split, SplitTuning, SplitHeldOut)
		case f.Codec != CodecPCM && f.Codec != CodecAMRNB && f.Codec != CodecOpus:
			return bad("codec %q: want %q, %q or %q", f.Codec, CodecPCM, CodecAMRNB, CodecOpus)
		case f.Licence == "":
			return bad("licence is required")
		case !(f.DurationS > 0) || math.IsInf(f.DurationS, 0):
			return bad("duration_s %v: want a positive number", f.DurationS)
		case math.IsNaN(f.LevelDBm0) || f.LevelDBm0 > 3.17 || f.LevelDBm0 < -80:
			return bad("level_dbm0 %v: want a value in [-80, 3.17]", f.LevelDBm0)
		}
		seen[f.Path] = true
	}
	return nil
}
