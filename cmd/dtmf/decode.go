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
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/emit/webhook"
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

Digit collection. --collect SPEC also gathers the key presses of each input
(of each channel of a multi-channel file) into one collection, as
FreeSWITCH's play_and_get_digits does, starting --collect-at into the input,
and writes its result, one "digits.collected" event, among the "dtmf"
events:

  dtmf decode --collect min=4,max=10,term=#,first=5s,inter=3s sample.wav
  ...
  {"event":"dtmf","session_uuid":"sample","digit":"4","duration_ms":97}
  {"event":"digits.collected","session_uuid":"sample","command_uid":"collect-1","digits":"5551234","terminator":"#","status":"success"}
  {"event":"dtmf","session_uuid":"sample","digit":"#","duration_ms":120}

SPEC is key=value pairs separated by commas, any subset in any order, except
that pattern comes last (it takes the rest, commas included):

  min=N          fewest digits, 1 to 128 (default 1)
  max=N          most digits: the Nth ends the collection (default 128)
  term=KEYS      terminator keys, none if empty (default #)
  first=DUR      how long to wait for the first key (default 5s)
  inter=DUR      how long to wait for the next key, from the release of
                 the last one (default 3s)
  overall=DUR    limit for the whole collection, 0 for none (default 0)
  tries=N        tries: one that times out or fails starts the next, 1 to
                 100 (default 1)
  typeahead=DUR  keys recognised up to DUR before the start count too
                 (default 0)
  pattern=RE     Go regular expression the digits must match as a whole
                 (default: any digits)

DUR is a Go duration: 5s, 2500ms, 1m. A key counts when it is recognised,
about 30 ms after it starts; a key held at the start does not count. The
status is "success" (max digits, a terminator after min digits, or min
digits when a timeout ran out, and the pattern matched), "timeout" (too few
digits in time) or "failure" (too few digits before a terminator, or the
pattern not matched, on the last try). A collection ended by a key ends as
that key is recognised, so its event comes before the "dtmf" event of that
key, which waits for the release; with --timestamps its offset_ms is the
moment it ended. If the input ends while the collection waits, the input
is taken to go on in silence until the collection's timeouts run out (its
offset_ms may then lie past the end of the input); if the input is cut
short or unreadable, the collection ends with status "unknown". A
--collect-at past the end of an input is an error for that input.

--webhook URL POSTs each event (one JSON object, Content-Type
application/json) to URL instead of writing it to stdout; the events of
one session_uuid arrive in order. A connection error, a timeout or a 408,
429 or 5xx answer is retried for up to --webhook-timeout; any other answer
but 2xx drops the event. At exit, the command waits up to
--webhook-timeout for the events still queued, then writes one line to
stderr:

  dtmf decode: webhook: 9 events: 9 delivered, 0 dropped

Errors go to stderr, one line each: "dtmf decode: FILE: problem". The other
files are still decoded. Exit status: 0 if every input decoded cleanly (and
every event reached the webhook), 1 if any failed (or any event was
dropped), 2 for a usage error.

