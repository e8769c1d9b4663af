// Command dtmf decodes DTMF key presses from audio, generates DTMF test
// signals and benchmarks DTMF detectors.
//
// Usage:
//
//	dtmf decode [flags] FILE.wav... | -
//	dtmf gen [flags] OUT.wav
//	dtmf bench accuracy|speed [flags]
//	dtmf mask [flags] IN.wav OUT.wav
//	dtmf gateway [flags] IN.pcap OUT.pcap
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "decode":
		return runDecode(args[1:], stdin, stdout, stderr)
	case "gen":
		return runGen(args[1:], stdin, stdout, stderr)
	case "bench":
		return runBench(args[1:], stdin, stdout, stderr)
	case "mask":
		return runMask(args[1:], stdin, stdout, stderr)
	case "gateway":
		return runGateway(args[1:], stdin, stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "dtmf: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// printUsage writes a command's usage text and its flags' defaults: the
// answer to -h.
func printUsage(w io.Writer, usage string, fset *flag.FlagSet) {
	fmt.Fprint(w, usage)
	fset.SetOutput(w)
	fset.PrintDefaults()
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  dtmf decode [flags] FILE.wav... | -   print one "dtmf" event per key press (NDJSON),
                                        and with --collect a "digits.collected" result
  dtmf gen [flags] OUT.wav              write a DTMF test signal and its manifest
  dtmf bench accuracy|speed [flags]     score detectors on the receiver tests / time them
  dtmf mask [flags] IN.wav OUT.wav      write IN with every key press removed, print them
  dtmf gateway [flags] IN.pcap OUT.pcap write IN's RTP as a gateway sends it: keys as RFC 4733
Run "dtmf COMMAND -h" for a command's flags.
`)
}
