// Command corpus builds the talk-off corpus: real music and speech from
// Debian packages, at 8000 Hz mono 16-bit, normalised to -15 and -25 dBm0
// (active average) and each also through AMR-NB 12.2 kbit/s and Opus
// 12 kbit/s, with a manifest (manifest.json) that lists every file. The
// corpus holds no DTMF: every key press a decoder reports in it is false.
//
// Run it through build.sh, which installs the Debian packages it needs:
//
//	bench/corpus/build.sh [-out DIR] [-j N] [-only SUBSTRING]
//
// The audio goes to DIR (default $DTMF_CORPUS or ~/.cache/dtmf-corpus),
// never into the repository. An item already built (its meta/ID.json and
// all six files exist) is skipped, so an interrupted build resumes.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dtmfkit/dtmf/internal/talkoff"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

const rate = 8000

// errSilent marks an item that renders to (almost) silence, such as a
// tracker module whose instruments libopenmpt cannot play: it is left out.
var errSilent = errors.New("silent or almost silent")

// levels are the two nominal levels [dBm0, active average] of issue 8.
var levels = []float64{-15, -25}

type config struct {
	out        string
	work       string
	jobs       int
	capSeconds float64 // per recorded-music source
	midiSecs   float64 // per generated instrument
	ttsSecs    float64 // per TTS segment
	ttsSegs    int     // segments per TTS voice
	promptSecs float64 // per prompt item
	only       string
}

// item is one sound of the corpus; render returns it at 8000 Hz mono.
type item struct {
	id     string
	src    *source
	origin string
	// sections of a generated piece, copied into its manifest entries.
	sections []talkoff.Section
	render   func(ctx context.Context, work string) ([]int16, error)
}

func main() {
	var c config
	def := os.Getenv("DTMF_CORPUS")
	if def == "" {
		home, _ := os.UserHomeDir()
		def = filepath.Join(home, ".cache", "dtmf-corpus")
	}
	flag.StringVar(&c.out, "out", def, "corpus directory (outside the repository)")
	flag.IntVar(&c.jobs, "j", runtime.GOMAXPROCS(0), "items built at once")
	flag.Float64Var(&c.capSeconds, "cap", 1800, "most seconds taken from one recorded-music or tracker source")
	flag.Float64Var(&c.midiSecs, "midi-seconds", 150, "seconds of generated MIDI per instrument")
	flag.Float64Var(&c.ttsSecs, "tts-seconds", 60, "about how long each TTS segment is [s]")
	flag.IntVar(&c.ttsSegs, "tts-segments", 4, "TTS segments (pitch settings) per voice")
	flag.Float64Var(&c.promptSecs, "prompt-seconds", 180, "about how long each item of concatenated prompts is [s]")
	flag.StringVar(&c.only, "only", "", "build only sources whose id contains this")
	list := flag.Bool("list", false, "print the plan (items) and exit")
	flag.Parse()
	if flag.NArg() > 0 {
		fatalf("unexpected argument %q", flag.Arg(0))
	}
	c.work = filepath.Join(c.out, "work")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, &c, *list); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "corpus: "+format+"\n", a...)
	os.Exit(1)
}

