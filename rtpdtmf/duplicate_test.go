package rtpdtmf

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// A sender that sends RFC 4733 and leaves the tones in the audio: each key
// is reported once, by the mechanism that knew first, with Duplicate set,
// whatever the offset between the event's timestamp and the tone's onset.
func TestKeyBothWaysReportedOnce(t *testing.T) {
	for _, offset := range []int{-320, -80, 0, 160, 400} { // event start minus tone onset [samples]
		pcm, truth := signal(t, 8000, 20, press{digit: '5', before: 200, ms: 120}, press{digit: '#', before: 300, ms: 400}, press{digit: '5', before: 100, ms: 60})
		var keys []rfcKey
		for _, p := range truth {
			keys = append(keys, rfcKey{digit: p.Digit, start: p.Start + offset, length: p.End - p.Start})
		}
		evs := receivePackets(t, newReceiver(t, nil), newStream(PCMU).rfcStream(pcm, true, keys...))
		require.Equal(t, "5#5", digits(evs), "offset %d\n%s", offset, describe(evs))
		downs := 0
		for _, e := range evs {
			if e.Type == detector.KeyDown {
				downs++
			}
		}
		assert.Equal(t, 3, downs, "offset %d", offset)
		for i, u := range keyUps(evs) {
			assert.True(t, u.Duplicate, "offset %d key %d", offset, i)
			want := RFC4733
			if offset > 250 { // the event comes more than the detector's latency late
				want = InBand
			}
			assert.Equal(t, want, u.Source, "offset %d key %d", offset, i)
		}
	}
}

// Different keys at the same time from the two mechanisms are two keys.
func TestDifferentKeysBothWaysNotMerged(t *testing.T) {
	pcm, truth := signal(t, 8000, 21, press{digit: '1', before: 200, ms: 200})
	k := rfcKey{digit: '9', start: truth[0].Start, length: 1600}
	evs := receivePackets(t, newReceiver(t, nil), newStream(PCMU).rfcStream(pcm, true, k))
	ups := keyUps(evs)
	require.Len(t, ups, 2, describe(evs))
	got := map[byte]Source{ups[0].Digit: ups[0].Source, ups[1].Digit: ups[1].Source}
	assert.Equal(t, map[byte]Source{'1': InBand, '9': RFC4733}, got)
	for _, u := range ups {
		assert.False(t, u.Duplicate)
	}
}

// A stream that carries only in-band keys reports key-ups at once: no
// holding back without telephone-events on the stream.
func TestInBandOnlyNotHeld(t *testing.T) {
	pcm, _ := signal(t, 8000, 22, press{digit: '8', before: 200, ms: 100})
	r := newReceiver(t, nil)
	var evs []Event
	for _, b := range marshal(t, newStream(PCMU).packets(pcm)) {
		evs, _ = r.Process(evs, b)
	}
	ups := keyUps(evs) // before Flush
	require.Len(t, ups, 1)
	assert.False(t, ups[0].Duplicate)
}
