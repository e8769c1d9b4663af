package collector

import (
	"testing"

	"github.com/dtmfkit/dtmf/detector"
)

// BenchmarkCollector times one key press during a running collection: its
// key-down, key-up and eight 20 ms clock advances (one per frame of the
// press), the work a channel adds per key over the bare detector.
func BenchmarkCollector(b *testing.B) {
	c, err := New(8000)
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Terminators = ""
	cfg.Pattern = "[0-9]*"
	pos := int64(0)
	b.ReportAllocs()
	for b.Loop() {
		if !c.Running() {
			if _, err := c.Start("bench", cfg); err != nil {
				b.Fatal(err)
			}
		}
		pos += 1600
		_, _ = c.Key(detector.Event{Type: detector.KeyDown, Digit: '5', Start: pos - 240, At: pos})
		for f := range int64(8) {
			_, _ = c.AdvanceTo(pos + 160*f)
		}
		_, _ = c.Key(detector.Event{Type: detector.KeyUp, Digit: '5', Start: pos - 240, End: pos + 560, At: pos + 1280})
	}
}

// BenchmarkAdvance times the per-frame call of a channel with no key
// events: one AdvanceTo while a collection waits.
func BenchmarkAdvance(b *testing.B) {
	c, err := New(8000)
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.WaitForPrompt = true // no deadline ever fires
	if _, err := c.Start("bench", cfg); err != nil {
		b.Fatal(err)
	}
	pos := int64(0)
	b.ReportAllocs()
	for b.Loop() {
		pos += 160
		_, _ = c.AdvanceTo(pos)
	}
}
