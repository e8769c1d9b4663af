package testutil

import (
	"net"
	"os/exec"
	"strconv"
	"testing"
)

// UDPSink listens on a free UDP port of 127.0.0.1 and drains it until the
// test ends, so that a sender gets no ICMP errors; it returns the port.
func UDPSink(t testing.TB) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 65536)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// ExitStderr returns the stderr an *exec.ExitError carries, or "".
func ExitStderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TsharkUint parses a numeric field of tshark's -T fields output (decimal
// or 0x hex).
func TsharkUint(t testing.TB, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		t.Fatalf("tshark field %q: %v", s, err)
	}
	return v
}

// TsharkBool parses a boolean field of tshark's -T fields output ("1",
// "True", "0", "False": the spelling depends on its version).
func TsharkBool(t testing.TB, s string) bool {
	t.Helper()
	switch s {
	case "1", "True":
		return true
	case "0", "False":
		return false
	}
	t.Fatalf("not a boolean tshark field: %q", s)
	return false
}
