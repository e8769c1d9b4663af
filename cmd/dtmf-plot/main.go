// Command dtmf-plot draws the figures of an accuracy report: it reads
// DIR/accuracy.json, as written by "dtmf bench accuracy --out DIR", draws
// into DIR, as SVG and PNG,
//
//   - snr: digits found vs SNR, one line per decoder;
//   - talkdown: digits found under speech vs speech-to-DTMF ratio;
//   - duration_error: the distribution of duration_ms errors;
//   - region_NAME: each decoder's accept rate over frequency offset × twist,
//
// each only if the report has its data, and rewrites DIR/accuracy.md with
// the figures linked (the report as "dtmf bench accuracy" wrote it, plus
// the images).
//
// Usage:
//
//	dtmf-plot DIR...
//
// It is a command of its own so that the dtmf command does not link the
// plotting libraries (gonum.org/v1/plot and its fonts, PDF and LaTeX
// code): plots are made only where they are asked for. Exit status: 0 if
// every DIR was plotted, 1 if one failed, 2 for a usage error.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dtmfkit/dtmf/bench"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: dtmf-plot DIR...

Reads DIR/accuracy.json (from "dtmf bench accuracy --out DIR"), draws the
report's figures into DIR as SVG and PNG (snr, talkdown, duration_error,
region_NAME per decoder) and rewrites DIR/accuracy.md with them linked.
`

// run plots every directory of args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	status := 0
	for _, dir := range args {
		names, err := plotDir(dir)
		if err != nil {
			fmt.Fprintf(stderr, "dtmf-plot: %s: %v\n", dir, err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: %d figures\n", dir, len(names))
	}
	return status
}

// plotDir draws the figures of dir/accuracy.json into dir and rewrites
// dir/accuracy.md with them; it returns the SVG names.
func plotDir(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "accuracy.json"))
	if err != nil {
		return nil, err
	}
	var rep bench.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("accuracy.json: %w", err)
	}
	names, err := plots(&rep, dir)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "accuracy.md"), []byte(rep.Markdown(names...)), 0o644); err != nil {
		return nil, err
	}
	return names, nil
}
