package dtmf_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// benchSignal is 11 s of audio at rate: PIN entries ("1234#", 70 ms keys,
// 150 ms apart) separated by a second of low noise, so that the detector,
// the collector and the sink all work.
func benchSignal(b *testing.B, rate int) []int16 {
	b.Helper()
	s := synth.New(rate, 1)
	for range 5 {
		s.Silence(1000)
		for _, k := range []byte("1234#") {
			s.Silence(150)
			if err := s.Add(synth.Tone{Digit: k, Duration: 70, LowLevel: -12, HighLevel: -14}); err != nil {
				b.Fatal(err)
			}
		}
	}
	s.AddNoise(4) // about -75 dBm0
	return s.PCM()
}

// detectorNsPerFrame keeps the bare detector's time per frame, by rate and
// frame, for the channel benchmarks' overhead metric.
var detectorNsPerFrame = map[string]float64{}

// BenchmarkChannel times the whole path for one channel per frame:
// path=detector is the bare detector, path=channel adds the collector
// (idle) and an NDJSON sink, path=channel+collect keeps a PIN collection
// running (restarted when one ends, which allocates its digit buffer).
// The channel runs report overhead-ns/frame and overhead-% over the
// detector when it ran first in the same invocation.
func BenchmarkChannel(b *testing.B) {
	for _, rate := range []int{8000, 16000} {
		for _, frame := range []int{rate / 50} { // 20 ms
			pcm := benchSignal(b, rate)
			key := fmt.Sprintf("rate=%d/frame=%d", rate, frame)
			frames := len(pcm) / frame
			report := func(b *testing.B, path string) {
				ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
				b.ReportMetric(ns/float64(frame), "ns/sample")
				b.ReportMetric(1e9/(ns/float64(frame)*float64(rate)), "channels/core")
				if path == "detector" {
					detectorNsPerFrame[key] = ns
				} else if d, ok := detectorNsPerFrame[key]; ok {
					b.ReportMetric(ns-d, "overhead-ns/frame")
					b.ReportMetric(100*(ns-d)/d, "overhead-%")
				}
			}
			b.Run("path=detector/"+key, func(b *testing.B) {
				cfg := detector.DefaultConfig()
				cfg.SampleRate = rate
				d, err := detector.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				evs := make([]detector.Event, 0, 64)
				b.SetBytes(int64(2 * frame))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					f := i % frames
					i++
					evs = d.Process(evs[:0], pcm[f*frame:(f+1)*frame])
				}
				report(b, "detector")
			})
			for _, collect := range []bool{false, true} {
				path := "channel"
				if collect {
					path = "channel+collect"
				}
				b.Run("path="+path+"/"+key, func(b *testing.B) {
					ch := newChannel(b, emit.NewWriter(io.Discard), rate)
					cfg := collector.DefaultConfig()
					b.SetBytes(int64(2 * frame))
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						if collect && !ch.Collecting() {
							if _, err := ch.Collect("bench", cfg); err != nil {
								b.Fatal(err)
							}
						}
						f := i % frames
						i++
						if _, err := ch.Process(pcm[f*frame : (f+1)*frame]); err != nil {
							b.Fatal(err)
						}
					}
					report(b, path)
				})
			}
		}
	}
}
