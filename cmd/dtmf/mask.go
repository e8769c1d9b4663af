package main

import (
	"bufio"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/dtmfkit/dtmf/suppress"
)

const maskUsage = `usage: dtmf mask [flags] IN.wav OUT.wav
       dtmf mask [flags] IN.wav|DIR... OUTDIR

Writes each recording with every DTMF key press removed (PCI DSS masking of
card numbers keyed during a call) and prints the presses it removed, one
"dtmf" event per press as NDJSON on stdout, in the order they start:

  {"event":"dtmf","session_uuid":"call","digit":"4","duration_ms":108,"offset_ms":1995}

offset_ms is where the removed span starts and duration_ms its length (the
tone plus --guard on each side), both rounded outwards to whole ms. OUT has
IN's format, rate, channels, length and every other chunk: it is a
byte-for-byte copy of IN except for the samples inside the removed spans,
which are silence (or, with --fill noise, low-level comfort noise) with
short fades at their edges. Each channel of a multi-channel file is masked
on its own; its events carry "channel":N (0-based). A recording without
key presses comes out identical to IN.

IN may be PCM (8, 16, 24 or 32-bit), 32-bit float, µ-law or A-law, at 8000
to 48000 Hz. With several inputs, or a directory (its *.wav files), the
last argument must be an existing directory: each OUT is OUTDIR/NAME.wav.

OUT is written to a temporary file beside it and renamed into place once
complete, so it never exists half-written. Errors go to stderr, one line
each: "dtmf mask: IN: problem"; the other inputs are still masked. A file
cut short is masked as far as it goes (OUT is written) and reported as
truncated. Exit status: 0 if every input was masked cleanly, 1 if any
failed, 2 for a usage error.

Flags:
`

// maskOptions holds the parsed flags of dtmf mask.
type maskOptions struct {
	session string
	cfg     suppress.Config // Detector.SampleRate is set per input
}

// maskJob is one input and where its masked copy goes.
type maskJob struct {
	in, out string
	err     error // set if the job cannot run (reported in order)
}

// runMask implements dtmf mask.
func runMask(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	opt, jobs, code := parseMaskFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	out := bufio.NewWriter(stdout)
	status := 0
	for _, j := range jobs {
		err := j.err
		if err == nil {
			err = maskFile(j.in, j.out, opt, out)
		}
		if ferr := out.Flush(); ferr != nil {
			fmt.Fprintf(stderr, "dtmf mask: writing output: %v\n", ferr)
			return 1
		}
		if err != nil {
			fmt.Fprintf(stderr, "dtmf mask: %s: %s\n", displayName(j.in), describe(err))
			status = 1
		}
	}
	return status
}

// parseMaskFlags parses the command line into options and jobs; it returns
// -1, or an exit code if the command should stop.
func parseMaskFlags(args []string, stdout, stderr io.Writer) (maskOptions, []maskJob, int) {
	def := suppress.DefaultConfig()
	opt := maskOptions{cfg: def}
	fset := flag.NewFlagSet("dtmf mask", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fill := fset.String("fill", def.Fill.String(), "what replaces a key press: silence or noise")
	fset.Float64Var(&opt.cfg.NoiseLevel, "noise-level", def.NoiseLevel, "comfort noise level [dBm0] with --fill noise, -80 to -40")
	fset.DurationVar(&opt.cfg.Guard, "guard", def.Guard, "how far beyond each tone the removed span reaches, 0 to 10ms")
	fset.DurationVar(&opt.cfg.Fade, "fade", def.Fade, "crossfade at each end of a removed span, 0 to --guard")
	fset.StringVar(&opt.session, "session", "", "`uuid` for session_uuid (default: the input's file name without directory and extension)")
	dflags := addDetectorFlags(fset, "rate") // a WAV header gives the rate

	usageErr := func(format string, a ...any) (maskOptions, []maskJob, int) {
		fmt.Fprintf(stderr, "dtmf mask: "+format+" (run \"dtmf mask -h\" for usage)\n", a...)
		return opt, nil, 2
	}
	paths, err := parseInterspersed(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, maskUsage, fset)
		return opt, nil, 0
	}
	if err != nil {
		return usageErr("%v", err)
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if opt.cfg.Detector, err = dflags.config(); err != nil {
		return usageErr("%v", err)
	}
	if opt.cfg.Fill, err = suppress.ParseFill(*fill); err != nil {
		return usageErr("--fill %q: want silence or noise", *fill)
	}
	if set["session"] && opt.session == "" {
		return usageErr("--session must not be empty")
	}
	if set["noise-level"] && opt.cfg.Fill != suppress.Noise {
		return usageErr("--noise-level needs --fill noise")
	}
	if set["guard"] && !set["fade"] {
		opt.cfg.Fade = min(opt.cfg.Fade, opt.cfg.Guard)
	}
	if err := opt.cfg.Validate(); err != nil {
		return usageErr("invalid setting: %s", strings.TrimPrefix(err.Error(), "suppress: invalid config: "))
	}
	if len(paths) < 2 {
		return usageErr("want IN.wav OUT.wav, or inputs and an output directory")
	}
	for _, p := range paths {
		if p == "-" {
			return usageErr("- (stdin) is not supported: mask needs files")
		}
	}
	ins, dest := paths[:len(paths)-1], paths[len(paths)-1]
	destDir := isDir(dest)
	if len(ins) == 1 && !destDir && !isDir(ins[0]) {
		return opt, []maskJob{{in: ins[0], out: dest}}, -1
	}
	if !destDir {
		return usageErr("%s is not a directory: with several inputs or a directory, the last argument must be an existing directory", displayName(dest))
	}
	var jobs []maskJob
	seen := map[string]string{}
	add := func(in string) {
		out := filepath.Join(dest, filepath.Base(in))
		j := maskJob{in: in, out: out}
		if prev, ok := seen[out]; ok {
			j.err = fmt.Errorf("its output %s is also the output of %s", displayName(out), displayName(prev))
		}
		seen[out] = in
		jobs = append(jobs, j)
	}
	for _, in := range ins {
		if !isDir(in) {
			add(in)
			continue
		}
		entries, err := os.ReadDir(in)
		if err != nil {
			jobs = append(jobs, maskJob{in: in, err: err})
			continue
		}
		n := 0
		for _, e := range entries { // sorted by name
			if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".wav") {
				add(filepath.Join(in, e.Name()))
				n++
			}
		}
		if n == 0 {
			jobs = append(jobs, maskJob{in: in, err: errors.New("directory holds no .wav file")})
		}
	}
	return opt, jobs, -1
}

func isDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}

// maskFile masks one input into out and writes the removed presses to w.
// OUT is first a copy of IN made while IN is read (a tee), into a temporary
// file beside out; the suppressors' replaced samples are then written over
// that copy in place, frame by frame as they leave the delay line, and the
// file is renamed to out once complete. If the audio ends in a truncation,
// OUT is still written (the audio there was all masked) and the truncation
// returned; any other read error leaves no OUT.
func maskFile(in, out string, opt maskOptions, w *bufio.Writer) (err error) {
	f, err := openInput(in)
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
	if ost, err := os.Stat(out); err == nil && os.SameFile(st, ost) {
		return fmt.Errorf("the output %s is the input: write the masked copy elsewhere", displayName(out))
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("creating the output: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	cr := &countingReader{r: f}
	r, err := wavfile.NewReader(io.TeeReader(cr, tmp))
	if err != nil {
		if cr.n == 0 && errors.Is(err, wavfile.ErrNotWAV) {
			return errEmptyFile
		}
		return err
	}
	fm := r.Format()
	if fm.SampleRate < 8000 || fm.SampleRate > 48000 {
		return fmt.Errorf("sample rate %d Hz not supported: want 8000 to 48000 Hz", fm.SampleRate)
	}
	m, err := newMasker(fm, opt.cfg, tmp, cr.n-r.DataRead())
	if err != nil {
		return err
	}
	readErr := m.run(r)
	if readErr != nil && !errors.Is(readErr, wavfile.ErrTruncated) && !errors.Is(readErr, wavfile.ErrMalformed) {
		return readErr // the audio after the failure was not masked
	}
	if m.err != nil {
		return fmt.Errorf("writing the output: %w", m.err)
	}
	// The chunks after the audio, if any, as they are.
	if _, err := io.Copy(tmp, cr); err != nil {
		return fmt.Errorf("copying the chunks after the audio: %w", err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	done = true
	session := opt.session
	if session == "" {
		session = sessionName(in)
	}
	if err := m.writeEvents(w, strings.ToValidUTF8(session, "\uFFFD")); err != nil {
		return err
	}
	return readErr
}

// masker runs one suppressor per channel and patches the replaced samples
// into the output copy.
type masker struct {
	fm      wavfile.Format
	f       *os.File
	dataOff int64 // offset of the data chunk's first byte in f
	sups    []*suppress.Suppressor
	delay   int64
	pos     int64 // frames fed so far
	outs    [][]int16
	spans   [][]suppress.Span // all spans per channel
	fresh   []int             // per channel: spans[c][fresh[c]:] are new since the last patch
	region  []byte
	sample  []byte
	err     error // first write error
	ev      []detector.Event
}

func newMasker(fm wavfile.Format, cfg suppress.Config, f *os.File, dataOff int64) (*masker, error) {
	cfg.Detector.SampleRate = fm.SampleRate
	m := &masker{fm: fm, f: f, dataOff: dataOff}
	for range fm.Channels {
		s, err := suppress.New(cfg)
		if err != nil {
			return nil, err
		}
		m.sups = append(m.sups, s)
	}
	m.delay = int64(m.sups[0].Delay())
	m.outs = make([][]int16, fm.Channels)
	m.spans = make([][]suppress.Span, fm.Channels)
	m.fresh = make([]int, fm.Channels)
	return m, nil
}

// run feeds the audio of r through the suppressors until it ends, then
// flushes them; it returns the read error that ended the audio (nil for a
// clean end).
func (m *masker) run(r *wavfile.Reader) error {
	ch := m.fm.Channels
	buf := make([]int16, max(4096, ch))
	frames := len(buf) / ch
	for c := range m.outs {
		m.outs[c] = make([]int16, max(frames, int(m.delay)))
	}
	var err error
	for err == nil {
		var n int
		n, err = r.Read(buf[:frames*ch])
		k := n / ch
		if k == 0 {
			continue
		}
		for c, s := range m.sups {
			o := m.outs[c][:k]
			for i := range o {
				o[i] = buf[i*ch+c]
			}
			m.ev = s.Process(m.ev[:0], o)
			m.spans[c] = s.AppendSpans(m.spans[c])
		}
		m.pos += int64(k)
		m.patch(m.pos-m.delay-int64(k), k, true)
	}
	for c, s := range m.sups {
		s.Flush(nil, m.outs[c][:m.delay])
		m.spans[c] = s.AppendSpans(m.spans[c])
	}
	m.patch(m.pos-m.delay, int(m.delay), false)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// patch writes over the output copy the replaced samples among the n that
// just left each suppressor, which went in at frames [from, from+n): those
// in the spans finished since the last patch, and (if open) in the span
// being replaced now.
func (m *masker) patch(from int64, n int, open bool) {
	lo, hi := max(from, 0), min(from+int64(n), m.pos)
	if lo >= hi || m.err != nil {
		return
	}
	type rng struct{ c, a, b int64 }
	var rs [8]rng
	ranges := rs[:0]
	add := func(c int, sp suppress.Span) {
		if a, b := max(sp.Start, lo), min(sp.End, hi); a < b {
			ranges = append(ranges, rng{int64(c), a, b})
		}
	}
	for c, s := range m.sups {
		for _, sp := range m.spans[c][m.fresh[c]:] {
			add(c, sp)
		}
		m.fresh[c] = len(m.spans[c])
		if open {
			if sp, ok := s.Replacing(); ok {
				add(c, sp)
			}
		}
	}
	if len(ranges) == 0 {
		return
	}
	fa, fb := ranges[0].a, ranges[0].b
	for _, q := range ranges {
		fa, fb = min(fa, q.a), max(fb, q.b)
	}
	fs := int64(m.fm.FrameSize())
	bps := int64(m.fm.Encoding.BytesPerSample())
	size := int(fb-fa) * int(fs)
	if cap(m.region) < size {
		m.region = make([]byte, size)
	}
	region := m.region[:size]
	off := m.dataOff + fa*fs
	if _, err := m.f.ReadAt(region, off); err != nil {
		m.err = err
		return
	}
	for _, q := range ranges {
		o := m.outs[q.c]
		for p := q.a; p < q.b; p++ {
			m.sample = wavfile.AppendSamples(m.sample[:0], m.fm.Encoding, o[p-from:p-from+1])
			copy(region[(p-fa)*fs+q.c*bps:], m.sample)
		}
	}
	if _, err := m.f.WriteAt(region, off); err != nil {
		m.err = err
	}
}

// writeEvents writes one dtmf event per removed press (the spans of a
// press merged), ordered by start, then channel.
func (m *masker) writeEvents(w io.Writer, session string) error {
	rate := int64(m.fm.SampleRate)
	extras := emit.ExtraOffset
	if m.fm.Channels > 1 {
		extras |= emit.ExtraChannel
	}
	var evs []emit.Event
	for c, spans := range m.spans {
		for i := 0; i < len(spans); {
			k, start, end := i, spans[i].Start, spans[i].End
			for k+1 < len(spans) && spans[k+1].KeyStart == spans[i].KeyStart {
				k++
				end = spans[k].End
			}
			from := start * 1000 / rate        // rounded down
			to := (end*1000 + rate - 1) / rate // rounded up
			evs = append(evs, emit.Event{
				Kind: emit.KindDTMF, SessionUUID: session, Digit: spans[i].Digit,
				DurationMS: int(to - from), OffsetMS: from, Extras: extras, Channel: c,
			})
			i = k + 1
		}
	}
	slices.SortStableFunc(evs, func(a, b emit.Event) int {
		return cmp.Or(cmp.Compare(a.OffsetMS, b.OffsetMS), cmp.Compare(a.Channel, b.Channel))
	})
	ew := emit.NewWriter(w)
	for _, e := range evs {
		if err := ew.Emit(e); err != nil {
			return err
		}
	}
	return nil
}
