package bench

import (
	"fmt"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
)

// channelsInput is the samples the channel benchmark's frames come from:
// 2^25 (64 MiB, 70 minutes at 8 kHz), more than any cache, so that frames
// arrive from memory as a media server's packets do.
const channelsInput = 1 << 25

// BenchmarkChannels times a media server's tick: each of N channels, each
// its own detector, gets its next 160-sample frame (20 ms at 8 kHz) in
// turn, round-robin. The frames come from a 64 MiB buffer (the speech+DTMF
// fixture tiled), each channel reading its own stretch of it, so neither
// the input nor, at 10,000 channels, the detectors' state stays in cache.
// One op is one tick of all N channels; ns/sample is over all channels'
// samples, channels/core the real-time channels one core carries at that
// rate. channels=1 is the same loop for one detector: the gap between the
// two is what scale costs.
func BenchmarkChannels(b *testing.B) {
	const frame = 160
	fixture, _ := speechWithDTMF(b)
	// Read-only and shared by both runs: built once, not per b.Run call.
	in := make([]int16, channelsInput/frame*frame)
	for i := 0; i < len(in); i += len(fixture) {
		copy(in[i:], fixture)
	}
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprintf("rate=8000/frame=%d/channels=%d", frame, n), func(b *testing.B) {
			dets := make([]*detector.Detector, n)
			pos := make([]int, n) // each channel's next frame in in
			stride := len(in) / n / frame * frame
			for c := range dets {
				d, err := detector.New(detector.DefaultConfig())
				if err != nil {
					b.Fatal(err)
				}
				dets[c], pos[c] = d, c*stride
			}
			ev := make([]detector.Event, 0, 64)
			events := 0
			b.SetBytes(int64(2 * frame * n))
			b.ReportAllocs()
			for b.Loop() {
				for c, d := range dets {
					p := pos[c]
					ev = d.Process(ev[:0], in[p:p+frame])
					events += len(ev)
					if p += frame; p == len(in) {
						p = 0
					}
					pos[c] = p
				}
			}
			reportRate(b, frame*n, 8000)
			if b.N*n*frame >= len(fixture) && events == 0 {
				b.Fatalf("no event over %d frames of audio with key presses", b.N*n)
			}
		})
	}
}
