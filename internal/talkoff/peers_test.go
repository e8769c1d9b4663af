package talkoff

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/testenv"
)

// TestPeersOnTinyCorpus runs the real peer drivers of bench/peers (spandsp
// 0.0.6 built from Debian's libspandsp-dev, and multimon-ng) through the
// runner: each must find exactly the two key presses of the tiny corpus,
// in the contract's shape.
func TestPeersOnTinyCorpus(t *testing.T) {
	testenv.Tool(t, "gcc")
	testenv.Tool(t, "sox")
	testenv.Tool(t, "multimon-ng")
	t.Setenv("DTMF_PEERS_BIN", t.TempDir())
	peers, err := filepath.Abs("../../bench/peers")
	require.NoError(t, err)
	dir, m := tinyCorpus(t)
	decs := []Decoder{
		&Command{Label: "spandsp", Argv: []string{filepath.Join(peers, "spandsp-dtmf")}},
		&Command{Label: "multimon-ng", Argv: []string{filepath.Join(peers, "multimon-dtmf")}},
	}
	res, err := Run(context.Background(), dir, m, decs, Options{Jobs: 1})
	require.NoError(t, err)
	want := []string{"5", "", "#"}
	for i, fr := range res.Files {
		for k := range decs {
			got := ""
			for _, p := range fr.Presses[k] {
				got += string(p.Digit)
			}
			assert.Equal(t, want[i], got, "%s in %s", decs[k].Name(), fr.File.Path)
		}
	}
	sp := res.Files[0].Presses[0][0]
	// spandsp confirms key-down about two 12.75 ms blocks after the onset
	// (200 ms) and measures whole blocks.
	assert.InDelta(t, 225, sp.OffsetMS, 15)
	assert.InDelta(t, 95, sp.DurationMS, 15)
	assert.InDelta(t, -7, sp.Level, 2, "two tones of -10 dBm0 each")
}
