package main

import (
	"fmt"
	"io"
)

func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "dtmf decode: not implemented yet")
	return 2
}
