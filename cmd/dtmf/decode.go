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

// decodeUsage is the head of dtmf decode -h: what the command does and its
// inputs, in a few lines; the flags follow, grouped (decodeFlagGroups),
// then decodeDetails.
const decodeUsage = `usage: dtmf decode [flags] INPUT... | -

Prints one "dtmf" event per key press as NDJSON on stdout:

  {"event":"dtmf","session_uuid":"sample","digit":"5","duration_ms":95}

INPUT is a WAV file, a packet capture (.pcap/.pcapng: the RTP audio and
RFC 4733 events in it), or a directory: the WAV files and captures in it
(and its subdirectories with -r), recognised by content or extension,
decoded as a batch. "-" reads stdin (raw samples, or a WAV stream), live.
`

// decodeDetails is the rest of dtmf decode -h, after the flags.
const decodeDetails = `
Inputs. A WAV file may be PCM (8, 16, 24 or 32-bit), 32-bit IEEE float,
µ-law or A-law, plain or WAVE_FORMAT_EXTENSIBLE, at 8000 to 48000 Hz. Each
channel of a multi-channel file is decoded on its own and its events carry
"channel":N (0-based). A recording whose header sizes were never filled in
(0 or 0xFFFFFFFF, as left by a killed recorder) is decoded to its end; a
file cut short is decoded as far as it goes and then reported as truncated.
A file's events come in the order the presses start (channel number
breaking ties); session_uuid is the file name without directory and
extension unless --session is given. A batch shows its progress on stderr
when stderr is a terminal.

"-" reads stdin: raw mono samples (--encoding, --rate), or a WAV stream if
stdin starts with a RIFF/WAVE header (its header then overrides --encoding
and --rate). Events are written the moment they are known (in the order
they become known), for live use:

  sox -d -t raw -r 8000 -e signed -b 16 -c 1 - | dtmf decode -

Detector. --profile picks a named set of thresholds (balanced, the
default; talkoff, stricter against speech and music; sensitive, for noisy
lines); each detector flag then overrides one threshold. What each one
trades is in "go doc github.com/dtmfkit/dtmf/detector.Config".

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

SPEC is key=value pairs separated by commas, any subset in any order (at
least one: min=1 alone gives every default), except that pattern comes
last (it takes the rest, commas included):

  min=N          fewest digits, 1 to 128 (default 1)
  max=N          most digits: the Nth ends the collection at once, before
                 any terminator (default 128)
  term=KEYS      terminator keys, none if empty (default #)
  first=DUR      how long to wait for the first key (default 5s)
  inter=DUR      how long to wait for the next key, from the release of
                 the last one (default 3s)
  overall=DUR    limit for the whole collection, 0 for none (default 0)
  tries=N        tries: one that times out or fails starts the next, 1 to
                 100 (default 1)
  typeahead=DUR  keys recognised up to DUR before the start count too
                 (default 0)
  wait=BOOL      hold the first-digit timer until the prompt ends (default
                 false). dtmf decode plays no prompt, so it refuses
                 wait=true: start the collection where the prompt ends
                 with --collect-at instead
  pattern=RE     Go regular expression the digits must match as a whole
                 (default: any digits)

DUR is a Go duration: 5s, 2500ms, 1m. "4 digits then #" is
min=4,max=5,term=# (max=4 would end the collection on the 4th digit, and
the # would be a plain key press after it). A key counts when it is
recognised, about 30 ms after it starts; a key held at the start does not
count. The status is "success" (max digits, a terminator after min digits,
or min digits when a timeout ran out, and the pattern matched), "timeout"
(too few digits in time) or "failure" (too few digits before a terminator,
or the pattern not matched, on the last try). A collection ended by a key
ends as that key is recognised, so its event comes before the "dtmf" event
of that key, which waits for the release; with --timestamps its offset_ms
is the moment it ended. If the input ends while the collection waits, the
input is taken to go on in silence until the collection's timeouts run out
(its offset_ms may then lie past the end of the input); if the input is cut
short or unreadable, the collection ends with status "unknown". A
--collect-at past the end of an input is an error for that input.

Webhook. --webhook URL POSTs each event (one JSON object, Content-Type
application/json) to URL instead of writing it to stdout; the events of
one session_uuid arrive in order. A connection error, a timeout or a 408,
429 or 5xx answer is retried for up to --webhook-timeout; any other answer
but 2xx drops the event. The first failure is reported at once, in one
line on stderr:

  dtmf decode: webhook: http://127.0.0.1:1/x is failing (...): retrying for up to --webhook-timeout; a summary follows at exit

At exit, the command waits up to --webhook-timeout for the events still
queued, then writes one line to stderr:

  dtmf decode: webhook: 9 events: 9 delivered, 0 dropped

Errors go to stderr, one line each: "dtmf decode: FILE: problem". The other
files are still decoded. Exit status: 0 if every input decoded cleanly (and
every event reached the webhook), 1 if any failed (or any event was
dropped), 2 for a usage error.
`

