package dtmf_test

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
)

// maxChannelHeap is issue 13's budget for one Channel at 8 kHz [bytes of
// heap]: 10,000 calls in 10 MB.
const maxChannelHeap = 1024

// channelHeap measures the heap one Channel at rate holds, averaged over n
// channels made in a row (runtime.MemStats after a GC, before and after).
func channelHeap(t *testing.T, rate, n int) float64 {
	t.Helper()
	cfg := detector.DefaultConfig()
	cfg.SampleRate = rate
	sink := emit.Func(func(emit.Event) error { return nil })
	mk := func() *dtmf.Channel {
		ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "call", Detector: cfg, Sink: sink})
		require.NoError(t, err)
		return ch
	}
	mk() // the shared filter tables of this rate are built once, outside the count
	chs := make([]*dtmf.Channel, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range chs {
		chs[i] = mk()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(chs)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// TestChannelHeap: a Channel at 8 kHz holds at most maxChannelHeap bytes
// of heap, measured over 10,000 channels; so does one after a minute of
// key presses and a collection (the per-frame path keeps no buffer that
// grows). The 48 kHz figure is logged: the detector's block buffer grows
// with the rate.
func TestChannelHeap(t *testing.T) {
	const n = 10000
	per8k := channelHeap(t, 8000, n)
	per48k := channelHeap(t, 48000, n)
	t.Logf("heap per Channel: %.0f B at 8 kHz, %.0f B at 48 kHz (%d channels)", per8k, per48k, n)
	assert.LessOrEqual(t, per8k, float64(maxChannelHeap), "issue 13: ≤ %d B per channel at 8 kHz", maxChannelHeap)
	assert.Greater(t, per8k, 0.0, "the measure sees the channels")

	// A used channel keeps no more: nothing is retained per frame.
	pcm, _ := signal(t, 8000, typed("1234#", 150, 90), 500)
	sink := emit.Func(func(emit.Event) error { return nil })
	chs := make([]*dtmf.Channel, 1000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range chs {
		ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: "call", Sink: sink})
		require.NoError(t, err)
		for f := 0; f+160 <= len(pcm); f += 160 {
			_, err := ch.Process(pcm[f : f+160])
			require.NoError(t, err)
		}
		chs[i] = ch
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(chs)
	used := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(chs))
	t.Logf("heap per Channel after 5 key presses: %.0f B", used)
	assert.LessOrEqual(t, used, float64(maxChannelHeap))
}

// TestDocumentedSizes: the sizes the docs state are the measured ones, so
// that no prose number outlives a change of the structs: the detector's
// state (detector/doc.go, Detector.StateSize, README), the collector's
// (collector/doc.go, README), and the Channel budget (doc.go, README).
func TestDocumentedSizes(t *testing.T) {
	d, err := detector.New(detector.DefaultConfig())
	require.NoError(t, err)
	det := d.StateSize()
	col := int(unsafe.Sizeof(collector.Collector{}))
	read := func(path string) string {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return string(b)
	}
	// numbers returns every number matched by the first group of expr in
	// path, at least one.
	numbers := func(path, expr string) []int {
		t.Helper()
		var out []int
		for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(read(path), -1) {
			n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
			require.NoError(t, err)
			out = append(out, n)
		}
		require.NotEmpty(t, out, "%s states %s", path, expr)
		return out
	}
	for _, c := range []struct {
		path, expr string
		want       int
	}{
		{"detector/doc.go", `holds (\d+) bytes of state at 8 kHz`, det},
		{"detector/detector.go", `block buffer \((\d+) at 8000 Hz\)`, det},
		{"README.md", `(\d+) bytes of detector state`, det},
		{"README.md", `\| detector state per channel \| (\d+) bytes`, det},
		{"collector/doc.go", `The state is (\d+) bytes`, col},
		{"README.md", `(\d+) bytes of collector state`, col},
		{"doc.go", `at most ([\d,]+) bytes of heap at 8 kHz`, maxChannelHeap},
		{"README.md", `at most ([\d,]+) bytes of heap per channel at 8 kHz`, maxChannelHeap},
	} {
		for _, n := range numbers(c.path, c.expr) {
			assert.Equal(t, c.want, n, "%s: %q says %d, measured %d", c.path, c.expr, n, c.want)
		}
	}
	t.Logf("detector %d B, collector %d B", det, col)
}

// TestChannelGapShorterThanMinPauseIsBridged: a key whose tone resumes
// after a Gap shorter than MinPause (30 ms) is one press, its duration the
// two tones and the gap; after a longer gap it is two presses.
func TestChannelGapShorterThanMinPauseIsBridged(t *testing.T) {
	tone, _ := signal(t, 8000, []press{{'6', 0, 100}}, 0)
	for _, tt := range []struct {
		gapMS     int64
		durations []int
	}{
		{20, []int{220}},
		{25, []int{225}},
		{60, []int{100, 100}},
	} {
		t.Run(fmt.Sprintf("%dms", tt.gapMS), func(t *testing.T) {
			rec := newRecorder(t)
			ch := newChannel(t, rec, 8000)
			lead, _ := signal(t, 8000, nil, 100)
			_, err := ch.Process(lead)
			require.NoError(t, err)
			_, err = ch.Process(tone)
			require.NoError(t, err)
			_, err = ch.Gap(tt.gapMS * 8)
			require.NoError(t, err)
			_, err = ch.Process(tone)
			require.NoError(t, err)
			require.NoError(t, ch.Hangup())
			got := rec.of(emit.KindDTMF)
			require.Len(t, got, len(tt.durations))
			for i, e := range got {
				assert.Equal(t, byte('6'), e.Digit)
				assert.InDelta(t, tt.durations[i], e.DurationMS, 3)
			}
		})
	}
}
