package rtpdtmf

import (
	"math/rand/v2"
	"runtime"
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

// TestStateSize bounds what one stream costs: a Receiver or Gateway holds
// its whole state from New on (payload copies aside), in proportion to
// MaxPayloadSize.
func TestStateSize(t *testing.T) {
	measure := func(mk func()) uint64 {
		mk() // tables shared by all streams are built once
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		const n = 50
		for range n {
			mk()
		}
		runtime.ReadMemStats(&b)
		return (b.TotalAlloc - a.TotalAlloc) / n
	}
	small := func(c *Config) { c.MaxPayloadSize = 320 }
	rx := measure(func() { newReceiver(t, nil) })
	rxSmall := measure(func() { newReceiver(t, small) })
	gw := measure(func() { newGateway(t, nil) })
	gwSmall := measure(func() { newGateway(t, func(c *GatewayConfig) { small(&c.Receiver) }) })
	t.Logf("bytes per stream: receiver %d (%d with 320-byte payloads), gateway %d (%d)", rx, rxSmall, gw, gwSmall)
	assert.Less(t, rx, uint64(20<<10))
	assert.Less(t, rxSmall, uint64(10<<10))
	assert.Less(t, gw, uint64(80<<10))
	assert.Less(t, gwSmall, uint64(24<<10))
}
