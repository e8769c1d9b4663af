package dtmf_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamplesUsePublicAPI: the examples of public packages import no
// internal package, so that a user can copy them.
func TestExamplesUsePublicAPI(t *testing.T) {
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "internal" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return fs.SkipDir
		}
		if d.Name() != "example_test.go" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		require.NoError(t, err)
		n++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			assert.NotContains(t, p, "/internal", "%s imports %s: examples use the public API only", path, p)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, n, 5, "the examples were found")
}

// TestReadmeCarriesTheIntegrationExample: the per-call integration code in
// the README is Example_mediaServer's, declaration for declaration, so the
// README's code compiles and runs (as the example does).
func TestReadmeCarriesTheIntegrationExample(t *testing.T) {
	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "example_test.go", src, parser.ParseComments)
	require.NoError(t, err)
	found := map[string]bool{}
	for _, decl := range f.Decls {
		var name string
		switch d := decl.(type) {
		case *ast.GenDecl:
			if ts, ok := d.Specs[0].(*ast.TypeSpec); ok {
				name = ts.Name.Name
			}
		case *ast.FuncDecl:
			name = d.Name.Name
		}
		if name != "call" && name != "newCall" && name != "packet" {
			continue
		}
		found[name] = true
		text := string(src[fset.Position(decl.Pos()).Offset:fset.Position(decl.End()).Offset])
		assert.Contains(t, string(readme), text, "README carries %s as example_test.go has it", name)
	}
	assert.Len(t, found, 3, "the declarations are in example_test.go")
}
