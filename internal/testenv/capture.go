package testenv

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// captureStartTimeout bounds how long a capture tool may take to say it is
// capturing.
const captureStartTimeout = 20 * time.Second

// captureDrain is how long a capture tool is left running before it is
// stopped, for the last packets to cross the loopback.
const captureDrain = 300 * time.Millisecond

// StartCapture runs the capture tool name (tcpdump, dumpcap) with args and
// waits until a line of its stderr contains ready ("listening on",
// "Capturing on"). Capturing needs root or CAP_NET_RAW: a tool refused
// permission skips the test as a missing tool does (it fails under
// DTMF_REQUIRE_TOOLS=1). It returns the function that stops the capture
// (interrupting the tool after captureDrain) and waits for it.
func StartCapture(t testing.TB, ready, name string, args ...string) (stop func()) {
	t.Helper()
	cmd := exec.Command(name, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(captureStartTimeout)
	var said []string
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				msg := fmt.Sprintf("%s exited before capturing: %s", name, strings.Join(said, "; "))
				if strings.Contains(msg, "ermission") || strings.Contains(msg, "not permitted") {
					if Required() {
						t.Fatalf("%s (%s=1)", msg, RequireEnv)
					}
					t.Skip(msg)
				}
				t.Fatal(msg)
			}
			said = append(said, l)
			if strings.Contains(l, ready) {
				go func() { // keep reading, so the tool never blocks on stderr
					for range lines {
					}
				}()
				return func() {
					t.Helper()
					time.Sleep(captureDrain)
					if err := cmd.Process.Signal(os.Interrupt); err != nil {
						t.Fatal(err)
					}
					_ = cmd.Wait()
				}
			}
		case <-timeout:
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("%s did not start capturing within %v", name, captureStartTimeout)
		}
	}
}
