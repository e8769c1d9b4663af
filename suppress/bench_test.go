package suppress_test

import (
	"fmt"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/suppress"
	"github.com/stretchr/testify/require"
)

// benchSignal is 10 s at rate: key presses (a fifth of the time) over a
// noise floor.
func benchSignal(b *testing.B, rate int) []int16 {
	g := synth.New(rate, 4)
	for i := range 20 {
		g.Silence(300)
		require.NoError(b, g.Add(synth.Tone{Digit: detector.Keys[i%16], Duration: 100, LowLevel: -10, HighLevel: -12, RandomPhase: true}))
		g.Silence(100)
	}
	g.AddNoise(100)
	return g.PCM()
}

// BenchmarkProcess times the suppressor against the bare detector in the
// same run (ns/sample; compare the two as a ratio), 20 ms frames.
func BenchmarkProcess(b *testing.B) {
	for _, rate := range []int{8000, 48000} {
		pcm := benchSignal(b, rate)
		frame := rate / 50
		n := len(pcm) / frame * frame
		ulaw := make([]byte, n)
		for i, v := range pcm[:n] {
			ulaw[i] = g711.LinearToULaw(v)
		}
		buf := make([]int16, frame)
		bbuf := make([]byte, frame)
		ev := make([]detector.Event, 0, 8)
		spans := make([]suppress.Span, 0, 8)
		report := func(b *testing.B) {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/sample")
			b.ReportMetric(0, "ns/op")
		}
		b.Run(fmt.Sprintf("detector/rate=%d/frame=%d", rate, frame), func(b *testing.B) {
			cfg := detector.DefaultConfig()
			cfg.SampleRate = rate
			d, err := detector.New(cfg)
			require.NoError(b, err)
			b.ReportAllocs()
			b.SetBytes(int64(2 * n))
			for b.Loop() {
				for i := 0; i < n; i += frame {
					copy(buf, pcm[i:i+frame]) // the same copy as the suppressor's run
					ev = d.Process(ev[:0], buf)
				}
			}
			report(b)
		})
		b.Run(fmt.Sprintf("suppress/rate=%d/frame=%d", rate, frame), func(b *testing.B) {
			s := newSup(b, rate, nil)
			b.ReportAllocs()
			b.SetBytes(int64(2 * n))
			for b.Loop() {
				for i := 0; i < n; i += frame {
					copy(buf, pcm[i:i+frame])
					ev = s.Process(ev[:0], buf)
					spans = s.AppendSpans(spans[:0])
				}
			}
			report(b)
		})
		b.Run(fmt.Sprintf("suppress-ulaw/rate=%d/frame=%d", rate, frame), func(b *testing.B) {
			s := newSup(b, rate, nil)
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				for i := 0; i < n; i += frame {
					copy(bbuf, ulaw[i:i+frame])
					ev = s.ProcessULaw(ev[:0], bbuf)
					spans = s.AppendSpans(spans[:0])
				}
			}
			report(b)
		})
	}
}
