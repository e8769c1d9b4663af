package talkoff

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strings"

	"github.com/dtmfkit/dtmf/detector"
)

// Press is one key press a decoder reported. Values a decoder does not
// report are NaN.
type Press struct {
	Digit byte
	// OffsetMS is where the press starts (or, for spandsp, where it was
	// confirmed) [ms from the start of the file].
	OffsetMS float64
	// DurationMS is the press length the decoder measured [ms].
	DurationMS float64
	// LowLevel and HighLevel [dBm0] and LowFreq and HighFreq [Hz] are the
	// tones as this module's detector measured them at key-down; Level
	// [dBm0] is a peer's single level figure (spandsp's).
	LowLevel, HighLevel, LowFreq, HighFreq, Level float64
}

func unknownPress(d byte) Press {
	n := math.NaN()
	return Press{Digit: d, OffsetMS: n, DurationMS: n, LowLevel: n, HighLevel: n, LowFreq: n, HighFreq: n, Level: n}
}

// Audio is one corpus file handed to a decoder: its path on disk and its
// samples (8000 Hz mono).
type Audio struct {
	Path string
	PCM  []int16
}

// Decoder finds key presses in a file. Implementations must be safe for
// concurrent calls: the runner decodes several files at once.
type Decoder interface {
	// Name is the decoder's column heading in reports.
	Name() string
	// Decode returns the presses in a, in order, from a fresh state.
	Decode(ctx context.Context, a Audio) ([]Press, error)
}

// FrameSamples is the frame the in-process detector is fed: 20 ms at
// 8000 Hz, as a media server receives RTP.
const FrameSamples = 160

// Native decodes with this module's detector, in process.
type Native struct {
	// Label is the column heading; "dtmf" if empty.
	Label  string
	Config detector.Config
}

// Name returns the column heading.
func (n *Native) Name() string {
	if n.Label == "" {
		return "dtmf"
	}
	return n.Label
}

// Decode feeds a.PCM in [FrameSamples] frames to a new detector and returns
// one press per KeyUp, with the levels and frequencies of its KeyDown. It
// fails if the config is invalid.
func (n *Native) Decode(_ context.Context, a Audio) ([]Press, error) {
	cfg := n.Config
	cfg.SampleRate = 8000
	d, err := detector.New(cfg)
	if err != nil {
		return nil, err
	}
	return nativePresses(d, a.PCM), nil
}

func nativePresses(d *detector.Detector, pcm []int16) []Press {
	var out []Press
	evs := make([]detector.Event, 0, 8)
	var down detector.Event
	handle := func(evs []detector.Event) {
		for _, e := range evs {
			switch e.Type {
			case detector.KeyDown:
				down = e
			case detector.KeyUp:
				p := unknownPress(e.Digit)
				p.OffsetMS = float64(e.Start) * 1000 / 8000
				p.DurationMS = float64(e.DurationMS)
				if down.Digit == e.Digit && down.Start == e.Start {
					p.LowLevel, p.HighLevel = float64(down.LowLevel), float64(down.HighLevel)
					p.LowFreq, p.HighFreq = float64(down.LowFreq), float64(down.HighFreq)
				}
				out = append(out, p)
			}
		}
	}
	for i := 0; i < len(pcm); i += FrameSamples {
		evs = d.Process(evs[:0], pcm[i:min(i+FrameSamples, len(pcm))])
		handle(evs)
	}
	handle(d.Flush(evs[:0]))
	return out
}

// Command decodes with an external program that takes the file's path as
// its last argument and prints one JSON object per key press (the event
// contract's "dtmf" event: "digit", and "offset_ms", "duration_ms" where
// the decoder has them, null or absent otherwise), as bench/peers' drivers
// do.
type Command struct {
	Label string
	// Argv is the program and its leading arguments.
	Argv []string
}

// Name returns the column heading.
func (c *Command) Name() string { return c.Label }

// Decode runs the program on a.Path. It fails with an error wrapping
// [ErrDecoder] if the program fails or prints a line that is not a valid
// press.
func (c *Command) Decode(ctx context.Context, a Audio) ([]Press, error) {
	args := append(append([]string(nil), c.Argv[1:]...), a.Path)
	cmd := exec.CommandContext(ctx, c.Argv[0], args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w: %s", ErrDecoder, c.Label, a.Path, err, strings.TrimSpace(stderr.String()))
	}
	ps, err := ParsePresses(&stdout)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.Label, a.Path, err)
	}
	return ps, nil
}

// ParsePresses reads NDJSON press lines from r. Blank lines are skipped; objects
// whose "event" is present and not "dtmf" are ignored. It fails with an
// error wrapping [ErrDecoder] naming the line on invalid JSON, a digit
// outside the 16 keys, or a negative or non-numeric time.
func ParsePresses(r io.Reader) ([]Press, error) {
	var out []Press
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v struct {
			Event      *string  `json:"event"`
			Digit      string   `json:"digit"`
			OffsetMS   *float64 `json:"offset_ms"`
			DurationMS *float64 `json:"duration_ms"`
			Level      *float64 `json:"level_dbm0"`
		}
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("%w: line %d %q: %w", ErrDecoder, ln, line, err)
		}
		if v.Event != nil && *v.Event != "dtmf" {
			continue
		}
		if len(v.Digit) != 1 || !strings.Contains(detector.Keys, v.Digit) {
			return nil, fmt.Errorf("%w: line %d: digit %q: want one of %s", ErrDecoder, ln, v.Digit, detector.Keys)
		}
		p := unknownPress(v.Digit[0])
		for _, f := range []struct {
			name string
			src  *float64
			dst  *float64
		}{{"offset_ms", v.OffsetMS, &p.OffsetMS}, {"duration_ms", v.DurationMS, &p.DurationMS}, {"level_dbm0", v.Level, &p.Level}} {
			if f.src == nil {
				continue
			}
			if f.name != "level_dbm0" && *f.src < 0 {
				return nil, fmt.Errorf("%w: line %d: %s %v is negative", ErrDecoder, ln, f.name, *f.src)
			}
			*f.dst = *f.src
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecoder, err)
	}
	return out, nil
}