// decodeFlagGroups orders decode's flags in -h. Flags not listed (added
// by a later command or hook) are printed under "Other flags", so none is
// ever hidden.
var decodeFlagGroups = []struct {
	title string
	names []string
}{
	{"Input and output", []string{"r", "session", "timestamps", "encoding", "rate"}},
	{"Digit collection", []string{"collect", "collect-at", "command-uid"}},
	{"Webhook", []string{"webhook", "webhook-timeout"}},
	{"Detector", detectorFlagNames()},
}

// detectorFlagNames lists --profile and the detector's flags but --rate
// (an input flag), in table order.
func detectorFlagNames() []string {
	names := []string{"profile"}
	for _, e := range detectorFlagTable {
		if e.name != "rate" {
			names = append(names, e.name)
		}
	}
	return names
}

// printDecodeUsage writes dtmf decode -h: the usage head, the flags in
// groups, then the details.
func printDecodeUsage(w io.Writer, fset *flag.FlagSet) {
	fmt.Fprint(w, decodeUsage)
	listed := map[string]bool{}
	for _, g := range decodeFlagGroups {
		fmt.Fprintf(w, "\n%s:\n", g.title)
		for _, name := range g.names {
			if f := fset.Lookup(name); f != nil {
				printFlag(w, f)
				listed[name] = true
			}
		}
	}
	var other []*flag.Flag
	fset.VisitAll(func(f *flag.Flag) {
		if !listed[f.Name] {
			other = append(other, f)
		}
	})
	if len(other) > 0 {
		fmt.Fprint(w, "\nOther flags:\n")
		for _, f := range other {
			printFlag(w, f)
		}
	}
	fmt.Fprint(w, decodeDetails)
}

// printFlag writes one flag as [flag.FlagSet.PrintDefaults] does.
func printFlag(w io.Writer, f *flag.Flag) {
	name, usage := flag.UnquoteUsage(f)
	if t, ok := f.Value.(interface{ typeName() string }); ok && name == "value" {
		name = t.typeName()
	}
	dash := "--"
	if len(f.Name) == 1 {
		dash = "-"
	}
	line := "  " + dash + f.Name
	if name != "" {
		line += " " + name
	}
	usage = strings.ReplaceAll(usage, "\n", "\n    \t")
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
		if g, ok := f.Value.(flag.Getter); ok {
			if _, isString := g.Get().(string); isString {
				usage += fmt.Sprintf(" (default %q)", f.DefValue)
				fmt.Fprintf(w, "%s\n    \t%s\n", line, usage)
				return
			}
		}
		usage += fmt.Sprintf(" (default %v)", f.DefValue)
	}
	fmt.Fprintf(w, "%s\n    \t%s\n", line, usage)
}

// decodeOptions holds the parsed flags of dtmf decode.
type decodeOptions struct {
	recursive  bool // -r: directories' subdirectories too
	session    string
	timestamps bool
	rate       int
	encoding   wavfile.Encoding // of raw stdin: PCM16, ULaw or ALaw
	cfg        detector.Config  // SampleRate is set per input

	collect    *collector.Config // --collect; nil: no collection
	collectAt  time.Duration     // --collect-at
	commandUID string            // --command-uid

	webhook webhook.Config // --webhook, --webhook-timeout; URL "" if none
	capture captureOptions // --pt (decode_capture.go)
	// sink, if not nil, receives the events instead of the output writer
	// (the --webhook sink, made by runDecode).
	sink emit.Sink

	explain bool // --explain: an "explain" line per candidate (explain.go)
}

