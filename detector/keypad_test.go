package detector_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
)

// TestNoExportedMutableState: the package exports no variable other than
// its error sentinels, so no caller can change what later detectors do
// (the keypad's frequency tables were once exported variables that
// newTables read). It parses the package's own sources.
func TestNoExportedMutableState(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		require.NoError(t, err)
		checked++
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					if id.IsExported() && !strings.HasPrefix(id.Name, "Err") {
						t.Errorf("%s: exported variable %s: callers could change it", fset.Position(id.Pos()), id.Name)
					}
				}
			}
		}
	}
	assert.Positive(t, checked, "no source file found")
}

// TestFrequencyAccessorsAreCopies: writing into the arrays the accessors
// return changes neither the keypad nor the filters of detectors made
// afterwards, which still find every key at its nominal frequencies.
func TestFrequencyAccessorsAreCopies(t *testing.T) {
	lo, hi := detector.LowFrequencies(), detector.HighFrequencies()
	require.Equal(t, [4]float64{697, 770, 852, 941}, lo)
	require.Equal(t, [4]float64{1209, 1336, 1477, 1633}, hi)
	for i := range lo {
		lo[i], hi[i] = 400, 2500
	}
	assert.Equal(t, [4]float64{697, 770, 852, 941}, detector.LowFrequencies())
	assert.Equal(t, [4]float64{1209, 1336, 1477, 1633}, detector.HighFrequencies())
	for i := range len(detector.Keys) {
		d := detector.Keys[i]
		l, h, ok := detector.KeyFrequencies(d)
		require.True(t, ok)
		assert.Equal(t, [2]float64{detector.LowFrequencies()[i/4], detector.HighFrequencies()[i%4]}, [2]float64{l, h}, "%c", d)
		s := single(uint64(i), 8000, tone(d, 60, -10, -10))
		assert.Equal(t, string(d), digits(decodeAll(t, detector.DefaultConfig(), s.PCM())), "key %c after the copies were changed", d)
	}
	_, _, ok := detector.KeyFrequencies('a')
	assert.False(t, ok, "lower-case a is not a key")
}
