// Package peers runs independent DTMF receivers on test audio, for tests
// that must hold against other implementations as well as ours: spandsp
// 0.0.6's dtmf_rx (through a small C driver, c/spandsp_rx.c, compiled with
// gcc against Debian's libspandsp-dev into the user's cache directory, never
// into the repository) and multimon-ng's DTMF demodulator (at 22050 Hz, the
// rate it expects). Audio at another rate is resampled with sox.
//
// A test that calls them skips, with a message naming what is missing, on a
// machine without gcc, libspandsp-dev, multimon-ng or sox, and fails when
// DTMF_REQUIRE_TOOLS=1 (see internal/testenv). Debian packages: gcc,
// libspandsp-dev, multimon-ng, sox.
package peers

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dtmfkit/dtmf/internal/testenv"
)

//go:embed c/spandsp_rx.c
var spandspSource []byte

// Press is one digit a peer reported.
type Press struct {
	Digit byte
	// At is the position [samples at the peer's own rate: 8000 Hz for
	// spandsp] at which the peer reported it, or -1 if it does not say.
	At int64
}

// Digits returns the digits of presses.
func Digits(presses []Press) string {
	b := make([]byte, len(presses))
	for i, p := range presses {
		b[i] = p.Digit
	}
	return string(b)
}

func missing(t testing.TB, what string) {
	t.Helper()
	if testenv.Required() {
		t.Fatalf("%s is missing and DTMF_REQUIRE_TOOLS=1 (apt-get install gcc libspandsp-dev multimon-ng sox)", what)
	}
	t.Skipf("%s is missing; set DTMF_REQUIRE_TOOLS=1 to make this a failure", what)
}

// errNoSpandsp reports that gcc found no spandsp header or library.
var errNoSpandsp = errors.New("peers: libspandsp-dev is not installed")

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// spandspBinary returns the compiled driver, building it once per test
// binary (and once per source version on the machine).
func spandspBinary(t testing.TB) string {
	t.Helper()
	gcc := testenv.Tool(t, "gcc")
	buildOnce.Do(func() { buildPath, buildErr = build(gcc) })
	if errors.Is(buildErr, errNoSpandsp) {
		missing(t, "libspandsp-dev (spandsp.h or libspandsp)")
	}
	if buildErr != nil {
		t.Fatalf("building the spandsp driver: %v", buildErr)
	}
	return buildPath
}

// build compiles the driver into the cache directory under a name that
// holds the source's hash; concurrent test binaries each build into a
// temporary file and rename it into place.
func build(gcc string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "dtmfkit-peers")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	sum := sha256.Sum256(spandspSource)
	bin := filepath.Join(dir, "spandsp_rx-"+hex.EncodeToString(sum[:8]))
	if st, err := os.Stat(bin); err == nil && st.Mode()&0o111 != 0 {
		return bin, nil
	}
	work, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "spandsp_rx.c")
	if err := os.WriteFile(src, spandspSource, 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(work, "spandsp_rx")
	cmd := exec.Command(gcc, "-std=c11", "-O2", "-Wall", "-Wextra", "-o", out, src, "-lspandsp", "-lm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		if bytes.Contains(msg, []byte("spandsp.h: No such file")) || bytes.Contains(msg, []byte("cannot find -lspandsp")) {
			return "", errNoSpandsp
		}
		return "", fmt.Errorf("%v: %s", err, msg)
	}
	return bin, os.Rename(out, bin)
}

// raw returns pcm as s16le bytes.
func raw(pcm []int16) []byte {
	b := make([]byte, 2*len(pcm))
	for i, v := range pcm {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

// Resample converts pcm from rate from to rate to with sox (its default
// high-quality resampler), or returns it as is if the rates are equal.
func Resample(t testing.TB, pcm []int16, from, to int) []int16 {
	t.Helper()
	if from == to {
		return pcm
	}
	sox := testenv.Tool(t, "sox")
	cmd := exec.Command(sox, "-V1",
		"-t", "raw", "-r", fmt.Sprint(from), "-e", "signed", "-b", "16", "-c", "1", "-L", "-",
		"-t", "raw", "-r", fmt.Sprint(to), "-e", "signed", "-b", "16", "-c", "1", "-L", "-")
	cmd.Stdin = bytes.NewReader(raw(pcm))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("sox resampling %d → %d Hz: %v: %s", from, to, err, stderr.String())
	}
	out := make([]int16, len(b)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return out
}

// Spandsp returns the digits spandsp 0.0.6's dtmf_rx reports in pcm (at
// rate [Hz], resampled to 8 kHz if need be), with the sample position
// (at 8 kHz) at which it reported each.
func Spandsp(t testing.TB, pcm []int16, rate int) []Press {
	t.Helper()
	bin := spandspBinary(t)
	pcm = Resample(t, pcm, rate, 8000)
	cmd := exec.Command(bin)
	cmd.Stdin = bytes.NewReader(raw(pcm))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("spandsp driver: %v: %s", err, stderr.String())
	}
	var presses []Press
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var d byte
		var at int64
		if _, err := fmt.Sscanf(sc.Text(), "%c %d", &d, &at); err != nil {
			t.Fatalf("spandsp driver printed %q: %v", sc.Text(), err)
		}
		presses = append(presses, Press{Digit: d, At: at})
	}
	return presses
}

// multimonRate is the sample rate multimon-ng's demodulators expect.
const multimonRate = 22050

// Multimon returns the digits multimon-ng's DTMF demodulator reports in
// pcm (at rate [Hz], resampled to 22050 Hz, with 200 ms of silence
// appended so that a key at the very end is reported). multimon-ng gives
// no positions: At is -1.
func Multimon(t testing.TB, pcm []int16, rate int) []Press {
	t.Helper()
	mm := testenv.Tool(t, "multimon-ng")
	pcm = Resample(t, pcm, rate, multimonRate)
	pcm = append(pcm, make([]int16, multimonRate/5)...)
	cmd := exec.Command(mm, "-q", "-c", "-a", "DTMF", "-t", "raw", "-")
	cmd.Stdin = bytes.NewReader(raw(pcm))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("multimon-ng: %v: %s", err, stderr.String())
	}
	var presses []Press
	for _, line := range strings.Split(string(out), "\n") {
		if d, ok := strings.CutPrefix(strings.TrimSpace(line), "DTMF: "); ok && len(d) == 1 {
			presses = append(presses, Press{Digit: d[0], At: -1})
		}
	}
	return presses
}
