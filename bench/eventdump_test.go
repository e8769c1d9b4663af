//go:build eventdump

package bench

// The event-equality check for speed work (go test -tags eventdump): every
// event the detector reports, every field bit for bit, on every signal of
// the accuracy suite, in 20 ms frames and in 37-sample frames, plus a long
// file if DTMF_EVENTDUMP_LONG names one (raw s16le 8 kHz mono, as
// bench/peers/make_long.sh writes), and every *.wav under
// DTMF_EVENTDUMP_DIR if set (e.g. the talk-off corpus bench/corpus builds,
// held-out split included). It writes one line per signal (hash of
// the samples, hash of the events, event count) to DTMF_EVENTDUMP_OUT
// (default eventdump.txt), sorted, so two builds' files can be compared with
// cmp: a change that is meant to be bit-identical must leave it unchanged.

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/stretchr/testify/require"
)

type dumper struct {
	mu    sync.Mutex
	lines []string
}

func (*dumper) Name() string { return "dump" }

func (u *dumper) Decode(ctx context.Context, signals [][]int16, rate int) ([][]Press, error) {
	out := make([][]Press, len(signals))
	for _, pcm := range signals {
		line, err := dumpSignal(pcm, rate)
		if err != nil {
			return nil, err
		}
		u.mu.Lock()
		u.lines = append(u.lines, line)
		u.mu.Unlock()
	}
	return out, nil
}

func dumpSignal(pcm []int16, rate int) (string, error) {
	hs := fnv.New64a()
	var b [8]byte
	for _, v := range pcm {
		binary.LittleEndian.PutUint16(b[:2], uint16(v))
		hs.Write(b[:2])
	}
	cfg := detector.DefaultConfig()
	cfg.SampleRate = rate
	he := fnv.New64a()
	n := 0
	for _, frame := range []int{rate / 50, 37} {
		d, err := detector.New(cfg)
		if err != nil {
			return "", err
		}
		var ev []detector.Event
		put := func(ev []detector.Event) {
			for _, e := range ev {
				n++
				fmt.Fprintf(he, "%d %c %d %d %d %d %d %x %x %x %x|", e.Type, e.Digit, e.Start, e.End, e.At, e.DurationMS, frame,
					math.Float32bits(e.LowLevel), math.Float32bits(e.HighLevel), math.Float32bits(e.LowFreq), math.Float32bits(e.HighFreq))
			}
		}
		for x := pcm; len(x) > 0; {
			k := min(frame, len(x))
			ev = d.Process(ev[:0], x[:k])
			put(ev)
			x = x[k:]
		}
		put(d.Flush(ev[:0]))
	}
	return fmt.Sprintf("%016x %016x %d", hs.Sum64(), he.Sum64(), n), nil
}

func TestEventDump(t *testing.T) {
	u := &dumper{}
	_, err := Run(context.Background(), Options{}, u)
	require.NoError(t, err)
	if f := os.Getenv("DTMF_EVENTDUMP_LONG"); f != "" {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		pcm := make([]int16, len(raw)/2)
		for i := range pcm {
			pcm[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
		}
		line, err := dumpSignal(pcm, 8000)
		require.NoError(t, err)
		u.lines = append(u.lines, "long "+line)
	}
	if dir := os.Getenv("DTMF_EVENTDUMP_DIR"); dir != "" {
		err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.EqualFold(filepath.Ext(path), ".wav") {
				return err
			}
			pcm, rate, err := siggen.ReadAudioRate(path, 8000)
			if err != nil {
				// A file still being written (a corpus build running):
				// listed, so that both dumps show it, not compared.
				u.lines = append(u.lines, "unreadable "+path)
				t.Logf("skipped: %v", err)
				return nil
			}
			line, err := dumpSignal(pcm, rate)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			u.lines = append(u.lines, "file "+rel+" "+line)
			return nil
		})
		require.NoError(t, err)
	}
	slices.Sort(u.lines)
	out := os.Getenv("DTMF_EVENTDUMP_OUT")
	if out == "" {
		out = "eventdump.txt"
	}
	f, err := os.Create(out)
	require.NoError(t, err)
	for _, l := range u.lines {
		fmt.Fprintln(f, l)
	}
	require.NoError(t, f.Close())
	t.Logf("%d signals written to %s", len(u.lines), out)
}