Flags:
`

// decodeOptions holds the parsed flags of dtmf decode.
type decodeOptions struct {
	session    string
	timestamps bool
	rate       int
	encoding   string
	cfg        detector.Config // SampleRate is set per input

	collect    *collector.Config // --collect; nil: no collection
	collectAt  time.Duration     // --collect-at
	commandUID string            // --command-uid

	webhook webhook.Config // --webhook, --webhook-timeout; URL "" if none
	capture captureOptions // --pt (decode_capture.go)
	// sink, if not nil, receives the events instead of the output writer
	// (the --webhook sink, made by runDecode).
	sink emit.Sink
}

// runDecode implements dtmf decode.
func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opt, inputs, code := parseDecodeFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	var hook *webhookSink
	if opt.webhook.URL != "" {
		var err error
		if hook, err = newWebhookSink(opt.webhook); err != nil {
			fmt.Fprintf(stderr, "dtmf decode: --webhook: %v\n", err)
			return 2
		}
		opt.sink = hook
	}
	out := bufio.NewWriter(stdout)
	status := 0
	for _, name := range inputs {
		err := decodeInput(name, stdin, opt, out)
		if ferr := out.Flush(); ferr != nil {
			fmt.Fprintf(stderr, "dtmf decode: writing output: %v\n", ferr)
			status = 1
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "dtmf decode: %s: %s\n", displayName(name), describe(err))
			status = 1
		}
	}
	if hook != nil {
		summary, lost := hook.close()
		fmt.Fprintf(stderr, "dtmf decode: webhook: %s\n", summary)
		if lost {
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
	fset.BoolVar(&opt.timestamps, "timestamps", false, "add \"offset_ms\", in ms from the start of the input: when the press started (dtmf), when the collection ended (digits.collected)")
	fset.IntVar(&opt.rate, "rate", 8000, "sample rate [Hz] of raw stdin, 8000 to 48000")
	fset.StringVar(&opt.encoding, "encoding", "s16le", "encoding of raw stdin: s16le, ulaw or alaw")
	fset.Float64Var(&opt.cfg.MinLevel, "min-level", def.MinLevel, "detector: weakest accepted tone [dBm0], -50 to 0")
	fset.Float64Var(&opt.cfg.MaxNormalTwist, "twist", def.MaxNormalTwist, "detector: how much weaker [dB] the high tone may be than the low, 0 to 20")
	fset.Float64Var(&opt.cfg.MaxReverseTwist, "reverse-twist", def.MaxReverseTwist, "detector: how much stronger [dB] the high tone may be than the low, 0 to 20")
	fset.Float64Var(&opt.cfg.FrequencyTolerance, "freq-tolerance", def.FrequencyTolerance, "detector: largest accepted frequency deviation [%], 1.5 to 5")
	fset.DurationVar(&opt.cfg.MinToneDuration, "min-tone", def.MinToneDuration, "detector: shortest tone accepted as a key press, 10ms to 1s")
	fset.DurationVar(&opt.cfg.MinPause, "min-pause", def.MinPause, "detector: shortest gap that separates two presses, 5ms to 500ms")
	collectSpec := fset.String("collect", "", "run a digit collection on each input (each channel) with these `settings` (see above), e.g. min=4,max=10,term=#,first=5s,inter=3s,tries=1,pattern=[0-9]+")
	fset.DurationVar(&opt.collectAt, "collect-at", 0, "start the collection this far into the input (with --collect)")
	fset.StringVar(&opt.commandUID, "command-uid", "collect-1", "`id` for command_uid of digits.collected (with --collect)")
	hookDef := webhook.DefaultConfig()
	fset.StringVar(&opt.webhook.URL, "webhook", "", "POST each event to this http or https `URL` instead of writing it to stdout")
	hookTimeout := fset.Duration("webhook-timeout", hookDef.GiveUpAfter, "how long an event may take to reach the webhook, retries included, and the longest wait at exit, 10ms to 1h")
	registerCaptureFlags(fset, &opt.capture)

	usageErr := func(format string, a ...any) (decodeOptions, []string, int) {
		fmt.Fprintf(stderr, "dtmf decode: "+format+" (run \"dtmf decode -h\" for usage)\n", a...)
		return opt, nil, 2
	}
	inputs, err := parseInterspersed(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, decodeUsage, fset)
		fmt.Fprint(stdout, captureUsage)
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
	if set["collect"] {
		c, err := collector.ParseConfig(*collectSpec)
		if err != nil {
			return usageErr("--collect %q: %s", *collectSpec, strings.TrimPrefix(err.Error(), "collector: "))
		}
		if c.WaitForPrompt {
			return usageErr("--collect %q: wait=true waits for a prompt to end, and dtmf decode plays none: start the collection where the prompt ends with --collect-at", *collectSpec)
		}
		opt.collect = &c
	} else if set["collect-at"] || set["command-uid"] {
		return usageErr("--collect-at and --command-uid need --collect")
	}
	if opt.collectAt < 0 {
		return usageErr("--collect-at %v: want a duration ≥ 0", opt.collectAt)
	}
	probe := emit.Event{Kind: emit.KindDigitsCollected, SessionUUID: "s", CommandUID: opt.commandUID, Status: emit.StatusSuccess}
	if err := probe.Validate(); err != nil {
		return usageErr("--command-uid %q: want a non-empty UTF-8 string", opt.commandUID)
	}
	if set["webhook"] {
		hc, err := webhookConfig(opt.webhook.URL, *hookTimeout)
		if err != nil {
			return usageErr("%v", err)
		}
		opt.webhook = hc
	} else if set["webhook-timeout"] {
		return usageErr("--webhook-timeout needs --webhook")
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
	// A name holding control characters (a newline, a carriage return) or
	// bytes that are not UTF-8 must not split the error line or forge
	// another one: quote it.
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return strconv.Quote(name)
		}
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
	// session_uuid must be UTF-8; file names need not be.
	session = strings.ToValidUTF8(session, "\uFFFD")
	if name == "-" {
		return decodeStdin(stdin, opt, session, out)
	}
	f, err := openInput(name)
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
	in, isCap, err := sniffCapture(f, st)
	if err != nil {
		return err
	}
	if isCap {
		return decodeCapture(in, opt, session, out)
	}
	cr := &countingReader{r: in}
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

// decodeSamples runs one [dtmf.Channel] (detector, and collector if
// --collect) per channel of src and writes its events. With one channel,
// or live, events are written as they are known (and flushed at once if
// live); otherwise a file's events are written at its end, merged in time
// order (see [writeEvents]). The channels are ended even if src fails, so
// that the presses in the audio before the failure are reported; the
// failure is returned (io.EOF is success).
func decodeSamples(src sampleReader, channels, rate int, opt decodeOptions, session string, live bool, out *bufio.Writer) error {
	cfg := opt.cfg
	cfg.SampleRate = rate
	dst := opt.sink
	if dst == nil {
		dst = emit.NewWriter(out)
	}
	// Offsets are always computed, to order a file's events; writeEvents
	// drops them unless --timestamps.
	extras := emit.ExtraOffset
	if channels > 1 {
		extras |= emit.ExtraChannel
	}
	lanes := make([]*lane, channels)
	for c := range lanes {
		l := &lane{startAt: -1}
		ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: session, Detector: cfg, Sink: l, Extras: extras, Channel: c})
		if err != nil {
			return err
		}
		l.ch = ch
		if opt.collect != nil {
			l.collect, l.commandUID, l.at = opt.collect, opt.commandUID, opt.collectAt
			l.startAt = samplesIn(opt.collectAt, rate)
		}
		lanes[c] = l
	}
	var (
		buf = make([]int16, max(4096, channels))
		one = make([]int16, len(buf)/channels)
	)
	stream := live || channels == 1
	var err error
	for err == nil {
		var n int
		n, err = src.Read(buf)
		frames := n / channels
		for c, l := range lanes {
			pcm := buf[:n]
			if channels > 1 {
				for i := range frames {
					one[i] = buf[i*channels+c]
				}
				pcm = one[:frames]
			}
			if ferr := l.feed(pcm); ferr != nil {
				return ferr
			}
		}
		if stream && pending(lanes) {
			if werr := writeEvents(lanes, dst, opt.timestamps); werr != nil {
				return werr
			}
			if live && opt.sink == nil {
				if ferr := out.Flush(); ferr != nil {
					return ferr
				}
			}
		}
	}
	clean := errors.Is(err, io.EOF)
	var endErr error
	for _, l := range lanes {
		endErr = cmp.Or(endErr, l.end(clean, rate))
	}
	if werr := writeEvents(lanes, dst, opt.timestamps); werr != nil {
		return werr
	}
	if !clean {
		return err
	}
	return endErr
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
	if isCapture(head[:n]) {
		return decodeCapture(in, opt, session, out)
	}
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
