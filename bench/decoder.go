package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/keypad"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// Press is one key press as a decoder reported it. Times are in
// milliseconds from the start of the signal; a value the decoder does not
// report is NaN.
type Press struct {
	Digit byte
	// DurationMS is the press length the decoder measured.
	DurationMS float64
	// OffsetMS is any time inside the press (its start, or when it was
	// detected): it only tells which signal of a batch the press belongs to.
	OffsetMS float64
	// DetectedMS is when the decoder knew of the key-down: detection
	// latency is DetectedMS minus the true onset.
	DetectedMS float64
}

// Decoder finds key presses in signals. Decode returns, for each signal of
// signals (16-bit linear PCM at rate [Hz]), the presses found in it, in
// order; each signal is decoded from a fresh state. Implementations must be
// safe for concurrent calls: the suite decodes several batches at once.
type Decoder interface {
	// Name is the decoder's column heading in reports.
	Name() string
	Decode(ctx context.Context, signals [][]int16, rate int) ([][]Press, error)
}

// Native decodes with this module's [detector.Detector], fed FrameMS frames,
// as a media server would.
type Native struct {
	// Label is the decoder's name; "dtmf" if empty.
	Label string
	// Config is the detector configuration; its SampleRate is replaced by
	// the signals' rate.
	Config detector.Config
	// FrameMS is the length of each Process call [ms]; 20 if zero.
	FrameMS int
}

// NewNative returns a Native decoder with [detector.DefaultConfig].
func NewNative() *Native { return &Native{Config: detector.DefaultConfig()} }

// Name returns Label, or "dtmf".
func (n *Native) Name() string {
	if n.Label == "" {
		return "dtmf"
	}
	return n.Label
}

// Decode runs one detector over each signal in turn (reset between them)
// and reports every KeyUp as a press: its DurationMS, its refined start as
// OffsetMS and its KeyDown's At as DetectedMS. It fails only for an invalid
// Config.
func (n *Native) Decode(ctx context.Context, signals [][]int16, rate int) ([][]Press, error) {
	cfg := n.Config
	cfg.SampleRate = rate
	d, err := detector.New(cfg)
	if err != nil {
		return nil, err
	}
	frame := max(1, rate*max(n.FrameMS, 0)/1000)
	if n.FrameMS == 0 {
		frame = rate / 50
	}
	ms := func(pos int64) float64 { return float64(pos) * 1000 / float64(rate) }
	out := make([][]Press, len(signals))
	ev := make([]detector.Event, 0, 16)
	for i, pcm := range signals {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		detected := math.NaN()
		var presses []Press
		take := func(ev []detector.Event) {
			for _, e := range ev {
				switch e.Type {
				case detector.KeyDown:
					detected = ms(e.At)
				case detector.KeyUp:
					presses = append(presses, Press{
						Digit: e.Digit, DurationMS: float64(e.DurationMS),
						OffsetMS: ms(e.Start), DetectedMS: detected,
					})
					detected = math.NaN()
				}
			}
		}
		for len(pcm) > 0 {
			k := min(frame, len(pcm))
			ev = d.Process(ev[:0], pcm[:k])
			take(ev)
			pcm = pcm[k:]
		}
		take(d.Flush(ev[:0]))
		out[i] = presses
	}
	return out, nil
}

// Command runs an external decoder: a shell command that takes a WAV file
// path and prints one JSON object per key press on stdout, with at least
// "digit" and, when it measures them, "duration_ms" and "offset_ms" (any time
// inside the press, in ms from the start of the file) and "detected_ms" (when
// the key-down was known). Objects whose "event" is present and not "dtmf"
// are ignored, as are blank lines.
//
// A batch of signals is decoded as one file, silence between them, and the
// presses are assigned to signals by offset_ms (or detected_ms). A decoder
// that prints neither is then run once per signal instead (up to Parallel
// at a time).
type Command struct {
	// Label is the decoder's name in reports.
	Label string
	// Cmd is run with /bin/sh -c. The WAV path replaces every "{}" in Cmd,
	// or is appended as the last argument if there is none.
	Cmd string
	// Parallel bounds the processes run at once per Decode call;
	// runtime.GOMAXPROCS if zero.
	Parallel int
	// TempDir holds the WAV files while they are decoded; the system's
	// temporary directory if empty.
	TempDir string

	perSignal atomic.Bool
}

// ParseCommand builds a Command from "NAME=CMD" or plain "CMD" (then the
// name is the base name of its first word). Text before the first '=' is a
// name if it is only letters, digits, '.', '_' and '-'; so a command that
// starts with an environment assignment needs a name first:
// "mine=FOO=1 ./decoder". It fails with an error wrapping [ErrOptions] for
// an empty command.
func ParseCommand(s string) (*Command, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%w: empty decoder command", ErrOptions)
	}
	if i := strings.IndexByte(s, '='); i > 0 && isName(s[:i]) {
		name, cmd := s[:i], strings.TrimSpace(s[i+1:])
		if cmd == "" {
			return nil, fmt.Errorf("%w: decoder %q has no command", ErrOptions, name)
		}
		return &Command{Label: name, Cmd: cmd}, nil
	}
	return &Command{Label: filepath.Base(strings.Fields(s)[0]), Cmd: s}, nil
}

