package suppress_test

import (
	"encoding/binary"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/stretchr/testify/require"
)

// FuzzSuppress feeds arbitrary audio (raw s16le, optionally with key
// presses mixed in) in two framings and checks the properties: the same
// output, events and spans under any split; events equal to the bare
// detector's; spans ordered, non-overlapping and inside the stream; every
// sample outside them unchanged; no sample let out before the detector had
// decided about it.
func FuzzSuppress(f *testing.F) {
	f.Add([]byte{}, uint16(160), uint8(0))
	f.Add(make([]byte, 4000), uint16(1), uint8(3))
	f.Add([]byte("\x00\x40\x00\xc0\xff\x7f\x00\x80"), uint16(7), uint8(200))
	f.Fuzz(func(t *testing.T, raw []byte, frame uint16, keys uint8) {
		pcm := make([]int16, len(raw)/2)
		for i := range pcm {
			pcm[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
		}
		if keys > 0 {
			// Key presses mixed over the audio, scaled down so that
			// they are found.
			g := synth.New(8000, uint64(keys))
			for i := range int(keys % 5) {
				g.Silence(float64(20 + int(keys)%40))
				require.NoError(t, g.Add(synth.Tone{Digit: detector.Keys[(int(keys)+i)%16], Duration: float64(30 + int(keys)*3%150), LowLevel: -8, HighLevel: -9, RandomPhase: true}))
			}
			tones := g.PCM()
			if len(pcm) < len(tones) {
				pcm = append(pcm, make([]int16, len(tones)-len(pcm))...)
			}
			for i, v := range tones {
				pcm[i] = int16(max(-32768, min(32767, int32(pcm[i])/16+int32(v))))
			}
		}
		n := int(frame%997) + 1
		a := run(t, newSup(t, 8000, nil), pcm, n)
		b := run(t, newSup(t, 8000, nil), pcm, 160)
		require.Equal(t, a, b, "frames of %d and 160", n)
		require.Equal(t, bare(t, 8000, pcm), a.events)
		require.Zero(t, a.late)
		for i, sp := range a.spans {
			require.Less(t, sp.Start, sp.End)
			require.GreaterOrEqual(t, sp.Start, int64(0))
			require.LessOrEqual(t, sp.End, int64(len(pcm)))
			if i > 0 {
				require.GreaterOrEqual(t, sp.Start, a.spans[i-1].End)
			}
		}
		checkOutside(t, pcm, a.out, a.spans)
	})
}
