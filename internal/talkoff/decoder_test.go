package talkoff

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

func TestParsePresses(t *testing.T) {
	in := `{"event":"dtmf","session_uuid":"peer","digit":"5","duration_ms":102,"offset_ms":1925,"level_dbm0":-12}

{"event":"dtmf","session_uuid":"peer","digit":"#","duration_ms":null}
{"event":"other","digit":"x"}
{"digit":"D","offset_ms":0}
`
	ps, err := ParsePresses(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, ps, 3)
	assert.Equal(t, byte('5'), ps[0].Digit)
	assert.Equal(t, 102.0, ps[0].DurationMS)
	assert.Equal(t, 1925.0, ps[0].OffsetMS)
	assert.Equal(t, -12.0, ps[0].Level)
	assert.True(t, math.IsNaN(ps[0].LowFreq), "peers report no frequencies")
	assert.Equal(t, byte('#'), ps[1].Digit)
	assert.True(t, math.IsNaN(ps[1].DurationMS), "null duration is unknown")
	assert.True(t, math.IsNaN(ps[1].OffsetMS), "absent offset is unknown")
	assert.Equal(t, byte('D'), ps[2].Digit)
	assert.Equal(t, 0.0, ps[2].OffsetMS)
}

func TestParsePressesRejects(t *testing.T) {
	for name, line := range map[string]string{
		"not JSON":        `DTMF: 5`,
		"lower-case key":  `{"event":"dtmf","digit":"a"}`,
		"two keys":        `{"event":"dtmf","digit":"12"}`,
		"no digit":        `{"event":"dtmf"}`,
		"negative offset": `{"event":"dtmf","digit":"1","offset_ms":-5}`,
		"string duration": `{"event":"dtmf","digit":"1","duration_ms":"100"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePresses(strings.NewReader("{\"digit\":\"1\"}\n" + line + "\n"))
			require.ErrorIs(t, err, ErrDecoder)
			assert.Contains(t, err.Error(), "line 2")
		})
	}
}

func TestNativeFindsAKeyWithItsMeasurements(t *testing.T) {
	n := &Native{Config: detector.DefaultConfig()}
	ps, err := n.Decode(context.Background(), Audio{PCM: keyPress(t, '8')})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	p := ps[0]
	assert.Equal(t, byte('8'), p.Digit)
	assert.InDelta(t, 200, p.OffsetMS, 3)
	assert.InDelta(t, 100, p.DurationMS, 3)
	assert.InDelta(t, 852, p.LowFreq, 10)
	assert.InDelta(t, 1336, p.HighFreq, 15)
	assert.InDelta(t, -10, p.LowLevel, 1.5)
	assert.InDelta(t, -10, p.HighLevel, 1.5)
	assert.Equal(t, "dtmf", n.Name())
}

func TestNativeSilenceAndBadConfig(t *testing.T) {
	n := &Native{Config: detector.DefaultConfig()}
	ps, err := n.Decode(context.Background(), Audio{PCM: make([]int16, 8000)})
	require.NoError(t, err)
	assert.Empty(t, ps)

	bad := detector.DefaultConfig()
	bad.MinEnergyShare = 2
	_, err = (&Native{Config: bad}).Decode(context.Background(), Audio{PCM: make([]int16, 160)})
	assert.ErrorIs(t, err, detector.ErrConfig)
}

func TestCommand(t *testing.T) {
	// A stand-in peer: prints one press naming the file it was given.
	c := &Command{Label: "fake", Argv: []string{"sh", "-c", `printf '{"event":"dtmf","digit":"7","offset_ms":%d}\n' "$(printf %s "$1" | wc -c)"`, "sh"}}
	ps, err := c.Decode(context.Background(), Audio{Path: "abcd.wav"})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, byte('7'), ps[0].Digit)
	assert.Equal(t, 8.0, ps[0].OffsetMS, "the path is the last argument")

	fail := &Command{Label: "fail", Argv: []string{"sh", "-c", "echo broken >&2; exit 3", "sh"}}
	_, err = fail.Decode(context.Background(), Audio{Path: "x.wav"})
	require.ErrorIs(t, err, ErrDecoder)
	assert.Contains(t, err.Error(), "broken")

	garbage := &Command{Label: "garbage", Argv: []string{"sh", "-c", "echo DTMF: 5", "sh"}}
	_, err = garbage.Decode(context.Background(), Audio{Path: "x.wav"})
	assert.ErrorIs(t, err, ErrDecoder)
}
