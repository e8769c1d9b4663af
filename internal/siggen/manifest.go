package siggen

import "math"

// ManifestFormat identifies the manifest layout written by `dtmf gen`.
const ManifestFormat = "dtmf-gen-manifest/1"

// Manifest is the truth about a generated signal, written beside the audio
// so that any detector's output can be scored against it.
type Manifest struct {
	Format string `json:"format"`
	// Audio is the audio file's name as given to `dtmf gen`; Container is
	// "wav" or "raw" and Encoding the sample encoding ("pcm16", "ulaw",
	// "alaw", ...).
	Audio     string `json:"audio"`
	Container string `json:"container"`
	Encoding  string `json:"encoding"`
	// SampleRate [Hz], Samples and DurationMS describe the audio.
	SampleRate int     `json:"sample_rate"`
	Samples    int     `json:"samples"`
	DurationMS float64 `json:"duration_ms"`
	// Command rebuilds the audio.
	Command string `json:"command"`
	// Digits are the digits a correct detector reports, in order (one per
	// tone: interruptions inside a tone are meant to be bridged).
	Digits string `json:"digits"`
	// Presses are the tones written, in order.
	Presses []ManifestPress `json:"presses"`
	// Spec is every parameter of the signal.
	Spec Spec `json:"spec"`
}

// ManifestPress is one tone of a [Manifest]: where it starts and ends, in
// samples and milliseconds from the start of the audio, and its length.
type ManifestPress struct {
	Digit       string  `json:"digit"`
	StartSample int     `json:"start_sample"`
	EndSample   int     `json:"end_sample"`
	StartMS     float64 `json:"start_ms"`
	EndMS       float64 `json:"end_ms"`
	DurationMS  float64 `json:"duration_ms"`
}

// NewManifest describes sig, built from spec and stored in audio
// (container "wav" or "raw", encoding as named by the wavfile package).
func NewManifest(spec Spec, sig *Signal, audio, container, encoding string) Manifest {
	ms := func(n int) float64 { return math.Round(float64(n)*1e6/float64(sig.SampleRate)) / 1000 }
	m := Manifest{
		Format: ManifestFormat, Audio: audio, Container: container, Encoding: encoding,
		SampleRate: sig.SampleRate, Samples: len(sig.PCM), DurationMS: ms(len(sig.PCM)),
		Command: spec.Command(audio), Digits: spec.Digits, Spec: spec,
		Presses: make([]ManifestPress, 0, len(sig.Presses)),
	}
	for _, p := range sig.Presses {
		m.Presses = append(m.Presses, ManifestPress{
			Digit: string(p.Digit), StartSample: p.Start, EndSample: p.End,
			StartMS: ms(p.Start), EndMS: ms(p.End), DurationMS: ms(p.End - p.Start),
		})
	}
	return m
}
