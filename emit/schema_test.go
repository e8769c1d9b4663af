package emit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specDir is the copy of the event contract kept in the repository, so that
// tests run on a clean checkout; sharedSpecDir is the original, present only
// in the development tree.
const (
	specDir       = "../testdata/spec"
	sharedSpecDir = "../../shared/spec"
)

// loadSchema compiles events.schema.json with a JSON Schema (2020-12)
// validator.
func loadSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(specDir, "events.schema.json"))
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	const url = "https://dtmfkit.invalid/events.schema.json"
	require.NoError(t, c.AddResource(url, doc))
	sch, err := c.Compile(url)
	require.NoError(t, err)
	return sch
}

// validateJSON reports whether b is one JSON value the schema accepts.
func validateJSON(sch *jsonschema.Schema, b []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestSpecCopyMatchesShared(t *testing.T) {
	if _, err := os.Stat(sharedSpecDir); err != nil {
		t.Skipf("no shared spec at %s (a clean checkout): nothing to compare", sharedSpecDir)
	}
	for _, name := range []string{"events.schema.json", "events.md"} {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(sharedSpecDir, name))
			require.NoError(t, err)
			got, err := os.ReadFile(filepath.Join(specDir, name))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "testdata/spec/%s differs from the shared contract: copy it again", name)
		})
	}
}

// specExamples returns the example events of events.md: its indented lines
// that hold a JSON object.
func specExamples(t *testing.T) [][]byte {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(specDir, "events.md"))
	require.NoError(t, err)
	var out [][]byte
	for line := range strings.Lines(string(md)) {
		if s, ok := strings.CutPrefix(line, "    {"); ok {
			out = append(out, []byte("{"+strings.TrimRight(s, "\n")))
		}
	}
	require.Len(t, out, 3, "events.md has three examples")
	return out
}

func TestSchemaRejectsWhatItShould(t *testing.T) {
	// The validator is only worth something if it fails: check that it
	// rejects a few wrong events.
	sch := loadSchema(t)
	for _, bad := range []string{
		`{"event":"dtmf","session_uuid":"s","digit":"a","duration_ms":1}`,
		`{"event":"dtmf","session_uuid":"s","digit":"5"}`,
		`{"event":"dtmf","session_uuid":"","digit":"5","duration_ms":1}`,
		`{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"12","terminator":"#","status":"ok"}`,
		`{"event":"key","session_uuid":"s","digit":"5","duration_ms":1}`,
	} {
		assert.Error(t, validateJSON(sch, []byte(bad)), bad)
	}
}
