// Command dtmf decodes DTMF key presses from audio, generates DTMF test
// signals and benchmarks DTMF detectors.
//
// Usage:
//
//	dtmf decode [flags] FILE.wav|CAPTURE.pcap|DIR... | -
//	dtmf gen [flags] OUT.wav
//	dtmf bench accuracy|speed [flags]
//	dtmf mask [flags] IN.wav OUT.wav
//	dtmf gateway [flags] IN.pcap OUT.pcap
//	dtmf help [COMMAND]
//	dtmf version
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
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
	if cmd, ok := commands[args[0]]; ok {
		return cmd(args[1:], stdin, stdout, stderr)
	}
	switch args[0] {
	case "help", "-h", "--help":
		if len(args) > 1 {
			if _, ok := commands[args[1]]; !ok {
				fmt.Fprintf(stderr, "dtmf help: unknown command %q\n", args[1])
				usage(stderr)
				return 2
			}
			return run([]string{args[1], "-h"}, stdin, stdout, stderr)
		}
		usage(stdout)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version(debug.ReadBuildInfo))
		return 0
	}
	fmt.Fprintf(stderr, "dtmf: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// command runs one subcommand on its arguments and returns the exit code;
// "-h" among them prints its usage and flags.
type command func(args []string, stdin io.Reader, stdout, stderr io.Writer) int

// commands maps each subcommand's name to its function: run dispatches on
// it, and "dtmf help NAME" runs "dtmf NAME -h". A new command is one entry
// here and one line in usage.
var commands = map[string]command{
	"decode":  runDecode,
	"gen":     runGen,
	"bench":   runBench,
	"mask":    runMask,
	"gateway": runGateway,
}

// version returns the module version and the VCS revision the binary was
// built from, as recorded by the go command in the build info:
//
//	dtmf v1.2.0 (github.com/dtmfkit/dtmf, revision 84a58bb1c2d3, 2026-12-02T03:00:00Z, go1.26.0)
//
// A binary built inside a checkout reports version "(devel)", with the
// revision and "+dirty" for uncommitted changes; one built with -buildvcs=false
// or from a module cache has no revision. readBuildInfo is
// debug.ReadBuildInfo (a parameter for the tests).
func version(readBuildInfo func() (*debug.BuildInfo, bool)) string {
	bi, ok := readBuildInfo()
	if !ok {
		return "dtmf (no build information: built without module support)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	path := bi.Main.Path
	if path == "" {
		path = "github.com/dtmfkit/dtmf"
	}
	out := "dtmf " + v + " (" + path
	if rev != "" {
		out += ", revision " + rev[:min(len(rev), 12)] + dirty
	} else {
		out += ", no VCS revision"
	}
	if when != "" {
		out += ", " + when
	}
	return out + ", " + bi.GoVersion + ")"
}

// printUsage writes a command's usage text and its flags with their
// defaults, in name order: the answer to -h.
func printUsage(w io.Writer, usage string, fset *flag.FlagSet) {
	fmt.Fprint(w, usage)
	fset.VisitAll(func(f *flag.Flag) { printFlag(w, f) })
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  dtmf decode [flags] FILE.wav... | -   print one "dtmf" event per key press (NDJSON),
                                        and with --collect a "digits.collected" result;
                                        also packet captures (every RTP stream) and
                                        directories of them
  dtmf gen [flags] OUT.wav              write a DTMF test signal and its manifest
  dtmf bench accuracy|speed [flags]     score detectors on the receiver tests / time them
  dtmf mask [flags] IN.wav OUT.wav      write IN with every key press removed, print them
  dtmf gateway [flags] IN.pcap OUT.pcap write IN's RTP as a gateway sends it: keys as RFC 4733
  dtmf help [COMMAND]                   this text, or a command's usage and flags
  dtmf version                          the module version and VCS revision (also --version)
Run "dtmf help COMMAND" or "dtmf COMMAND -h" for a command's flags.
`)
}
