//go:build !unix

package main

import "os"

// openInput opens a file to decode.
func openInput(name string) (*os.File, error) { return os.Open(name) }
