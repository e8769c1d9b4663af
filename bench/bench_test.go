package bench

import (
	"fmt"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/siggen"
)

// Benchmarks of the per-channel hot paths on call-like audio: speech (the
// asterisk-core-sounds-en-wav prompts) with DTMF bursts, fed in frames as a
// media server does. One op is one frame. Each reports ns/sample and
// channels/core (real-time channels one core can carry). Compare two
// commits with bench/benchstat.sh.

// reportRate adds ns/sample and channels/core for samples per op at rate.
func reportRate(b *testing.B, samples, rate int) {
	ns := float64(b.Elapsed().Nanoseconds()) / (float64(b.N) * float64(samples))
	b.ReportMetric(ns, "ns/sample")
	b.ReportMetric(1e9/(ns*float64(rate)), "channels/core")
}

// frames cuts pcm into frames of n samples (the tail is dropped).
func frames(pcm []int16, n int) [][]int16 {
	var out [][]int16
	for i := 0; i+n <= len(pcm); i += n {
		out = append(out, pcm[i:i+n])
	}
	return out
}

// BenchmarkDetector times Detector.Process per frame for one channel (the
// state stays in cache) and for 10,000 channels served in turn (each frame
// goes to the next channel, as on a busy media server).
func BenchmarkDetector(b *testing.B) {
	pcm8k, keys := speechWithDTMF(b)
	for _, bc := range []struct {
		rate, frame, channels int
	}{
		{8000, 160, 1}, {8000, 80, 1}, {8000, 240, 1}, {8000, 40, 1},
		{16000, 320, 1}, {8000, 160, 10000},
	} {
		b.Run(fmt.Sprintf("rate=%d/frame=%d/channels=%d", bc.rate, bc.frame, bc.channels), func(b *testing.B) {
			pcm := pcm8k
			if bc.rate != 8000 {
				pcm = siggen.Resample(pcm8k, 8000, bc.rate)
			}
			fs := frames(pcm, bc.frame)
			cfg := detector.DefaultConfig()
			cfg.SampleRate = bc.rate
			dets := make([]*detector.Detector, bc.channels)
			for i := range dets {
				d, err := detector.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				dets[i] = d
			}
			ev := make([]detector.Event, 0, 64)
			ups := 0
			b.SetBytes(int64(2 * bc.frame))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ev = dets[i%bc.channels].Process(ev[:0], fs[(i/bc.channels)%len(fs)])
				ups += len(ev)
				i++
			}
			reportRate(b, bc.frame, bc.rate)
			if bc.channels == 1 && b.N >= len(fs) && ups == 0 {
				b.Fatalf("no event over %d frames of audio with %d key presses", b.N, keys)
			}
		})
	}
}

// BenchmarkPipeline times what a server runs per channel and frame:
// detector, digit collector and contract JSON for every key-up.
func BenchmarkPipeline(b *testing.B) {
	pcm, _ := speechWithDTMF(b)
	for _, frame := range []int{160} {
		b.Run(fmt.Sprintf("rate=8000/frame=%d", frame), func(b *testing.B) {
			fs := frames(pcm, frame)
			chans := newChannels(b, 1)
			buf := make([]byte, 0, 256)
			b.SetBytes(int64(2 * frame))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ch := &chans[0]
				ch.ev = ch.d.Process(ch.ev[:0], fs[i%len(fs)])
				for j := range ch.ev {
					if _, err := ch.c.Key(ch.ev[j]); err != nil {
						b.Fatal(err)
					}
					if ch.ev[j].Type == detector.KeyUp {
						buf = appendDTMF(buf[:0], &ch.ev[j])
					}
				}
				if _, err := ch.c.AdvanceTo(ch.d.Position()); err != nil {
					b.Fatal(err)
				}
				i++
			}
			reportRate(b, frame, 8000)
		})
	}
}

// BenchmarkProcessULaw times the G.711 µ-law entry point (a PCMU payload
// per frame).
func BenchmarkProcessULaw(b *testing.B) {
	pcm, _ := speechWithDTMF(b)
	u := make([]byte, len(pcm))
	for i, v := range pcm {
		u[i] = g711.LinearToULaw(v)
	}
	const frame = 160
	d, err := detector.New(detector.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	ev := make([]detector.Event, 0, 64)
	n := len(u) / frame
	b.Run(fmt.Sprintf("rate=8000/frame=%d", frame), func(b *testing.B) {
		b.SetBytes(frame)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			k := i % n
			ev = d.ProcessULaw(ev[:0], u[k*frame:k*frame+frame])
			i++
		}
		reportRate(b, frame, 8000)
	})
}

// BenchmarkChannelSetup times creating one channel (detector, collector with
// a collection started) and reports the heap bytes its detector and
// collector (with a collection running) take, measured over 1000 channels.
func BenchmarkChannelSetup(b *testing.B) {
	for b.Loop() {
		_ = newChannels(b, 1)
	}
	const n = 1000
	det, coll := channelBytes(b, n)
	b.ReportMetric(det, "detector-B/channel")
	b.ReportMetric(coll, "collector-B/channel")
}
