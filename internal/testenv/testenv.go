// Package testenv gives tests access to what the machine must provide: the
// recorded speech of Debian's asterisk-core-sounds-en-wav package and external
// tools such as sox. A test that needs one skips on a developer machine that
// lacks it, but fails when DTMF_REQUIRE_TOOLS=1 is set, as .ci/run does, so
// that CI cannot pass by skipping.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// SpeechDir is where Debian's asterisk-core-sounds-en-wav installs its
// prompts: real recorded telephone speech, 8 kHz 16-bit mono, CC BY-SA 3.0.
const SpeechDir = "/usr/share/asterisk/sounds/en_US_f_Allison"

// Required reports whether missing tools and data must fail tests.
func Required() bool { return os.Getenv("DTMF_REQUIRE_TOOLS") == "1" }

func missing(t testing.TB, what string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is missing and DTMF_REQUIRE_TOOLS=1 (run .ci/run's set-up, or apt-get install asterisk-core-sounds-en-wav sox)", what)
	}
	t.Skipf("%s is missing; set DTMF_REQUIRE_TOOLS=1 to make this a failure", what)
}

// Tool returns the path of an external program, or skips/fails the test.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "program "+name)
	}
	return p
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

// Speech returns every prompt of the corpus (about 25 minutes, sorted by
// path), loaded once per test binary, or skips/fails the test.
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
		missing(t, "the speech corpus "+SpeechDir)
	}
	return speech
}