// runDecode implements dtmf decode.
func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opt, inputs, code := parseDecodeFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	var hook *webhookSink
	if opt.webhook.URL != "" {
		stderr = &lockedWriter{w: stderr} // the webhook's workers write to it too
		var err error
		if hook, err = newWebhookSink(opt.webhook, stderr); err != nil {
			fmt.Fprintf(stderr, "dtmf decode: --webhook: %v\n", err)
			return 2
		}
		opt.sink = hook
	}
	out := bufio.NewWriter(stdout)
	status := 0
	batch := expandInputs(inputs, opt.recursive)
	prog := newProgress(stderr, len(batch))
	for i, in := range batch {
		prog.show(i, len(batch), in.name)
		err := in.err
		if err == nil {
			err = decodeInput(in.name, stdin, opt, out)
		}
		if ferr := out.Flush(); ferr != nil {
			prog.clear()
			fmt.Fprintf(stderr, "dtmf decode: writing output: %v\n", ferr)
			status = 1
			break
		}
		if err != nil {
			prog.clear()
			fmt.Fprintf(stderr, "dtmf decode: %s: %s\n", displayName(in.name), describe(err))
			status = 1
		}
	}
	prog.clear()
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
	opt := decodeOptions{}
	fset := flag.NewFlagSet("dtmf decode", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.BoolVar(&opt.recursive, "r", false, "decode the WAV files and captures in the subdirectories of a directory INPUT too")
	fset.StringVar(&opt.session, "session", "", "`uuid` for session_uuid (default: the file name without directory and extension; \"stdin\" for -)")
	fset.BoolVar(&opt.explain, "explain", false, "also print, for every candidate digit the detector looks at (accepted or not), an \"explain\" line: its time, digit, stage, and each check's value, limits and verdict")
	fset.BoolVar(&opt.timestamps, "timestamps", false, "add \"offset_ms\", in ms from the start of the input: when the press started (dtmf), when the collection ended (digits.collected)")
	encoding := fset.String("encoding", "pcm16", "encoding of raw stdin: "+rawEncodings)
	dflags := addDetectorFlags(fset)
	collectSpec := fset.String("collect", "", "run a digit collection on each input (each channel) with these `settings` (see Digit collection below), e.g. min=4,max=10,term=#,first=5s,inter=3s,tries=1,pattern=[0-9]+")
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
		printDecodeUsage(stdout, fset)
		fmt.Fprint(stdout, captureUsage)
		return opt, nil, 0
	}
	if err != nil {
		return usageErr("%v", err)
	}
	if len(inputs) == 0 {
		return usageErr("no input: give WAV files, captures or directories, or - for stdin")
	}
	cfg, cfgErr := dflags.config()
	opt.cfg, opt.rate = cfg, cfg.SampleRate
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
	case stdinUses == 0 && (dflags.given("SampleRate") || set["encoding"]):
		return usageErr("--rate and --encoding apply only to raw stdin (-); a WAV file's header gives them")
	case opt.rate < 8000 || opt.rate > 48000:
		return usageErr("--rate %d: want 8000 to 48000 Hz", opt.rate)
	}
	enc, err := parseRawEncoding(*encoding)
	if err != nil {
		return usageErr("%v", err)
	}
	opt.encoding = enc
	if set["session"] && opt.session == "" {
		return usageErr("--session must not be empty")
	}
	if cfgErr != nil {
		return usageErr("%v", cfgErr)
	}
	if set["collect"] {
		if *collectSpec == "" {
			return usageErr("--collect \"\": no settings: give at least one key=value (--collect min=1 for the defaults)")
		}
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
	if st.IsDir() { // a directory inside a batch: expandInputs lists its files
		return errors.New("is a directory")
	}
	in, isCap, err := sniffCapture(f, st)
	if err != nil {
		return err
	}
	if isCap || (st.Mode().IsRegular() && st.Size() == 0 && extKind(name) == kindCapture) {
		if decodeCaptureFile == nil {
			return errors.New("a packet capture: this build of dtmf decodes WAV files only")
		}
		return decodeCaptureFile(in, opt, session, out)
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

// decodeCaptureFile, if not nil, decodes a packet capture (pcap or pcapng,
// plain or gzipped, recognised by [sniffKind]) read from r, positioned at
// its start, and writes its events to out: the hook through which capture
// decoding (decode_capture.go) plugs into decode's inputs, directories and
// batches. r is the *os.File itself when the input is a regular file (so
// that it can be read twice).
var decodeCaptureFile func(r io.Reader, opt decodeOptions, session string, out *bufio.Writer) error

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
		cc := dtmf.ChannelConfig{Session: session, Detector: cfg, Sink: l, Extras: extras, Channel: c}
		if opt.explain {
			n := -1
			if channels > 1 {
				n = c
			}
			cc.Explain = newExplainer(out, session, n, rate).explain
		}
		ch, err := dtmf.NewChannel(cc)
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

// rawEncodings names the encodings of headerless audio, as decode and gen
// take them, with the other spellings accepted.
const rawEncodings = "pcm16 (16-bit signed little-endian; also s16le), ulaw (also mulaw, pcmu) or alaw (also pcma)"

// parseRawEncoding returns the encoding of headerless audio named name (see
// [rawEncodings]; any case), or an error naming the flag.
func parseRawEncoding(name string) (wavfile.Encoding, error) {
	enc, err := wavfile.ParseEncoding(name)
	if err != nil || (enc != wavfile.PCM16 && enc != wavfile.ULaw && enc != wavfile.ALaw) {
		return 0, fmt.Errorf("--encoding %q: headerless audio is %s", name, rawEncodings)
	}
	return enc, nil
}

// rawReader decodes headerless mono samples: PCM16 (s16le), ulaw or alaw.
// Each Read reads the underlying reader once, so that live input is
// decoded as it arrives.
type rawReader struct {
	r        io.Reader
	encoding wavfile.Encoding
	buf      [8192]byte
	carry    int // bytes of an incomplete PCM16 sample at the start of buf
	err      error
}

func (r *rawReader) Read(dst []int16) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	width := 1
	if r.encoding == wavfile.PCM16 {
		width = 2
	}
	for {
		want := min(len(r.buf), len(dst)*width)
		m, err := r.r.Read(r.buf[r.carry:want])
		have := r.carry + m
		n := have / width
		switch r.encoding {
		case wavfile.PCM16:
			for i := range n {
				dst[i] = int16(uint16(r.buf[2*i]) | uint16(r.buf[2*i+1])<<8)
			}
		case wavfile.ULaw:
			for i := range n {
				dst[i] = g711.ULawToLinear(r.buf[i])
			}
		case wavfile.ALaw:
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