func run(ctx context.Context, c *config, list bool) error {
	start := time.Now()
	if err := checkTools(); err != nil {
		return err
	}
	for _, d := range []string{c.out, c.work, filepath.Join(c.out, "meta")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	// Scratch folders of items an earlier, interrupted run left behind.
	if stale, err := filepath.Glob(filepath.Join(c.work, "*.*")); err == nil {
		for _, d := range stale {
			os.RemoveAll(d)
		}
	}
	srcs := append(sources(), espeakSources()...)
	var items []item
	for i := range srcs {
		s := &srcs[i]
		if c.only != "" && !strings.Contains(s.id, c.only) {
			continue
		}
		its, err := s.make.plan(s, c)
		if err != nil {
			return fmt.Errorf("%s: %w", s.id, err)
		}
		if len(its) == 0 {
			return fmt.Errorf("%s: nothing to build (is %v installed?)", s.id, s.packages)
		}
		items = append(items, its...)
	}
	if list {
		for _, it := range items {
			fmt.Printf("%s\t%s\t%s\n", it.src.id, it.id, it.origin)
		}
		return nil
	}
	fmt.Fprintf(os.Stderr, "corpus: %d items from %d sources into %s\n", len(items), len(srcs), c.out)

	var (
		mu      sync.Mutex
		files   []talkoff.File
		errs    []error
		skipped []string
		done    int
		queue   = make(chan item)
		wg      sync.WaitGroup
		jobs    = max(c.jobs, 1)
		report  = func(it item, fs []talkoff.File, built bool, err error) {
			mu.Lock()
			defer mu.Unlock()
			done++
			if errors.Is(err, errSilent) {
				skipped = append(skipped, it.id)
				fmt.Fprintf(os.Stderr, "corpus: [%d/%d] %s: skipped: %v\n", done, len(items), it.id, err)
				return
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", it.id, err))
				fmt.Fprintf(os.Stderr, "corpus: [%d/%d] %s: FAILED: %v\n", done, len(items), it.id, err)
				return
			}
			files = append(files, fs...)
			if built {
				fmt.Fprintf(os.Stderr, "corpus: [%d/%d] %s (%.0f s)\n", done, len(items), it.id, fs[0].DurationS)
			}
		}
	)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range queue {
				fs, built, err := buildItem(ctx, c, it)
				report(it, fs, built, err)
			}
		}()
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		queue <- it
	}
	close(queue)
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d items failed (first: %w); run again to retry them", len(errs), errs[0])
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	m := talkoff.Manifest{
		Format: talkoff.ManifestFormat,
		Reference: "levels are active averages (10 ms frames within 30 dB of the 95th percentile) relative to " +
			"0 dBm0 = sine of peak 0.6997 of 16-bit full scale; all files 8000 Hz mono s16 WAV",
		Files: files,
	}
	if err := m.Validate(); err != nil {
		return err
	}
	if c.only == "" {
		if err := writeJSON(filepath.Join(c.out, talkoff.ManifestName), &m); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(os.Stderr, "corpus: -only given: manifest.json not rewritten\n")
	}
	summary(os.Stdout, &m, time.Since(start))
	if len(skipped) > 0 {
		fmt.Printf("corpus: skipped %d silent items: %s\n", len(skipped), strings.Join(skipped, " "))
	}
	return nil
}

func checkTools() error {
	var missing []string
	for _, t := range []string{"ffmpeg", "ffprobe", "sox", "fluidsynth", "espeak-ng", "text2wave", "msgunfmt", "unzip", "iconv"} {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing tools %v: run bench/corpus/build.sh as root, which installs them", missing)
	}
	return nil
}

// variantPath is where an item's file at a level and codec lives.
func variantPath(it item, level float64, codec string) string {
	return fmt.Sprintf("%s/m%02.0f/%s/%s.wav", codec, -level, it.src.id, it.id)
}

// buildItem renders an item, writes its six files and its meta file, and
// returns their manifest entries; built is false when it was already done.
func buildItem(ctx context.Context, c *config, it item) (fs []talkoff.File, built bool, err error) {
	meta := filepath.Join(c.out, "meta", it.id+".json")
	if b, err := os.ReadFile(meta); err == nil {
		if err := json.Unmarshal(b, &fs); err == nil && len(fs) == 3*len(levels) && allExist(c.out, fs) {
			for i := range fs {
				fs[i].Sections = it.sections // derived from the seed, not stored audio
			}
			return fs, false, nil
		}
	}
	work, err := os.MkdirTemp(c.work, it.id+".")
	if err != nil {
		return nil, false, err
	}
	defer os.RemoveAll(work)
	pcm, err := it.render(ctx, work)
	if err != nil {
		return nil, false, err
	}
	base, active := talkoff.ActiveLevel(pcm)
	if math.IsInf(base, -1) || active < 0.05 {
		return nil, false, fmt.Errorf("%w (level %.1f dBm0, %.0f %% active)", errSilent, base, 100*active)
	}
	var f0 *talkoff.Pitch
	if it.src.kind == talkoff.KindSpeech {
		f0 = talkoff.EstimatePitch(pcm)
	}
	for _, lv := range levels {
		x := append([]int16(nil), pcm...)
		clipped := talkoff.Scale(x, lv-base)
		clean := variantPath(it, lv, talkoff.CodecPCM)
		if err := writeWAV(filepath.Join(c.out, clean), x); err != nil {
			return nil, false, err
		}
		variants := []struct{ codec, script string }{
			{talkoff.CodecPCM, ""},
			// AMR-NB mode 7 = 12.2 kbit/s (sox's amr-nb format, opencore-amr).
			{talkoff.CodecAMRNB, `sox -D -V1 "$1" -t amr-nb -C 7 - | sox -D -V1 -t amr-nb - -e signed -b 16 -c 1 -r 8000 "$2"`},
			// Opus 12 kbit/s, VoIP mode, 20 ms frames, decoded back to 8 kHz.
			{talkoff.CodecOpus, `ffmpeg -nostdin -v error -i "$1" -c:a libopus -b:a 12k -application voip -frame_duration 20 -f ogg - | ffmpeg -nostdin -v error -i - -ac 1 -ar 8000 -c:a pcm_s16le -y "$2"`},
		}
		for _, v := range variants {
			p := variantPath(it, lv, v.codec)
			if v.script != "" {
				tmp := filepath.Join(work, "codec.wav")
				if err := shell(ctx, v.script, filepath.Join(c.out, clean), tmp); err != nil {
					return nil, false, fmt.Errorf("%s: %w", v.codec, err)
				}
				if err := os.MkdirAll(filepath.Dir(filepath.Join(c.out, p)), 0o755); err != nil {
					return nil, false, err
				}
				if err := os.Rename(tmp, filepath.Join(c.out, p)); err != nil {
					return nil, false, err
				}
			}
			y, err := readWAV(filepath.Join(c.out, p))
			if err != nil {
				return nil, false, err
			}
			meas, _ := talkoff.ActiveLevel(y)
			fs = append(fs, talkoff.File{
				Path: p, Item: it.id, Source: it.src.id, Packages: it.src.packages, Kind: it.src.kind,
				Genre: it.src.genre, Language: it.src.language, Voice: it.src.voice, Licence: it.src.licence,
				Split: split(it.src), Origin: it.origin, DurationS: float64(len(y)) / rate,
				LevelDBm0: lv, MeasuredDBm0: math.Round(meas*100) / 100, Clipped: clipped, Codec: v.codec, F0: f0, Sections: it.sections,
			})
		}
	}
	return fs, true, writeJSON(meta, fs)
}

