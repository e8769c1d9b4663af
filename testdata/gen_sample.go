//go:build ignore

// gen_sample writes testdata/sample.wav, the recording the README's
// command decodes, and testdata/sample.json, the truth about the key
// presses in it. Run from the module root (needs the Debian package
// asterisk-core-sounds-en-wav for the speech):
//
//	go run testdata/gen_sample.go
//
// The output is deterministic: a fixed seed drives the noise and tone
// phases, so running it again rewrites the same bytes.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

const (
	rate   = 8000
	sounds = "/usr/share/asterisk/sounds/en_US_f_Allison/"
)

// A caller hears a prompt, dials a phone number ending in '#', and hears a
// thank-you. Tone lengths and gaps vary as a human's do (80-120 ms tones);
// levels are typical of a handset: about -9 dBm0 per tone, the high group
// a dB or two stronger than the low group.
var presses = []struct {
	digit      byte
	ms, gapMS  float64 // tone length, then silence before the next key
	low, high  float64 // levels [dBm0]
	lowOffset  float64 // frequency offsets [%]
	highOffset float64
}{
	{'5', 95, 85, -10, -8, 0.4, -0.3},
	{'5', 110, 70, -9, -8, 0.3, -0.2},
	{'5', 88, 120, -10, -9, 0.5, -0.4},
	{'1', 102, 95, -11, -9, -0.3, 0.6},
	{'2', 118, 80, -9, -7, 0.2, 0.1},
	{'3', 84, 110, -10, -8, -0.5, -0.5},
	{'4', 97, 90, -12, -10, 0.1, 0.3},
	{'#', 120, 0, -9, -8, 0.0, 0.7},
}

type truthPress struct {
	Digit      string `json:"digit"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	OffsetMS   int    `json:"offset_ms"`
	DurationMS int    `json:"duration_ms"`
}

type truth struct {
	Comment string       `json:"comment"`
	Rate    int          `json:"rate"`
	Digits  string       `json:"digits"`
	Presses []truthPress `json:"presses"`
}

func main() {
	s := synth.New(rate, 20240611)
	s.Silence(300)
	speech(s, "vm-enter-num-to-call.wav", 0.8)
	s.Silence(450)
	digits := ""
	for _, p := range presses {
		err := s.Add(synth.Tone{Digit: p.digit, Duration: p.ms, LowLevel: p.low, HighLevel: p.high,
			LowOffset: p.lowOffset, HighOffset: p.highOffset, RandomPhase: true})
		if err != nil {
			log.Fatal(err)
		}
		s.Silence(p.gapMS)
		digits += string(p.digit)
	}
	s.Silence(500)
	speech(s, "auth-thankyou.wav", 0.8)
	s.Silence(300)
	// Line noise at -60 dBm0 (a quiet but not silent line).
	a := synth.Amplitude(-60)
	s.AddNoise(a * a / 2)

	f, err := os.Create("testdata/sample.wav")
	if err != nil {
		log.Fatal(err)
	}
	if err := wavfile.Write(f, wavfile.PCM16, rate, 1, s.PCM()); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	t := truth{Comment: "written by testdata/gen_sample.go; positions in samples, ms rounded", Rate: rate, Digits: digits}
	for _, p := range s.Presses {
		t.Presses = append(t.Presses, truthPress{
			Digit: string(p.Digit), Start: p.Start, End: p.End,
			OffsetMS:   (p.Start*1000 + rate/2) / rate,
			DurationMS: ((p.End-p.Start)*1000 + rate/2) / rate,
		})
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("testdata/sample.json", append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("testdata/sample.wav: %d samples (%.2f s), digits %s\n", len(s.Samples), float64(len(s.Samples))/rate, digits)
}

// speech appends a prompt from the Asterisk core sounds, scaled by gain.
func speech(s *synth.Signal, name string, gain float64) {
	f, err := os.Open(sounds + name)
	if err != nil {
		log.Fatalf("%v (install the Debian package asterisk-core-sounds-en-wav)", err)
	}
	defer f.Close()
	format, pcm, err := wavfile.ReadAll(f)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	if format.SampleRate != rate || format.Channels != 1 {
		log.Fatalf("%s: want %d Hz mono, got %+v", name, rate, format)
	}
	for _, v := range pcm {
		s.Samples = append(s.Samples, gain*float64(v))
	}
}
