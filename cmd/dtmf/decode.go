package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

const decodeUsage = `usage: dtmf decode [flags] FILE.wav... | -

Prints one "dtmf" event per key press as NDJSON on stdout; a file's events
come in the order the presses start (channel number breaking ties):

  {"event":"dtmf","session_uuid":"sample","digit":"5","duration_ms":95}

FILE.wav may be PCM (8, 16, 24 or 32-bit), 32-bit IEEE float, µ-law or
A-law, plain or WAVE_FORMAT_EXTENSIBLE, at 8000 to 48000 Hz. Each channel of
a multi-channel file is decoded on its own and its events carry
"channel":N (0-based). A recording whose header sizes were never filled in
(0 or 0xFFFFFFFF, as left by a killed recorder) is decoded to its end; a
file cut short is decoded as far as it goes and then reported as truncated.

"-" reads stdin: raw mono samples (--encoding, --rate), or a WAV stream if
stdin starts with a RIFF/WAVE header (its header then overrides --encoding
and --rate). Events are written the moment they are known (in the order
they become known), for live use:

  sox -d -t raw -r 8000 -e signed -b 16 -c 1 - | dtmf decode -

Errors go to stderr, one line each: "dtmf decode: FILE: problem". The other
files are still decoded. Exit status: 0 if every input decoded cleanly, 1 if
any failed, 2 for a usage error.

Flags:
`

// decodeOptions holds the parsed flags of dtmf decode.
type decodeOptions struct {
	session    string
	timestamps bool
	rate       int
	encoding   string
	cfg        detector.Config // SampleRate is set per input
}

// runDecode implements dtmf decode.
func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opt, inputs, code := parseDecodeFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	out := bufio.NewWriter(stdout)
	status := 0
	for _, name := range inputs {
		err := decodeInput(name, stdin, opt, out)
		if ferr := out.Flush(); ferr != nil {
			fmt.Fprintf(stderr, "dtmf decode: writing output: %v\n", ferr)
			return 1
		}
		if err != nil {
			fmt.Fprintf(stderr, "dtmf decode: %s: %s\n", displayName(name), describe(err))
			status = 1
		}
	}
	return status
}

// parseDecodeFlags parses the command line. It returns the options, the
// inputs, and -1, or an exit code if the command should stop (usage error
// or help).
func parseDecodeFlags(args []string, stdout, stderr io.Writer) (decodeOptions, []string, int) {
	def := detector.DefaultConfig()
	opt := decodeOptions{cfg: def}
	fset := flag.NewFlagSet("dtmf decode", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.StringVar(&opt.session, "session", "", "`uuid` for session_uuid (default: the file name without directory and extension; \"stdin\" for -)")
	fset.BoolVar(&opt.timestamps, "timestamps", false, "add \"offset_ms\": the press start in ms from the start of the input")
	fset.IntVar(&opt.rate, "rate", 8000, "sample rate [Hz] of raw stdin, 8000 to 48000")
	fset.StringVar(&opt.encoding, "encoding", "s16le", "encoding of raw stdin: s16le, ulaw or alaw")
	fset.Float64Var(&opt.cfg.MinLevel, "min-level", def.MinLevel, "detector: weakest accepted tone [dBm0], -50 to 0")
	fset.Float64Var(&opt.cfg.MaxNormalTwist, "twist", def.MaxNormalTwist, "detector: how much weaker [dB] the high tone may be than the low, 0 to 20")
	fset.Float64Var(&opt.cfg.MaxReverseTwist, "reverse-twist", def.MaxReverseTwist, "detector: how much stronger [dB] the high tone may be than the low, 0 to 20")
	fset.Float64Var(&opt.cfg.FrequencyTolerance, "freq-tolerance", def.FrequencyTolerance, "detector: largest accepted frequency deviation [%], 1.5 to 5")
	fset.DurationVar(&opt.cfg.MinToneDuration, "min-tone", def.MinToneDuration, "detector: shortest tone accepted as a key press, 10ms to 1s")
	fset.DurationVar(&opt.cfg.MinPause, "min-pause", def.MinPause, "detector: shortest gap that separates two presses, 5ms to 500ms")

	usageErr := func(format string, a ...any) (decodeOptions, []string, int) {
		fmt.Fprintf(stderr, "dtmf decode: "+format+" (run \"dtmf decode -h\" for usage)\n", a...)
		return opt, nil, 2
	}
	inputs, err := parseInterspersed(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, decodeUsage)
		fset.SetOutput(stdout)
		fset.PrintDefaults()
		return opt, nil, 0
	}
	if err != nil {
		return usageErr("%v", err)
	}
	if len(inputs) == 0 {
		return usageErr("no input: give WAV files, or - for stdin")
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	stdinUses := 0
	for _, in := range inputs {
		if in == "-" {
			stdinUses++
		}
	}
	switch {
	case stdinUses > 1:
		return usageErr("- (stdin) given %d times", stdinUses)
	case stdinUses == 0 && (set["rate"] || set["encoding"]):
		return usageErr("--rate and --encoding apply only to raw stdin (-); a WAV file's header gives them")
	case opt.rate < 8000 || opt.rate > 48000:
		return usageErr("--rate %d: want 8000 to 48000 Hz", opt.rate)
	}
	switch opt.encoding {
	case "s16le", "ulaw", "alaw":
	default:
		return usageErr("--encoding %q: want s16le, ulaw or alaw", opt.encoding)
	}
	if set["session"] && opt.session == "" {
		return usageErr("--session must not be empty")
	}
	if err := opt.cfg.Validate(); err != nil {
		return usageErr("invalid detector setting: %v", err)
	}
	return opt, inputs, -1
}

// parseInterspersed parses flags anywhere among the inputs, as in
// "dtmf decode a.wav --timestamps b.wav". After "--" everything is an
// input.
func parseInterspersed(fset *flag.FlagSet, args []string) ([]string, error) {
	var inputs []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		rest := fset.Args()
		if len(rest) == 0 {
			return inputs, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(inputs, rest...), nil
		}
		inputs = append(inputs, rest[0])
		args = rest[1:]
	}
}

