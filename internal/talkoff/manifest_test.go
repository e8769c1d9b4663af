package talkoff

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadManifest(t *testing.T) {
	dir, want := tinyCorpus(t)
	got, err := ReadManifest(filepath.Join(dir, ManifestName))
	require.NoError(t, err)
	assert.Equal(t, want.Files, got.Files)
	assert.Equal(t, "-15dBm0", got.Files[0].Level())
}

func TestReadManifestMissing(t *testing.T) {
	_, err := ReadManifest(filepath.Join(t.TempDir(), ManifestName))
	assert.Error(t, err)
}

func TestDecodeManifestRejects(t *testing.T) {
	_, m := tinyCorpus(t)
	tests := []struct {
		name   string
		change func(f *File)
		want   string
	}{
		{"absolute path", func(f *File) { f.Path = "/etc/passwd" }, "path"},
		{"escaping path", func(f *File) { f.Path = "../x.wav" }, "path"},
		{"unclean path", func(f *File) { f.Path = "a//b.wav" }, "path"},
		{"no item", func(f *File) { f.Item = "" }, "item"},
		{"bad kind", func(f *File) { f.Kind = "noise" }, "kind"},
		{"music without genre", func(f *File) { f.Genre = "" }, "genre"},
		{"bad split", func(f *File) { f.Split = "test" }, "split"},
		{"bad codec", func(f *File) { f.Codec = "mp3" }, "codec"},
		{"no licence", func(f *File) { f.Licence = "" }, "licence"},
		{"zero duration", func(f *File) { f.DurationS = 0 }, "duration"},
		{"level above full scale", func(f *File) { f.LevelDBm0 = 6 }, "level"},
		{"duplicate", func(f *File) { f.Path = "pcm/m15/b/b1.wav" }, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *m
			c.Files = append([]File(nil), m.Files...)
			tt.change(&c.Files[0])
			b, err := json.Marshal(&c)
			require.NoError(t, err)
			_, err = DecodeManifest(strings.NewReader(string(b)))
			require.ErrorIs(t, err, ErrManifest)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	for name, text := range map[string]string{
		"not JSON":      "{",
		"wrong format":  `{"format":"other/1","files":[]}`,
		"unknown field": `{"format":"` + ManifestFormat + `","files":[],"extra":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeManifest(strings.NewReader(text))
			assert.ErrorIs(t, err, ErrManifest)
		})
	}
}
