package rtpdtmf

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/dtmfkit/dtmf/internal/testenv"
)

// TestConcealmentTalkOff: concealing lost speech by repetition makes it
// periodic for up to MaxConceal; that must not make digits of it. Recorded
// speech (Debian's asterisk-core-sounds-en-wav) through PCMU with 5 % and
// 15 % of the packets lost gives no more digits than without loss.
func TestConcealmentTalkOff(t *testing.T) {
	if testing.Short() {
		t.Skip("speech corpus run")
	}
	prompts := testenv.Speech(t)
	rng := rand.New(rand.NewPCG(5, 5))
	var samples int
	counts := map[float64]int{}
	for _, loss := range []float64{0, 0.05, 0.15} {
		var total int
		samples = 0
		for i, p := range prompts {
			if i%3 != 0 { // a third of the corpus: about 8 minutes
				continue
			}
			samples += len(p.PCM)
			s := newStream(PCMU)
			pkts := marshal(t, s.packets(p.PCM))
			var kept [][]byte
			for _, b := range pkts {
				if rng.Float64() >= loss {
					kept = append(kept, b)
				}
			}
			total += len(keyUps(receive(t, newReceiver(t, nil), kept)))
		}
		counts[loss] = total
	}
	t.Logf("digits in %.1f min of speech: %d clean, %d at 5 %% loss, %d at 15 %% loss", float64(samples)/8000/60, counts[0], counts[0.05], counts[0.15])
	assert.LessOrEqual(t, counts[0.05], counts[0])
	assert.LessOrEqual(t, counts[0.15], counts[0])
}