// displayName is how errors name an input.
func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

// describe turns an error into the problem part of an error line: no
// package prefixes, no repeated file name.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if pe.Op == "open" {
			return pe.Err.Error()
		}
		return pe.Op + ": " + pe.Err.Error()
	}
	return strings.TrimPrefix(err.Error(), "wavfile: ")
}

// errEmptyFile reports a zero-length input file.
var errEmptyFile = errors.New("empty file")

// decodeInput decodes one command-line input and writes its events to out.
func decodeInput(name string, stdin io.Reader, opt decodeOptions, out *bufio.Writer) error {
	session := opt.session
	if session == "" {
		session = sessionName(name)
	}
	if name == "-" {
		return decodeStdin(stdin, opt, session, out)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return errors.New("is a directory")
	}
	cr := &countingReader{r: f}
	r, err := wavfile.NewReader(cr)
	if err != nil {
		if cr.n == 0 && errors.Is(err, wavfile.ErrNotWAV) {
			return errEmptyFile
		}
		return err
	}
	return decodeWAV(r, opt, session, false, out)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// sessionName derives a session_uuid from an input name: the base name
// without its extension, or the whole base name if that would be empty.
func sessionName(name string) string {
	if name == "-" {
		return "stdin"
	}
	base := filepath.Base(name)
	if s := strings.TrimSuffix(base, filepath.Ext(base)); s != "" {
		return s
	}
	return base
}

// decodeWAV decodes a WAV stream after checking that the detector supports
// its rate.
func decodeWAV(r *wavfile.Reader, opt decodeOptions, session string, live bool, out *bufio.Writer) error {
	f := r.Format()
	if f.SampleRate < 8000 || f.SampleRate > 48000 {
		return fmt.Errorf("sample rate %d Hz not supported: want 8000 to 48000 Hz", f.SampleRate)
	}
	return decodeSamples(r, f.Channels, f.SampleRate, opt, session, live, out)
}

// sampleReader delivers interleaved 16-bit frames, with the result
// conventions of [wavfile.Reader.Read].
type sampleReader interface {
	Read(dst []int16) (int, error)
}

// keyPress is a finished key press of one channel.
type keyPress struct {
	channel int
	ev      detector.Event
}

// decodeSamples runs one detector per channel over src and writes one line
// per key-up. With one channel, or live, lines are written as they are
// known (and flushed at once if live); otherwise a file's presses are
// collected and written in order of start, then channel. The detectors are
// flushed even if src fails, so that the presses in the audio before the
// failure are reported; the failure is returned (io.EOF is success).
func decodeSamples(src sampleReader, channels, rate int, opt decodeOptions, session string, live bool, out *bufio.Writer) error {
	cfg := opt.cfg
	cfg.SampleRate = rate
	dets := make([]*detector.Detector, channels)
	for c := range dets {
		d, err := detector.New(cfg)
		if err != nil {
			return err
		}
		dets[c] = d
	}
	e := emit.Event{Kind: emit.KindDTMF, SessionUUID: session}
	if opt.timestamps {
		e.Extras |= emit.ExtraOffset
	}
	if channels > 1 {
		e.Extras |= emit.ExtraChannel
	}
	var (
		line    []byte
		events  []detector.Event
		presses []keyPress // key-ups awaiting output
		buf     = make([]int16, max(4096, channels))
		one     = make([]int16, len(buf)/channels)
	)
	collect := func(c int, evs []detector.Event) {
		for _, ev := range evs {
			if ev.Type == detector.KeyUp {
				presses = append(presses, keyPress{channel: c, ev: ev})
			}
		}
	}
	write := func() {
		slices.SortStableFunc(presses, func(a, b keyPress) int {
			if a.ev.Start != b.ev.Start {
				return cmp.Compare(a.ev.Start, b.ev.Start)
			}
			return a.channel - b.channel
		})
		for _, p := range presses {
			e.Digit, e.DurationMS, e.Channel = p.ev.Digit, p.ev.DurationMS, p.channel
			e.OffsetMS = (max(p.ev.Start, 0)*1000 + int64(rate)/2) / int64(rate)
			line = append(e.AppendJSON(line[:0]), '\n')
			_, _ = out.Write(line) // a write error is sticky and reported by Flush
		}
		presses = presses[:0]
	}
	stream := live || channels == 1
	var err error
	for err == nil {
		var n int
		n, err = src.Read(buf)
		frames := n / channels
		for c, d := range dets {
			pcm := buf[:n]
			if channels > 1 {
				for i := range frames {
					one[i] = buf[i*channels+c]
				}
				pcm = one[:frames]
			}
			events = d.Process(events[:0], pcm)
			collect(c, events)
		}
		if stream && len(presses) > 0 {
			write()
			if live {
				if ferr := out.Flush(); ferr != nil {
					return ferr
				}
			}
		}
	}
	for c, d := range dets {
		events = d.Flush(events[:0])
		collect(c, events)
	}
	write()
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// decodeStdin decodes stdin: a WAV stream if it starts with a RIFF/WAVE
// header, raw samples otherwise.
func decodeStdin(stdin io.Reader, opt decodeOptions, session string, out *bufio.Writer) error {
	var head [12]byte
	n, err := io.ReadFull(stdin, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return err
	}
	if n == 0 {
		return errors.New("no audio: the stream ended before the first sample")
	}
	in := io.MultiReader(bytes.NewReader(head[:n]), stdin)
	if n == len(head) && string(head[:4]) == "RIFF" && string(head[8:]) == "WAVE" {
		r, err := wavfile.NewReader(in)
		if err != nil {
			return err
		}
		return decodeWAV(r, opt, session, true, out)
	}
	return decodeSamples(&rawReader{r: in, encoding: opt.encoding}, 1, opt.rate, opt, session, true, out)
}

// rawReader decodes headerless mono samples: s16le, ulaw or alaw. Each Read
// reads the underlying reader once, so that live input is decoded as it
// arrives.
type rawReader struct {
	r        io.Reader
	encoding string
	buf      [8192]byte
	carry    int // bytes of an incomplete s16le sample at the start of buf
	err      error
}

func (r *rawReader) Read(dst []int16) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	width := 1
	if r.encoding == "s16le" {
		width = 2
	}
	for {
		want := min(len(r.buf), len(dst)*width)
		m, err := r.r.Read(r.buf[r.carry:want])
		have := r.carry + m
		n := have / width
		switch r.encoding {
		case "s16le":
			for i := range n {
				dst[i] = int16(uint16(r.buf[2*i]) | uint16(r.buf[2*i+1])<<8)
			}
		case "ulaw":
			for i := range n {
				dst[i] = g711.ULawToLinear(r.buf[i])
			}
		case "alaw":
			for i := range n {
				dst[i] = g711.ALawToLinear(r.buf[i])
			}
		}
		r.carry = copy(r.buf[:], r.buf[n*width:have])
		if err != nil {
			r.err = err
			if err == io.EOF && r.carry > 0 {
				r.err = fmt.Errorf("input ends inside a sample (%d of %d bytes)", r.carry, width)
			}
			if n == 0 {
				return 0, r.err
			}
		}
		if n > 0 {
			return n, nil
		}
	}
}
