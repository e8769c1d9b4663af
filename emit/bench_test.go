package emit_test

import (
	"io"
	"testing"
	"time"

	"github.com/dtmfkit/dtmf/emit"
)

func BenchmarkAppendJSON(b *testing.B) {
	for _, e := range []emit.Event{
		dtmfEvent("acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479", '5', 120),
		collected("acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479", "collect-pin-001", "1234", '#', emit.StatusSuccess),
	} {
		b.Run("event="+e.Kind.String(), func(b *testing.B) {
			buf := make([]byte, 0, 256)
			b.ReportAllocs()
			for b.Loop() {
				buf = e.AppendJSON(buf[:0])
			}
			b.SetBytes(int64(len(buf)))
		})
	}
}

func BenchmarkEmit(b *testing.B) {
	e := dtmfEvent("acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479", '5', 120)
	w := emit.NewWriter(io.Discard)
	b.Run("sink=writer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = w.Emit(e)
		}
	})
	b.Run("sink=async", func(b *testing.B) {
		cfg := emit.DefaultAsyncConfig()
		cfg.CloseTimeout = time.Minute
		a, err := emit.NewAsync(emit.Func(func(emit.Event) error { return nil }), cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			_ = a.Emit(e)
		}
		b.StopTimer()
		_ = a.Close()
		s := a.Stats()
		b.ReportMetric(float64(s.Refused)/float64(s.Emitted), "refused/op")
	})
}