func split(s *source) string {
	if s.heldOut {
		return talkoff.SplitHeldOut
	}
	return talkoff.SplitTuning
}

func allExist(dir string, fs []talkoff.File) bool {
	for _, f := range fs {
		if _, err := os.Stat(filepath.Join(dir, f.Path)); err != nil {
			return false
		}
	}
	return true
}

func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func writeWAV(name string, pcm []int16) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := wavfile.Write(&b, wavfile.PCM16, rate, 1, pcm); err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func readWAV(name string) ([]int16, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fm, pcm, err := wavfile.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if fm.SampleRate != rate || fm.Channels != 1 {
		return nil, fmt.Errorf("%s: %d Hz, %d channels: want 8000 Hz mono", name, fm.SampleRate, fm.Channels)
	}
	return pcm, nil
}

// shell runs a bash script with pipefail and positional arguments.
func shell(ctx context.Context, script string, args ...string) error {
	cmd := exec.CommandContext(ctx, "bash", append([]string{"-c", "set -euo pipefail; " + script, "bash"}, args...)...)
	killGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// killGroup makes cmd the leader of its own process group and, when its
// context ends (an interrupted build), kills the whole group: the pipelines
// of shell must not outlive the build.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// output runs a command and returns its stdout.
func output(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	killGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// decode8k decodes any file ffmpeg reads (WAV, Ogg, Opus, MP3, tracker
// modules through libopenmpt) to 8000 Hz mono, at most maxSeconds (0: all).
// ffmpeg's resampler low-passes before decimating.
func decode8k(ctx context.Context, name string, maxSeconds float64) ([]int16, error) {
	args := []string{"-nostdin", "-v", "error", "-i", name}
	if maxSeconds > 0 {
		args = append(args, "-t", fmt.Sprint(maxSeconds))
	}
	args = append(args, "-ac", "1", "-ar", "8000", "-f", "s16le", "-c:a", "pcm_s16le", "-")
	b, err := output(ctx, "ffmpeg", args...)
	if err != nil {
		return nil, err
	}
	if len(b) < 2 {
		return nil, errors.New(name + ": no audio decoded")
	}
	pcm := make([]int16, len(b)/2)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return pcm, nil
}

// probeSeconds returns a file's duration as ffprobe reports it.
func probeSeconds(ctx context.Context, name string) (float64, error) {
	b, err := output(ctx, "ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", name)
	if err != nil {
		return 0, err
	}
	var d float64
	if _, err := fmt.Sscan(string(b), &d); err != nil || !(d > 0) {
		return 0, fmt.Errorf("%s: no duration", name)
	}
	return d, nil
}
