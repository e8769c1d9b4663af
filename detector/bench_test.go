package detector_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
)

// speechWithBursts is about a minute of recorded prompts with a 16-key
// burst after every 20th prompt, like bench/peers/make_long.sh; without
// the corpus, synthetic tones in noise.
func speechWithBursts(b *testing.B) []int16 {
	b.Helper()
	var pcm []int16
	if testenv.Required() || corpusPresent() {
		bu := burst()
		for i, p := range testenv.Speech(b) {
			pcm = append(pcm, p.PCM...)
			if i%20 == 19 {
				pcm = append(pcm, bu...)
			}
			if len(pcm) > 60*8000 {
				break
			}
		}
		return pcm
	}
	s := synth.New(8000, 1)
	for range 30 {
		s.Silence(900)
		for _, d := range []byte(detector.Keys) {
			s.Add(synth.Tone{Digit: d, Duration: 80, LowLevel: -10, HighLevel: -10, RandomPhase: true})
			s.Silence(80)
		}
	}
	s.AddNoise(noisePower(-25, 0))
	return s.PCM()
}

func corpusPresent() bool {
	_, err := os.Stat(testenv.SpeechDir)
	return err == nil
}

// BenchmarkProcess runs one detector over speech with DTMF bursts in frames
// of 160 samples (20 ms at 8 kHz). Compare commits with benchstat.
func BenchmarkProcess(b *testing.B) {
	pcm := speechWithBursts(b)
	for _, frame := range []int{160, 80, 480} {
		b.Run(fmt.Sprintf("rate=8000/frame=%d", frame), func(b *testing.B) {
			d, err := detector.New(detector.DefaultConfig())
			require.NoError(b, err)
			ev := make([]detector.Event, 0, 16)
			n := len(pcm) / frame * frame
			b.SetBytes(int64(2 * n))
			b.ReportAllocs()
			for b.Loop() {
				for i := 0; i < n; i += frame {
					ev = d.Process(ev[:0], pcm[i:i+frame])
				}
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N*n)
			b.ReportMetric(ns, "ns/sample")
			b.ReportMetric(1e9/(ns*8000), "channels/core")
		})
	}
}

// BenchmarkExplain measures what explanations cost: off (the default, one
// nil check per candidate) against on, over the same speech with bursts.
// Off must match BenchmarkProcess within noise.
func BenchmarkExplain(b *testing.B) {
	pcm := speechWithBursts(b)
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("explain=%v", on), func(b *testing.B) {
			d, err := detector.New(detector.DefaultConfig())
			require.NoError(b, err)
			evaluations := 0
			if on {
				d.Explain(func(*detector.Evaluation) { evaluations++ })
			}
			ev := make([]detector.Event, 0, 16)
			n := len(pcm) / 160 * 160
			b.ReportAllocs()
			for b.Loop() {
				for i := 0; i < n; i += 160 {
					ev = d.Process(ev[:0], pcm[i:i+160])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sample")
			b.ReportMetric(float64(evaluations)/float64(b.N), "evaluations/op")
		})
	}
}
