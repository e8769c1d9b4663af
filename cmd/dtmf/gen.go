package main

import (
	"fmt"
	"io"
)

func runGen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "dtmf gen: not implemented yet")
	return 2
}