func isName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Name returns Label.
func (c *Command) Name() string { return c.Label }

// separation is the silence between the signals of a batch file [ms].
const separation = 500

// Decode writes the signals to WAV files, runs the command and parses its
// output (see [Command]). It fails with an error wrapping [ErrDecoder] if
// the command exits non-zero or prints malformed output.
func (c *Command) Decode(ctx context.Context, signals [][]int16, rate int) ([][]Press, error) {
	if len(signals) == 0 {
		return nil, nil
	}
	if len(signals) == 1 || c.perSignal.Load() {
		return c.each(ctx, signals, rate)
	}
	sep := rate * separation / 1000
	var all []int16
	starts := make([]float64, len(signals)+1)
	for i, s := range signals {
		starts[i] = float64(len(all)) * 1000 / float64(rate)
		all = append(all, s...)
		all = append(all, make([]int16, sep)...)
	}
	starts[len(signals)] = math.Inf(1)
	presses, err := c.run(ctx, all, rate)
	if err != nil {
		return nil, err
	}
	out := make([][]Press, len(signals))
	for _, p := range presses {
		at := p.OffsetMS
		if math.IsNaN(at) {
			at = p.DetectedMS // also a time inside the press
		}
		if math.IsNaN(at) {
			c.perSignal.Store(true)
			return c.each(ctx, signals, rate)
		}
		// The last signal whose start is at or before the press.
		i := max(0, sort.SearchFloat64s(starts, math.Nextafter(at, math.Inf(1)))-1)
		p.OffsetMS -= starts[i]
		p.DetectedMS -= starts[i]
		out[i] = append(out[i], p)
	}
	return out, nil
}

// each decodes every signal with its own run of the command.
func (c *Command) each(ctx context.Context, signals [][]int16, rate int) ([][]Press, error) {
	out := make([][]Press, len(signals))
	par := c.Parallel
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i, s := range signals {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p, err := c.run(ctx, s, rate)
			if err != nil {
				once.Do(func() { first = err })
				return
			}
			out[i] = p
		}()
	}
	wg.Wait()
	return out, first
}

// run decodes one WAV file made of pcm.
func (c *Command) run(ctx context.Context, pcm []int16, rate int) ([]Press, error) {
	f, err := os.CreateTemp(c.TempDir, "dtmf-bench-*.wav")
	if err != nil {
		return nil, err
	}
	path := f.Name()
	defer os.Remove(path)
	w := bufio.NewWriterSize(f, 1<<16)
	err = wavfile.Write(w, wavfile.PCM16, rate, 1, pcm)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	script := c.Cmd
	if strings.Contains(script, "{}") {
		script = strings.ReplaceAll(script, "{}", `"$1"`)
	} else {
		script += ` "$1"`
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script, "dtmf-bench", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &limitedBuffer{max: 4096, buf: &stderr}
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w: %s", ErrDecoder, c.Cmd, err, strings.TrimSpace(stderr.String()))
	}
	return parsePresses(stdout.Bytes())
}

type limitedBuffer struct {
	max int
	buf *bytes.Buffer
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// parsePresses parses a decoder's NDJSON output (see [Command]). It fails
// with an error wrapping [ErrDecoder] naming the first bad line.
func parsePresses(out []byte) ([]Press, error) {
	var presses []Press
	for n, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var o struct {
			Event      *string  `json:"event"`
			Digit      *string  `json:"digit"`
			DurationMS *float64 `json:"duration_ms"`
			OffsetMS   *float64 `json:"offset_ms"`
			DetectedMS *float64 `json:"detected_ms"`
		}
		if err := json.Unmarshal(line, &o); err != nil {
			return nil, fmt.Errorf("%w: output line %d is not a JSON object: %.80q", ErrDecoder, n+1, line)
		}
		if o.Event != nil && *o.Event != "dtmf" {
			continue
		}
		if o.Digit == nil || len(*o.Digit) != 1 || !keypad.IsKey((*o.Digit)[0]) {
			return nil, fmt.Errorf("%w: output line %d has no valid \"digit\" (one of 0-9, A-D, *, #): %.80q", ErrDecoder, n+1, line)
		}
		p := Press{Digit: (*o.Digit)[0], DurationMS: math.NaN(), OffsetMS: math.NaN(), DetectedMS: math.NaN()}
		if o.DurationMS != nil {
			p.DurationMS = *o.DurationMS
		}
		if o.OffsetMS != nil {
			p.OffsetMS = *o.OffsetMS
		}
		if o.DetectedMS != nil {
			p.DetectedMS = *o.DetectedMS
		}
		presses = append(presses, p)
	}
	return presses, nil
}
