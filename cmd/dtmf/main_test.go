package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// runCmd runs one dtmf command line on empty stdin.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestVersion: --version, -version and "version" print one line with the
// module version and the VCS revision of the build.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version", "-version"} {
		code, out, errOut := runCmd(arg)
		assert.Equal(t, 0, code, arg)
		assert.Empty(t, errOut, arg)
		assert.True(t, strings.HasPrefix(out, "dtmf "), "%s: %q", arg, out)
		assert.Equal(t, 1, strings.Count(out, "\n"), "%s: one line: %q", arg, out)
	}
	fake := func(bi *debug.BuildInfo, ok bool) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) { return bi, ok }
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"release", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/dtmfkit/dtmf", Version: "v1.2.0"}},
			true, "dtmf v1.2.0 (github.com/dtmfkit/dtmf, no VCS revision, go1.26.0)"},
		{"checkout", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/dtmfkit/dtmf", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "84a58bb1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7"},
				{Key: "vcs.time", Value: "2026-12-02T03:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			true, "dtmf (devel) (github.com/dtmfkit/dtmf, revision 84a58bb1c2d3+dirty, 2026-12-02T03:00:00Z, go1.26.0)"},
		{"no build info", nil, false, "dtmf (no build information: built without module support)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, version(fake(tt.bi, tt.ok)))
		})
	}
}

// TestHelpCommand: "dtmf help COMMAND" prints that command's usage and
// flags, exactly as "dtmf COMMAND -h" does; an unknown one is a usage
// error.
func TestHelpCommand(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			code, out, _ := runCmd("help", name)
			assert.Equal(t, 0, code)
			_, want, _ := runCmd(name, "-h")
			assert.Equal(t, want, out)
			assert.True(t, strings.HasPrefix(out, "usage: dtmf "+name), "%q", out[:min(len(out), 80)])
			_, top, _ := runCmd("help")
			assert.NotEqual(t, top, out, "not the top-level usage")
			assert.Contains(t, top, "dtmf "+name, "the top-level usage lists it")
		})
	}
	code, out, errOut := runCmd("help", "nope")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.True(t, strings.HasPrefix(errOut, `dtmf help: unknown command "nope"`), "%q", errOut)
}
