package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as an external decoder for the Command
// tests: with BENCH_FAKE_DECODER set it decodes the WAV file named by its
// last argument with the native detector and prints NDJSON, with offset_ms
// unless BENCH_FAKE_DECODER is "no-offset" (no times at all) or "detected"
// (detected_ms only), then exits.
func TestMain(m *testing.M) {
	if mode := os.Getenv("BENCH_FAKE_DECODER"); mode != "" {
		os.Exit(fakeDecoder(mode, os.Args[len(os.Args)-1]))
	}
	os.Exit(m.Run())
}

func fakeDecoder(mode, path string) int {
	pcm, rate, err := siggen.ReadAudioRate(path, 8000)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	got, err := NewNative().Decode(context.Background(), [][]int16{pcm}, rate)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(`{"event":"digits.collected","digits":"ignored"}`)
	for _, p := range got[0] {
		switch mode {
		case "no-offset":
			fmt.Printf("{\"event\":\"dtmf\",\"digit\":%q,\"duration_ms\":null}\n", string(p.Digit))
		case "detected":
			fmt.Printf("{\"digit\":%q,\"duration_ms\":%g,\"detected_ms\":%g}\n", string(p.Digit), p.DurationMS, p.DetectedMS)
		default:
			fmt.Printf("{\"digit\":%q,\"duration_ms\":%g,\"offset_ms\":%g,\"detected_ms\":%g}\n", string(p.Digit), p.DurationMS, p.OffsetMS, p.DetectedMS)
		}
	}
	return 0
}

// selfDecoder is a Command that runs this test binary as fakeDecoder.
func selfDecoder(t *testing.T, mode string) *Command {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	return &Command{Label: "self-" + mode, Cmd: "BENCH_FAKE_DECODER=" + mode + " " + "'" + strings.ReplaceAll(exe, "'", `'\''`) + "'", TempDir: t.TempDir()}
}

// testSignals builds n one-digit signals of different keys and lengths.
func testSignals(t *testing.T, n int) [][]int16 {
	t.Helper()
	var out [][]int16
	for i := range n {
		s := siggen.DefaultSpec()
		s.Digits = string("1234567890*#ABCD"[i%16])
		s.ToneMS = 60 + 10*float64(i)
		s.Seed = uint64(i + 1)
		sig, err := s.Build()
		require.NoError(t, err)
		out = append(out, sig.PCM)
	}
	return out
}

// An external decoder gives what the native one gives on the same signals,
// in batch mode (offsets) and in per-signal mode (no offsets).
func TestCommandMatchesNative(t *testing.T) {
	signals := testSignals(t, 5)
	ctx := context.Background()
	want, err := NewNative().Decode(ctx, signals, 8000)
	require.NoError(t, err)
	for _, mode := range []string{"offset", "detected", "no-offset"} {
		t.Run(mode, func(t *testing.T) {
			c := selfDecoder(t, mode)
			got, err := c.Decode(ctx, signals, 8000)
			require.NoError(t, err)
			require.Len(t, got, len(signals))
			for i := range signals {
				require.Len(t, got[i], len(want[i]), "signal %d", i)
				for j, p := range got[i] {
					w := want[i][j]
					assert.Equal(t, string(w.Digit), string(p.Digit))
					switch mode {
					case "offset":
						assert.Equal(t, w.DurationMS, p.DurationMS)
						assert.InDelta(t, w.OffsetMS, p.OffsetMS, 1e-9, "offset relative to its own signal")
						assert.InDelta(t, w.DetectedMS, p.DetectedMS, 1e-9)
					case "detected":
						assert.Equal(t, w.DurationMS, p.DurationMS)
						assert.True(t, math.IsNaN(p.OffsetMS))
						assert.InDelta(t, w.DetectedMS, p.DetectedMS, 1e-9, "relative to its own signal")
					default:
						assert.True(t, math.IsNaN(p.DurationMS))
						assert.True(t, math.IsNaN(p.OffsetMS))
					}
				}
			}
			assert.Equal(t, mode == "no-offset", c.perSignal.Load())
			entries, err := os.ReadDir(c.TempDir)
			require.NoError(t, err)
			assert.Empty(t, entries, "temporary WAV files left behind")
		})
	}
}

func TestCommandErrors(t *testing.T) {
	ctx := context.Background()
	signals := testSignals(t, 2)
	tests := []struct {
		name, cmd, msg string
	}{
		{"exit status", "echo oops >&2; exit 3", "oops"},
		{"not JSON", "echo hello", "not a JSON object"},
		{"no digit", `echo '{"duration_ms":5}'`, "no valid"},
		{"bad digit", `echo '{"digit":"x"}'`, "no valid"},
		{"lower case", `echo '{"digit":"a"}'`, "no valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Command{Label: "bad", Cmd: tt.cmd + " #", TempDir: t.TempDir()}
			_, err := c.Decode(ctx, signals, 8000)
			require.ErrorIs(t, err, ErrDecoder)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in, name, cmd string
	}{
		{"spandsp=/peers/spandsp-dtmf-wav", "spandsp", "/peers/spandsp-dtmf-wav"},
		{"/peers/multimon-dtmf-wav --x", "multimon-dtmf-wav", "/peers/multimon-dtmf-wav --x"},
		{"env=FOO=1 ./dec", "env", "FOO=1 ./dec"},
		{"./dec {} --x=1", "dec", "./dec {} --x=1"},
		{"a b=c", "a", "a b=c"},
		{"me=dtmf decode --timestamps", "me", "dtmf decode --timestamps"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseCommand(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.name, c.Name())
			assert.Equal(t, tt.cmd, c.Cmd)
		})
	}
	for _, bad := range []string{"", "  ", "name="} {
		_, err := ParseCommand(bad)
		assert.ErrorIs(t, err, ErrOptions, "%q", bad)
	}
}

func TestParsePresses(t *testing.T) {
	out := strings.Join([]string{
		`{"event":"dtmf","session_uuid":"x","digit":"5","duration_ms":102,"offset_ms":1925}`,
		``,
		`{"event":"digits.collected","digits":"55"}`,
		`{"digit":"#","duration_ms":null}`,
		`  {"digit":"D","detected_ms":30.5}  `,
	}, "\n")
	got, err := parsePresses([]byte(out))
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, byte('5'), got[0].Digit)
	assert.Equal(t, 102.0, got[0].DurationMS)
	assert.Equal(t, 1925.0, got[0].OffsetMS)
	assert.True(t, math.IsNaN(got[0].DetectedMS))
	assert.Equal(t, byte('#'), got[1].Digit)
	assert.True(t, math.IsNaN(got[1].DurationMS))
	assert.Equal(t, 30.5, got[2].DetectedMS)

	_, err = parsePresses([]byte("{\"digit\":\"1\"}\n[1,2]\n"))
	require.ErrorIs(t, err, ErrDecoder)
	assert.Contains(t, err.Error(), "line 2")
}

func TestNativeFrames(t *testing.T) {
	signals := testSignals(t, 3)
	ctx := context.Background()
	want, err := NewNative().Decode(ctx, signals, 8000)
	require.NoError(t, err)
	for _, ms := range []int{1, 5, 10, 30} {
		n := NewNative()
		n.FrameMS = ms
		got, err := n.Decode(ctx, signals, 8000)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "frame %d ms", ms)
	}
	bad := NewNative()
	bad.Config.MinLevel = 10
	_, err = bad.Decode(ctx, signals, 8000)
	assert.Error(t, err)
}
