package rtpdtmf

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReceiverZeroAllocations: in steady state a packet costs no
// allocation, whatever it brings: audio with keys, telephone-events, a
// loss, reordering, duplicates.
func TestReceiverZeroAllocations(t *testing.T) {
	var presses []press
	for i := range 40 {
		presses = append(presses, press{digit: "123A456B789C*0#D"[i%16], before: 100, ms: 80 + float64(i%5)*40})
	}
	pcm, truth := signal(t, 8000, 40, presses...)
	var keys []rfcKey
	for i, p := range truth {
		if i%2 == 0 {
			keys = append(keys, rfcKey{digit: p.Digit, start: p.Start, length: p.End - p.Start})
		}
	}
	pkts := marshal(t, newStream(PCMU).rfcStream(pcm, true, keys...))
	rng := rand.New(rand.NewPCG(3, 3))
	var mangled [][]byte
	for i := 0; i < len(pkts); i++ {
		switch rng.IntN(20) {
		case 0: // lost
		case 1: // swapped with the next
			if i+1 < len(pkts) {
				mangled = append(mangled, pkts[i+1], pkts[i])
				i++
			}
		case 2: // duplicated
			mangled = append(mangled, pkts[i], pkts[i])
		default:
			mangled = append(mangled, pkts[i])
		}
	}
	r := newReceiver(t, nil)
	evs := make([]Event, 0, 16)
	half := len(mangled) / 2
	for _, b := range mangled[:half] {
		evs, _ = r.Process(evs[:0], b)
	}
	i := half
	allocs := testing.AllocsPerRun(len(mangled)-half-1, func() {
		var err error
		evs, err = r.Process(evs[:0], mangled[i])
		i++
		if err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
	st := r.Stats()
	require.Positive(t, st.Lost)
	require.Positive(t, st.Reordered)
	require.Positive(t, st.EventPackets)
}
