// Package testenv is the one policy of the module's tests for what the
// machine must provide: the recorded speech of Debian's
// asterisk-core-sounds-en-wav package and external programs such as sox.
// A test that needs one calls [Tool], [NeedSpeech] or [Speech]: on a
// developer machine that lacks it the test skips, saying what is missing
// and which Debian package provides it; when DTMF_REQUIRE_TOOLS=1 is set,
// as .ci/run does, it fails instead, so that CI cannot pass by skipping.
// [StartCapture] applies the same policy to a capture tool (tcpdump,
// dumpcap) that is refused the permission to capture.
//
// A fresh clone on a machine with Go alone passes `go test ./...` with
// those tests skipped (internal/testenv/go-only.sh checks it: it runs a
// command in a fresh clone with the tools and the corpus hidden).
package testenv

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// RequireEnv is the environment variable that turns a missing tool or
// corpus into a test failure when set to "1".
const RequireEnv = "DTMF_REQUIRE_TOOLS"

// SpeechDir is where Debian's asterisk-core-sounds-en-wav installs its
// prompts: real recorded telephone speech, 8 kHz 16-bit mono, CC BY-SA 3.0.
const SpeechDir = siggen.DefaultCorpus

// speechPackage is the Debian package of SpeechDir.
const speechPackage = "asterisk-core-sounds-en-wav"

// Required reports whether missing tools and data must fail tests
// (DTMF_REQUIRE_TOOLS=1).
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Missing skips t, or fails it under DTMF_REQUIRE_TOOLS=1, because what is
// not on this machine; pkg names the Debian package that provides it.
func Missing(t testing.TB, what, pkg string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is missing and %s=1: apt-get install %s (.ci/run installs it)", what, RequireEnv, pkg)
		return
	}
	t.Skipf("%s is missing (Debian: apt-get install %s); set %s=1 to make this a failure", what, pkg, RequireEnv)
}

// toolPackages names the Debian package of each program tests run, where
// it differs from the program's name.
var toolPackages = map[string]string{
	"gst-launch-1.0": "gstreamer1.0-tools",
	"soxi":           "sox",
	"ffprobe":        "ffmpeg",
}

// Tool returns the path of an external program, or skips/fails the test
// (see [Missing]).
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		pkg := toolPackages[name]
		if pkg == "" {
			pkg = name
		}
		Missing(t, "program "+name, pkg)
	}
	return p
}

// HasSpeech reports whether the speech corpus is installed: SpeechDir
// holds at least one WAV file. It does not read them.
func HasSpeech() bool {
	found := false
	_ = filepath.WalkDir(SpeechDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".wav") {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// NeedSpeech returns SpeechDir if the speech corpus is installed, or
// skips/fails the test (see [Missing]).
func NeedSpeech(t testing.TB) string {
	t.Helper()
	if !HasSpeech() {
		Missing(t, "the speech corpus "+SpeechDir, speechPackage)
	}
	return SpeechDir
}

// Prompt is one recorded prompt.
type Prompt struct {
	Name string
	PCM  []int16 // 8 kHz mono
}

var (
	speechOnce sync.Once
	speech     []Prompt
	speechErr  error
)

// Speech returns every 8 kHz mono prompt of the corpus (about 25 minutes,
// sorted by path), loaded once per test binary, or skips/fails the test
// (see [Missing]).
func Speech(t testing.TB) []Prompt {
	t.Helper()
	speechOnce.Do(func() {
		var files []string
		speechErr = filepath.WalkDir(SpeechDir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".wav" {
				files = append(files, p)
			}
			return err
		})
		sort.Strings(files)
		for _, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				speechErr = err
				return
			}
			fm, pcm, err := wavfile.ReadAll(fh)
			fh.Close()
			if err != nil || fm.SampleRate != 8000 || fm.Channels != 1 {
				continue // the package has a few odd files; skip them
			}
			speech = append(speech, Prompt{Name: f, PCM: pcm})
		}
	})
	if speechErr != nil || len(speech) < 100 {
		Missing(t, "the speech corpus "+SpeechDir, speechPackage)
	}
	return speech
}
