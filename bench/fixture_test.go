package bench

import (
	"sync"
	"testing"

	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
)

// fixtureSeconds is the length of the speech+DTMF fixture [s].
const fixtureSeconds = 60

var (
	fixtureOnce sync.Once
	fixturePCM  []int16
	fixtureKeys int
	fixtureErr  error
)

// speechWithDTMF returns 60 s of 8 kHz audio like a call's: the Allison
// prompts of asterisk-core-sounds-en-wav in path order, with a burst of the
// 16 keys (80 ms on, 80 ms off, -10 dBm0 per tone) every 5 s, and the number
// of key presses in it. Without the corpus it skips tb (fails it under
// DTMF_REQUIRE_TOOLS=1); a corpus that is there but unreadable fails it.
func speechWithDTMF(tb testing.TB) ([]int16, int) {
	tb.Helper()
	testenv.NeedSpeech(tb)
	fixtureOnce.Do(func() {
		recs, err := siggen.LoadCorpus(DefaultCorpus, 8000)
		if err != nil {
			fixtureErr = err
			return
		}
		burst := synth.New(8000, 7)
		for _, d := range []byte("1234567890*#ABCD") {
			if err := burst.Add(synth.Tone{Digit: d, Duration: 80, LowLevel: -10, HighLevel: -10, RandomPhase: true}); err != nil {
				fixtureErr = err
				return
			}
			burst.Silence(80)
		}
		keys := burst.PCM()
		const total = fixtureSeconds * 8000
		out := make([]int16, 0, total+8000*30)
		next := 0
		for i := 0; len(out) < total; i++ {
			if len(out) >= next && len(out)+len(keys) <= total {
				out = append(out, keys...)
				fixtureKeys += 16
				next += 5 * 8000
			}
			out = append(out, recs[i%len(recs)].PCM...)
		}
		fixturePCM = out[:total]
	})
	if fixtureErr != nil {
		tb.Fatalf("speech+DTMF fixture: %v", fixtureErr)
	}
	return fixturePCM, fixtureKeys
}
