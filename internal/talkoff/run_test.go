package talkoff

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// fakeDecoder reports n presses of digit in every file whose path contains
// match, and counts its calls.
type fakeDecoder struct {
	name, match string
	digit       byte
	n           int
	calls       atomic.Int32
}

func (f *fakeDecoder) Name() string { return f.name }

func (f *fakeDecoder) Decode(_ context.Context, a Audio) ([]Press, error) {
	f.calls.Add(1)
	if len(a.PCM) == 0 {
		return nil, ErrAudio
	}
	var out []Press
	if strings.Contains(a.Path, f.match) {
		for i := range f.n {
			p := unknownPress(f.digit)
			p.OffsetMS = float64(100 * i)
			out = append(out, p)
		}
	}
	return out, nil
}

func findRow(t *testing.T, rows []Row, split, dim, value string) Row {
	t.Helper()
	for _, r := range rows {
		if r.Split == split && r.Dimension == dim && r.Value == value {
			return r
		}
	}
	t.Fatalf("no row %s/%s/%s", split, dim, value)
	return Row{}
}

func TestRunAndTally(t *testing.T) {
	dir, m := tinyCorpus(t)
	music := &fakeDecoder{name: "music-only", match: "/a/", digit: '1', n: 2}
	opus := &fakeDecoder{name: "opus-only", match: "opus-12k/", digit: '2', n: 3}
	res, err := Run(context.Background(), dir, m, []Decoder{music, opus}, Options{Jobs: 2})
	require.NoError(t, err)
	assert.EqualValues(t, 3, music.calls.Load())
	assert.Equal(t, []string{"music-only", "opus-only"}, res.Decoders)

	rows := Tally(res)
	all := findRow(t, rows, SplitAll, DimAll, "all")
	assert.Equal(t, 3, all.Files)
	assert.InDelta(t, 1.5/3600, all.Hours, 1e-12)
	assert.Equal(t, []int{4, 3}, all.False)
	assert.InDelta(t, 4/(1.5/3600), all.PerHour(0), 1e-6)

	tun := findRow(t, rows, SplitTuning, DimKind, KindMusic)
	assert.Equal(t, []int{4, 3}, tun.False)
	held := findRow(t, rows, SplitHeldOut, DimLanguage, "fr-FR")
	assert.Equal(t, []int{0, 0}, held.False)
	assert.Equal(t, KindSpeech, held.Kind)
	assert.Equal(t, []int{2, 3}, findRow(t, rows, SplitTuning, DimCodec, CodecOpus).False)
	assert.Equal(t, []int{2, 0}, findRow(t, rows, SplitTuning, DimCodec, CodecPCM).False)
	assert.Equal(t, []int{2, 3}, findRow(t, rows, SplitTuning, DimLevel, "-25dBm0").False)
	assert.Equal(t, []int{4, 3}, findRow(t, rows, SplitTuning, DimSource, "a").False)
	for _, r := range rows {
		if r.Dimension == DimGenre {
			assert.Equal(t, KindMusic, r.Kind, "speech has no genre row")
		}
	}

	rep := NewReport(res, "test", map[string]string{"k": "v"})
	assert.Len(t, rep.FalseDigits, 7)
	assert.Equal(t, "music-only", rep.FalseDigits[0].Decoder, "first decoder listed first")
	var md, js bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteJSON(&js))
	assert.Contains(t, md.String(), "| all / all | 3 | 0.00 | 4 (9600.00) | 3 (7200.00) |")
	assert.Contains(t, md.String(), "## False digits of opus-only (3)")
	var back Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, rep.Rows, back.Rows)
	assert.Nil(t, back.FalseDigits[0].DurationMS, "unknown values are null")
}

func TestRunSplit(t *testing.T) {
	dir, m := tinyCorpus(t)
	d := &fakeDecoder{name: "f", match: "", digit: '9', n: 1}
	res, err := Run(context.Background(), dir, m, []Decoder{d}, Options{Split: SplitHeldOut})
	require.NoError(t, err)
	require.Len(t, res.Files, 1)
	assert.Equal(t, "b", res.Files[0].File.Source)
	for _, r := range Tally(res) {
		assert.Equal(t, SplitHeldOut, r.Split, "one split: no combined rows")
	}
	_, err = Run(context.Background(), dir, m, []Decoder{d}, Options{Split: "test"})
	assert.Error(t, err)
}

func TestRunNativeOnTinyCorpus(t *testing.T) {
	dir, m := tinyCorpus(t)
	res, err := Run(context.Background(), dir, m, []Decoder{&Native{Config: detector.DefaultConfig()}}, Options{})
	require.NoError(t, err)
	got := ""
	for _, fr := range res.Files {
		for _, p := range fr.Presses[0] {
			got += string(p.Digit)
		}
	}
	assert.Equal(t, "5#", got, "the two files with a key press, in manifest order")
}

func TestRunErrors(t *testing.T) {
	dir, m := tinyCorpus(t)
	d := &fakeDecoder{name: "f"}
	require.NoError(t, os.Remove(filepath.Join(dir, "pcm/m15/b/b1.wav")))
	_, err := Run(context.Background(), dir, m, []Decoder{d}, Options{})
	assert.Error(t, err, "missing file")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "pcm/m15/b/b1.wav"), []byte("RIFFjunk"), 0o644))
	_, err = Run(context.Background(), dir, m, []Decoder{d}, Options{})
	assert.ErrorIs(t, err, ErrAudio)

	_, err = Run(context.Background(), dir, m, nil, Options{})
	assert.Error(t, err, "no decoder")
}

func TestTallySections(t *testing.T) {
	f := File{Path: "pcm/m15/g/g1.wav", Item: "g1", Source: "g", Kind: KindMusic, Genre: "midi-solo", Licence: "x",
		Split: SplitTuning, DurationS: 3, LevelDBm0: -15, Codec: CodecPCM,
		Sections: []Section{{0, 1000, "plain"}, {1000, 3000, "dyads"}}}
	at := func(ms float64) Press { p := unknownPress('1'); p.OffsetMS = ms; return p }
	res := &Result{Decoders: []string{"a", "b"}, Files: []FileResult{{File: f, Presses: [][]Press{
		{at(10), at(1500), at(2999)}, {unknownPress('2')},
	}}}}
	rows := Tally(res)
	plain := findRow(t, rows, SplitTuning, DimSection, "plain")
	assert.InDelta(t, 1.0/3600, plain.Hours, 1e-12)
	assert.Equal(t, []int{1, 0}, plain.False)
	assert.Equal(t, []int{2, 0}, findRow(t, rows, SplitTuning, DimSection, "dyads").False)
	assert.Equal(t, []int{0, 1}, findRow(t, rows, SplitTuning, DimSection, Unattributed).False, "a press without a time")
	assert.Equal(t, "dyads", f.SectionAt(1000))
	assert.Equal(t, "", f.SectionAt(3000))
	rep := NewReport(res, "t", nil)
	assert.Equal(t, "plain", rep.FalseDigits[0].Section)
}
