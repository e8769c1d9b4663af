package wavfile

import (
	"bytes"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"io"
	"testing"
)

// BenchmarkRead measures decoding speed per encoding: ns per sample over a
// one-minute 8 kHz mono file held in memory, read 160 samples (20 ms) at a
// time.
func BenchmarkRead(b *testing.B) {
	pcm := testutil.RandomPCM(60*8000, 1)
	for _, enc := range allEncodings {
		b.Run("enc="+enc.String(), func(b *testing.B) {
			var buf bytes.Buffer
			if err := Write(&buf, enc, 8000, 1, pcm); err != nil {
				b.Fatal(err)
			}
			file := buf.Bytes()
			src := bytes.NewReader(file)
			dst := make([]int16, 160)
			b.SetBytes(int64(len(pcm) * enc.BytesPerSample()))
			b.ReportAllocs()
			for b.Loop() {
				src.Reset(file)
				r, err := NewReader(src)
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Read(dst)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pcm)), "ns/sample")
		})
	}
}

// BenchmarkWrite measures encoding speed per encoding, ns per sample.
func BenchmarkWrite(b *testing.B) {
	pcm := testutil.RandomPCM(60*8000, 1)
	for _, enc := range allEncodings {
		b.Run("enc="+enc.String(), func(b *testing.B) {
			b.SetBytes(int64(len(pcm) * enc.BytesPerSample()))
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, enc, 8000, 1, pcm); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pcm)), "ns/sample")
		})
	}
}
