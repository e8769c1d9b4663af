package emit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/testutil"
)

// The tests check events against the repository's own copy of the event
// contract, testdata/spec (see [testutil.EventSchema]), so that they run in
// a clean checkout. TestSpecCopyMatchesShared checks that copy against the
// original when DTMF_SPEC_DIR names the original's directory (the
// development tree that keeps the contract sets it).

// sharedSpecEnv names the directory of the original contract.
const sharedSpecEnv = "DTMF_SPEC_DIR"

func TestSpecCopyMatchesShared(t *testing.T) {
	shared := os.Getenv(sharedSpecEnv)
	if shared == "" {
		t.Skipf("%s is not set: the tests use the repository's copy of the contract, testdata/spec; set %s to the original's directory to compare them", sharedSpecEnv, sharedSpecEnv)
	}
	for _, name := range []string{"events.schema.json", "events.md"} {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(shared, name))
			require.NoError(t, err, "%s=%s", sharedSpecEnv, shared)
			got, err := os.ReadFile(filepath.Join(testutil.SpecDir(t), name))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "testdata/spec/%s differs from the shared contract: copy it again", name)
		})
	}
}

// specExamples returns the example events of events.md: its indented lines
// that hold a JSON object.
func specExamples(t *testing.T) [][]byte {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(testutil.SpecDir(t), "events.md"))
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
	sch := testutil.EventSchema(t)
	for _, bad := range []string{
		`{"event":"dtmf","session_uuid":"s","digit":"a","duration_ms":1}`,
		`{"event":"dtmf","session_uuid":"s","digit":"5"}`,
		`{"event":"dtmf","session_uuid":"","digit":"5","duration_ms":1}`,
		`{"event":"digits.collected","session_uuid":"s","command_uid":"c","digits":"12","terminator":"#","status":"ok"}`,
		`{"event":"key","session_uuid":"s","digit":"5","duration_ms":1}`,
	} {
		assert.Error(t, testutil.ValidateEvent(sch, []byte(bad)), bad)
	}
}
