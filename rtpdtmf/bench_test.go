package rtpdtmf

import (
	"testing"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
)

// BenchmarkReceiver measures one 20 ms packet (160-sample PCMU) through a
// receiver: parse, sequence, decode, detect, merge. The stream holds keys
// a fifth of the time and telephone-events for half of them, like a
// busy IVR leg.
func BenchmarkReceiver(b *testing.B) {
	var presses []press
	for i := range 20 {
		presses = append(presses, press{digit: "123A456B789C*0#D"[i%16], before: 400, ms: 100})
	}
	pcm, truth := signal(b, 8000, 50, presses...)
	var keys []rfcKey
	for i, p := range truth {
		if i%2 == 0 {
			keys = append(keys, rfcKey{digit: p.Digit, start: p.Start, length: p.End - p.Start})
		}
	}
	// The detector alone on the same payloads: the floor the receiver's
	// own work (parse, sequence, decode, merge) adds to.
	b.Run("detector-only", func(b *testing.B) {
		pkts := newStream(PCMU).packets(pcm)
		d, err := detector.New(detector.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		devs := make([]detector.Event, 0, 8)
		var p rtp.Packet
		b.ReportAllocs()
		b.SetBytes(160)
		i := 0
		for b.Loop() {
			if i == len(pkts) {
				i = 0
			}
			p = pkts[i]
			devs = d.ProcessULaw(devs[:0], p.Payload)
			i++
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns, "ns/packet")
		b.ReportMetric(ns/160, "ns/sample")
	})
	for _, tc := range []struct {
		name   string
		events bool
	}{{"pcmu=160", false}, {"pcmu=160+rfc4733", true}} {
		b.Run(tc.name, func(b *testing.B) {
			s := newStream(PCMU)
			var pkts [][]byte
			if tc.events {
				pkts = marshal(b, s.rfcStream(pcm, true, keys...))
			} else {
				pkts = marshal(b, s.packets(pcm))
			}
			r := newReceiver(b, nil)
			evs := make([]Event, 0, 16)
			// Each lap replays the stream from a fresh receiver state.
			b.ReportAllocs()
			b.SetBytes(160)
			i := 0
			for b.Loop() {
				if i == len(pkts) {
					b.StopTimer()
					r.Reset()
					i = 0
					b.StartTimer()
				}
				evs, _ = r.Process(evs[:0], pkts[i])
				i++
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(ns, "ns/packet")
			b.ReportMetric(ns/160, "ns/sample")
			b.ReportMetric(1e9/(ns*50), "streams/core")
		})
	}
}
