//go:build !amd64 || purego

package goertzel

import "testing"

// withKernels runs f with the only kernel there is here, "generic".
func withKernels(t testing.TB, f func(name string)) {
	t.Helper()
	f("generic")
}
