package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// batchInput is one input of a batch: a file to decode, or an argument
// that could not be turned into any (err set).
type batchInput struct {
	name string
	err  error
}

// Kinds of input file, as sniffed from their first bytes or named by their
// extension.
const (
	kindUnknown = iota
	kindWAV
	kindCapture // pcap or pcapng
)

// sniffLen is how many leading bytes [sniffKind] looks at.
const sniffLen = 12

// sniffKind tells a WAV file (RIFF....WAVE) or a packet capture (a pcap
// magic number in either byte order and either time resolution, or a
// pcapng section header block) from its first bytes.
func sniffKind(head []byte) int {
	if isCapture(head) {
		return kindCapture
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WAVE" {
		return kindWAV
	}
	if len(head) >= 4 {
		switch string(head[:4]) {
		case "\xd4\xc3\xb2\xa1", "\xa1\xb2\xc3\xd4", // pcap, µs
			"\x4d\x3c\xb2\xa1", "\xa1\xb2\x3c\x4d", // pcap, ns
			"\x0a\x0d\x0d\x0a": // pcapng section header block
			return kindCapture
		}
	}
	return kindUnknown
}

// extKind tells the kind of a file from its extension (any case).
func extKind(name string) int {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".wav", ".wave":
		return kindWAV
	case ".pcap", ".pcapng", ".cap":
		return kindCapture
	}
	return kindUnknown
}

// fileKind is the kind of the file at path: by content if it can be read,
// else by extension.
func fileKind(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return extKind(path)
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, _ := io.ReadFull(f, head)
	if k := sniffKind(head[:n]); k != kindUnknown {
		return k
	}
	return extKind(path)
}

// expandInputs turns the command line's inputs into the batch: a file (or
// "-") is itself; a directory is the WAV files and captures in it, in
// lexical order — in its subdirectories too if recursive — found by their
// content or extension (see [sniffKind], [extKind]), so that other files
// (notes, manifests) are passed over. Names starting with "." are skipped.
// A directory holding none, or that cannot be read, is one input with an
// error.
func expandInputs(args []string, recursive bool) []batchInput {
	var out []batchInput
	for _, arg := range args {
		if arg == "-" {
			out = append(out, batchInput{name: arg})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil || !st.IsDir() {
			out = append(out, batchInput{name: arg}) // decodeInput reports the problem
			continue
		}
		found, err := listDir(arg, recursive)
		switch {
		case err != nil:
			out = append(out, batchInput{name: arg, err: err})
		case len(found) == 0:
			why := "a directory holding no WAV files or captures"
			if !recursive {
				why += " (-r searches its subdirectories)"
			}
			out = append(out, batchInput{name: arg, err: errors.New(why)})
		}
		for _, f := range found {
			out = append(out, batchInput{name: f})
		}
	}
	return out
}

// listDir returns the decodable files under dir (see [expandInputs]).
func listDir(dir string, recursive bool) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			found = append(found, path) // unreadable: decodeInput reports it
			return nil
		}
		if path == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if !recursive {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
			if fileKind(path) != kindUnknown {
				found = append(found, path)
			}
		}
		return nil
	})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	return found, nil
}

// progress shows a batch's progress on one line of stderr when stderr is a
// terminal: "dtmf decode: 12/340 calls/2026-11-30/a.wav". The line is
// erased before anything else is written to stderr, and at the end.
type progress struct {
	w     io.Writer // nil: no progress shown
	width int       // of the line shown, to erase it
}

// isTerminal reports whether w is a terminal (a character device): only
// then is progress shown. A variable for the tests.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// minProgressInputs is the smallest batch that shows progress: a few files
// decode in the blink of an eye.
const minProgressInputs = 2

// newProgress returns the progress line of a batch of n inputs on stderr.
func newProgress(stderr io.Writer, n int) *progress {
	if n < minProgressInputs || !isTerminal(stderr) {
		return &progress{}
	}
	return &progress{w: stderr}
}

// show displays input i (from 0) of n.
func (p *progress) show(i, n int, name string) {
	if p.w == nil {
		return
	}
	line := fmt.Sprintf("dtmf decode: %d/%d %s", i+1, n, displayName(name))
	pad := max(0, p.width-len(line))
	fmt.Fprintf(p.w, "\r%s%s\r%s", line, strings.Repeat(" ", pad), line)
	p.width = len(line)
}

// clear erases the progress line.
func (p *progress) clear() {
	if p.w == nil || p.width == 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", bytes.Repeat([]byte{' '}, p.width))
	p.width = 0
}
