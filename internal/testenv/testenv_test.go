package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// stopping the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }

// The one policy: skip, naming what is missing and its Debian package, on
// a developer machine; fail under DTMF_REQUIRE_TOOLS=1.
func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		env      string
		skip     bool
		required bool
	}{{"", true, false}, {"0", true, false}, {"yes", true, false}, {"1", false, true}} {
		t.Run("env="+tc.env, func(t *testing.T) {
			t.Setenv(RequireEnv, tc.env)
			assert.Equal(t, tc.required, Required())
			r := &recorder{TB: t}
			Missing(r, "program frobnicate", "frob-tools")
			if tc.skip {
				assert.Empty(t, r.failed)
				assert.Contains(t, r.skipped, "program frobnicate is missing")
				assert.Contains(t, r.skipped, "apt-get install frob-tools")
				assert.Contains(t, r.skipped, "DTMF_REQUIRE_TOOLS=1")
			} else {
				assert.Empty(t, r.skipped)
				assert.Contains(t, r.failed, "program frobnicate is missing")
				assert.Contains(t, r.failed, "apt-get install frob-tools")
			}
		})
	}
}

func TestTool(t *testing.T) {
	t.Setenv(RequireEnv, "")
	assert.NotEmpty(t, Tool(t, "sh"), "a program every machine has")
	r := &recorder{TB: t}
	assert.Empty(t, Tool(r, "gst-launch-1.0-surely-absent"))
	assert.Contains(t, r.skipped, "program gst-launch-1.0-surely-absent is missing")
	assert.Equal(t, "gstreamer1.0-tools", toolPackages["gst-launch-1.0"], "programs named after something else")
}

// NeedSpeech agrees with HasSpeech: it returns the corpus directory when
// there is one, and otherwise skips (or fails) naming the package.
func TestNeedSpeech(t *testing.T) {
	t.Setenv(RequireEnv, "")
	r := &recorder{TB: t}
	dir := NeedSpeech(r)
	if HasSpeech() {
		assert.Equal(t, SpeechDir, dir)
		assert.Empty(t, r.skipped)
	} else {
		assert.Contains(t, r.skipped, "asterisk-core-sounds-en-wav")
	}
}

// StartCapture returns once the tool says it captures, and its stop
// interrupts the tool: a shell stands in for tcpdump.
func TestStartCaptureWaitsForReadyAndStops(t *testing.T) {
	sh := Tool(t, "sh")
	out := filepath.Join(t.TempDir(), "stopped")
	stop := StartCapture(t, "listening on", sh, "-c",
		`trap 'echo interrupted > `+out+`; exit 0' INT; echo "listening on lo" >&2; while :; do sleep 0.05; done`)
	if _, err := os.Stat(out); err == nil {
		t.Fatal("the tool was stopped before stop was called")
	}
	stop()
	b, err := os.ReadFile(out)
	if err != nil || strings.TrimSpace(string(b)) != "interrupted" {
		t.Fatalf("the tool was not interrupted: %q, %v", b, err)
	}
}

// A tool that exits refused permission skips the test, as a missing tool
// does (with DTMF_REQUIRE_TOOLS unset for the subtest).
func TestStartCaptureRefusedPermissionSkips(t *testing.T) {
	sh := Tool(t, "sh")
	t.Setenv(RequireEnv, "")
	skipped := false
	t.Run("refused", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		StartCapture(t, "listening on", sh, "-c", `echo "lo: Operation not permitted" >&2; exit 1`)
	})
	if !skipped {
		t.Fatal("a capture tool refused permission did not skip the test")
	}
}
