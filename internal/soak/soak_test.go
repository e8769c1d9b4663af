package soak_test

import (
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/soak"
)

// program is the seed-1 program, rendered once for the tests that only
// read it.
var program = sync.OnceValue(func() *soak.Program { return soak.New(soak.Config{Seed: 1}) })

// Every segment is whole frames; the burst holds the 16 keys, 70 ms each,
// 140 ms apart, after 200 ms of exact silence.
func TestSegments(t *testing.T) {
	p := program()
	kinds := map[soak.Kind]int{}
	for _, s := range p.Segments() {
		require.NotEmpty(t, s.PCM, s.Name)
		assert.Zero(t, len(s.PCM)%soak.FrameSize, "%s: %d samples", s.Name, len(s.PCM))
		kinds[s.Kind]++
		if s.Kind != soak.Burst {
			assert.Nil(t, s.Presses, s.Name)
		}
	}
	assert.Equal(t, map[soak.Kind]int{soak.Speech: 48, soak.Music: 7, soak.Silence: 4, soak.Burst: 1, soak.Steady: 6}, kinds)
	b := p.Burst()
	require.Len(t, b.Presses, 16)
	var keys []byte
	for i, pr := range b.Presses {
		keys = append(keys, pr.Digit)
		assert.Equal(t, 1600+i*1120, pr.Start)
		assert.Equal(t, 560, pr.End-pr.Start)
	}
	assert.Equal(t, "123A456B789C*0#D", string(keys))
	assert.Zero(t, slices.IndexFunc(b.PCM[:1600], func(v int16) bool { return v != 0 })+1, "silence before the first key")
	last := b.Presses[15].End
	assert.True(t, slices.Equal(b.PCM[last:], make([]int16, len(b.PCM)-last)), "silence after the last key")
	assert.GreaterOrEqual(t, len(b.PCM)-last, 1600)
}

// Speech, music and noise floor come out near their nominal levels, and
// no segment but the burst is silent or clipped throughout.
func TestLevels(t *testing.T) {
	p := program()
	for _, s := range p.Segments() {
		var pw float64
		var clipped int
		for _, v := range s.PCM {
			pw += float64(v) * float64(v)
			if v == 32767 || v == -32768 {
				clipped++
			}
		}
		// dBm0 of the RMS, as a sine of that power.
		lv := 10 * math.Log10(pw/float64(len(s.PCM))*2/(0.6997*32768*0.6997*32768))
		switch s.Kind {
		case soak.Speech:
			assert.InDelta(t, -18, lv, 1.5, s.Name)
		case soak.Music:
			assert.InDelta(t, -14, lv, 1.5, s.Name)
		case soak.Silence:
			if s.PCM[0] != 0 || slices.ContainsFunc(s.PCM, func(v int16) bool { return v != 0 }) {
				assert.InDelta(t, -65, lv, 1.5, s.Name)
			}
		}
		assert.Less(t, clipped, len(s.PCM)/1000, "%s clips", s.Name)
	}
}

// A stream plays the cycle in order — speech, music, silence, burst — with
// every burst at a multiple of the frame size, and starts it again.
func TestStreamCycle(t *testing.T) {
	p := program()
	s := p.Stream()
	var bursts int
	var kinds []soak.Kind
	var prev *soak.Segment
	for s.Position() < 2*p.CycleSamples() {
		pos := s.Position()
		frame, seg, off := s.Next()
		require.Len(t, frame, soak.FrameSize)
		require.Equal(t, soak.FrameSize, cap(frame), "frames cannot be appended into the program")
		require.Equal(t, seg.PCM[off:off+soak.FrameSize], frame)
		if off == 0 {
			if seg != prev || len(kinds) == 0 {
				kinds = append(kinds, seg.Kind)
			}
			if seg.Kind == soak.Burst {
				bursts++
				assert.Zero(t, pos%soak.FrameSize)
			}
		}
		prev = seg
	}
	assert.Equal(t, 2*p.CycleSamples(), s.Position())
	assert.Equal(t, 2*p.BurstsPerCycle(), bursts)
	// speech, music, now and then a steady tone, silence, burst.
	var steady int64
	for i := 0; i < len(kinds); {
		want := []soak.Kind{soak.Speech, soak.Music, soak.Steady, soak.Silence, soak.Burst}
		if i+2 < len(kinds) && kinds[i+2] != soak.Steady {
			want = []soak.Kind{soak.Speech, soak.Music, soak.Silence, soak.Burst}
		} else {
			steady++
		}
		n := min(len(want), len(kinds)-i)
		assert.Equal(t, want[:n], kinds[i:i+n], "segments %d…", i)
		i += n
	}
	seconds := float64(p.CycleSamples()) / soak.Rate / float64(p.BurstsPerCycle())
	assert.InDelta(t, 10, seconds, 3, "a burst every few seconds")
	share := float64(steady*60*soak.Rate) / float64(2*p.CycleSamples())
	assert.InDelta(t, 0.2, share, 0.05, "steady tones fill about a fifth of the time")
}

// Recorded prompts are used in place of synthetic speech, padded to whole
// frames; empty ones are skipped.
func TestRecordedSpeech(t *testing.T) {
	prompts := [][]int16{{1, 2, 3}, {}, make([]int16, 320)}
	prompts[2][319] = 9
	p := soak.New(soak.Config{Speech: prompts, Seed: 1})
	var speech [][]int16
	for _, s := range p.Segments() {
		if s.Kind == soak.Speech {
			speech = append(speech, s.PCM)
		}
	}
	require.Len(t, speech, 2)
	assert.Equal(t, append([]int16{1, 2, 3}, make([]int16, 157)...), speech[0])
	assert.Equal(t, prompts[2], speech[1])
	assert.Equal(t, 2, p.BurstsPerCycle())
}

// The same seed renders the same program; another seed, another one.
func TestDeterministic(t *testing.T) {
	a, b, c := program(), soak.New(soak.Config{Seed: 1}), soak.New(soak.Config{Seed: 2})
	assert.Equal(t, a, b)
	assert.NotEqual(t, a.Segments()[0].PCM, c.Segments()[0].PCM)
}

// Next allocates nothing.
func TestNextAllocs(t *testing.T) {
	s := program().Stream()
	assert.Zero(t, testing.AllocsPerRun(10000, func() { s.Next() }))
}
