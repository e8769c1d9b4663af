package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

const genUsage = `usage: dtmf gen [flags] OUT.wav | OUT.raw | -

Writes a deterministic DTMF test signal: LEAD ms of silence, then each digit
as a tone of TONE ms followed by PAUSE ms of silence, then TRAIL ms of
silence; optional interruptions inside every tone, white Gaussian noise,
a background recording and a G.711 round trip. The same flags and --seed
always give the same file.

Beside the audio it writes a manifest, OUT.json (or --manifest PATH): the
expected digits, each tone's start and end in samples and ms, and every
parameter, so that any detector's output can be scored against it.

OUT.raw (or --container raw) writes headerless samples: pcm16 (16-bit
signed little-endian, also called s16le), or G.711 bytes with --encoding
ulaw|alaw: the names dtmf decode --encoding takes for raw stdin. "-"
writes the audio to stdout (WAV unless --container raw) and no manifest
unless --manifest is given.

Definitions: levels are per tone in dBm0 (0 dBm0 is a sine of peak 0.6997 of
16-bit full scale, ITU-T G.711); twist is the high tone's level minus the low
tone's (negative: "normal" twist); offsets are % of the nominal frequency;
SNR is the power of both tones together over the white-noise power in the
full band 0..rate/2, noise covering the whole signal; a background is scaled
so that its active level (mean power of its 10 ms frames within 30 dB of
the 95th-percentile frame) is --background-level.

Examples:
  dtmf gen --digits 5555 --tone 40 --pause 40 t.wav
  dtmf gen --digits 1 --low-level -20 --twist -8 --high-offset 1.8 t.wav
  dtmf gen --digits 0 --tone 120 --gap 50:20 --snr 12 --codec ulaw t.wav
  dtmf gen --background /usr/share/asterisk/sounds/en_US_f_Allison/vm-intro.wav --background-level -15 t.wav

Flags:
`

// genEncodings names the encodings dtmf gen writes, with the other
// spellings accepted (see [wavfile.ParseEncoding]).
const genEncodings = "pcm16 (also s16le), pcm8 (u8), pcm24 (s24le), pcm32 (s32le), float32 (f32le), ulaw (mulaw, pcmu) or alaw (pcma)"

// The sample rates [Hz] dtmf gen writes: those the detector, and so dtmf
// decode, take (detector.Config.SampleRate), so that every file gen writes
// can be decoded.
const (
	minRate = 8000
	maxRate = 48000
)

// gapFlags collects repeated --gap START:LENGTH values.
type gapFlags [][2]float64

func (g *gapFlags) String() string {
	var parts []string
	for _, v := range *g {
		parts = append(parts, fmt.Sprintf("%g:%g", v[0], v[1]))
	}
	return strings.Join(parts, ",")
}

func (g *gapFlags) Set(s string) error {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return fmt.Errorf("want START:LENGTH in ms, e.g. 50:20")
	}
	start, err1 := strconv.ParseFloat(a, 64)
	length, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("want START:LENGTH in ms, e.g. 50:20")
	}
	*g = append(*g, [2]float64{start, length})
	return nil
}

// optFloat is a float flag that remembers whether it was given.
type optFloat struct {
	v   float64
	set bool
}

func (o *optFloat) String() string {
	if !o.set {
		return ""
	}
	return strconv.FormatFloat(o.v, 'g', -1, 64)
}

func (o *optFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number")
	}
	o.v, o.set = v, true
	return nil
}

// runGen implements dtmf gen.
func runGen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	spec := siggen.DefaultSpec()
	var (
		level, twist, offset, snr optFloat
		gaps                      gapFlags
		background                string
		encoding, container       string
		manifestPath              string
	)
	fset := flag.NewFlagSet("dtmf gen", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.StringVar(&spec.Digits, "digits", spec.Digits, "keys to press, from 0-9 A-D * #")
	fset.Float64Var(&spec.ToneMS, "tone", spec.ToneMS, "tone length of each digit [ms]")
	fset.Float64Var(&spec.PauseMS, "pause", spec.PauseMS, "silence between tones [ms]")
	fset.Float64Var(&spec.LeadMS, "lead", spec.LeadMS, "silence before the first tone [ms]")
	fset.Float64Var(&spec.TrailMS, "trail", spec.TrailMS, "silence after the last tone [ms]")
	fset.Var(&level, "level", "level of both tones [dBm0] (default -10)")
	fset.Float64Var(&spec.LowLevel, "low-level", spec.LowLevel, "level of the low-group tone [dBm0]")
	fset.Float64Var(&spec.HighLevel, "high-level", spec.HighLevel, "level of the high-group tone [dBm0]")
	fset.Var(&twist, "twist", "high minus low level [dB]: sets the high tone's level from the low one's (negative = normal twist)")
	fset.Var(&offset, "offset", "frequency offset of both tones [% of nominal]")
	fset.Float64Var(&spec.LowOffset, "low-offset", 0, "frequency offset of the low tone [% of nominal]")
	fset.Float64Var(&spec.HighOffset, "high-offset", 0, "frequency offset of the high tone [% of nominal]")
	fset.Var(&gaps, "gap", "interruption `START:LENGTH` [ms from tone start] inside every tone; repeatable")
	fset.Var(&snr, "snr", "add white Gaussian noise at this SNR [dB] (DTMF power over noise power, full band)")
	fset.StringVar(&background, "background", "", "mix in this recording (WAV, or raw s16le at --rate), repeated to cover the signal")
	fset.Float64Var(&spec.BackgroundLevel, "background-level", -20, "active level of the background [dBm0]")
	fset.Float64Var(&spec.BackgroundOffsetMS, "background-offset", 0, "start this far into the background [ms]")
	fset.StringVar(&spec.Codec, "codec", "", "G.711 round trip of the linear signal: ulaw or alaw")
	fset.IntVar(&spec.SampleRate, "rate", spec.SampleRate, "sample rate [Hz], 8000 to 48000 (what dtmf decode reads)")
	fset.Uint64Var(&spec.Seed, "seed", spec.Seed, "seed of the tone phases and the noise")
	fset.StringVar(&encoding, "encoding", "pcm16", "sample encoding written: "+genEncodings+" (raw: pcm16, ulaw or alaw)")
	fset.StringVar(&container, "container", "", "wav or raw (default: raw for OUT.raw, else wav)")
	fset.StringVar(&manifestPath, "manifest", "", "manifest path (default: OUT with extension .json; \"none\" to skip)")

	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "dtmf gen: "+format+"\n", a...)
		return code
	}
	err := fset.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, genUsage, fset)
		return 0
	}
	if err != nil {
		return fail(2, "%v (run \"dtmf gen -h\" for usage)", err)
	}
	if fset.NArg() != 1 {
		return fail(2, "want exactly one output file (or -), got %d (run \"dtmf gen -h\" for usage)", fset.NArg())
	}
	out := fset.Arg(0)
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if level.set {
		if set["low-level"] || set["high-level"] {
			return fail(2, "--level sets both tones: do not combine it with --low-level or --high-level")
		}
		spec.LowLevel, spec.HighLevel = level.v, level.v
	}
	if twist.set {
		if set["high-level"] {
			return fail(2, "--twist sets the high tone's level: do not combine it with --high-level")
		}
		spec.HighLevel = spec.LowLevel + twist.v
	}
	if offset.set {
		if set["low-offset"] || set["high-offset"] {
			return fail(2, "--offset sets both tones: do not combine it with --low-offset or --high-offset")
		}
		spec.LowOffset, spec.HighOffset = offset.v, offset.v
	}
	if snr.set {
		spec.SNR = &snr.v
	}
	spec.Gaps = gaps
	spec.Digits = strings.ToUpper(spec.Digits)
	if spec.Codec == "none" {
		spec.Codec = ""
	}
	if spec.SampleRate < minRate || spec.SampleRate > maxRate {
		return fail(2, "--rate %d: want %d to %d Hz, the rates dtmf decode and the detector take", spec.SampleRate, minRate, maxRate)
	}
	if background != "" {
		pcm, err := siggen.ReadAudio(background, spec.SampleRate)
		if err != nil {
			return fail(1, "--background: %v", err)
		}
		spec.Background, spec.BackgroundPCM = background, pcm
	} else if set["background-level"] || set["background-offset"] {
		return fail(2, "--background-level and --background-offset need --background")
	}
	if container == "" {
		container = "wav"
		if strings.EqualFold(filepath.Ext(out), ".raw") {
			container = "raw"
		}
	}
	enc, err := wavfile.ParseEncoding(encoding)
	if err != nil {
		return fail(2, "--encoding %q: want %s", encoding, genEncodings)
	}
	switch container {
	case "wav":
	case "raw":
		if enc != wavfile.PCM16 && enc != wavfile.ULaw && enc != wavfile.ALaw {
			return fail(2, "--encoding %s: raw output is %s", encoding, rawEncodings)
		}
	default:
		return fail(2, "--container %q: want wav or raw", container)
	}
	if manifestPath == "" && out != "-" {
		manifestPath = strings.TrimSuffix(out, filepath.Ext(out)) + ".json"
	}
	if manifestPath == "none" {
		manifestPath = ""
	}
	if manifestPath != "" && manifestPath == out {
		return fail(2, "the manifest would overwrite the audio %s: give --manifest", out)
	}
	sig, err := spec.Build()
	if err != nil { // "invalid signal spec: tone length = ...", without the package's name
		return fail(2, "%s", strings.TrimPrefix(err.Error(), "siggen: "))
	}
	if err := writeGenAudio(out, stdout, container, enc, sig); err != nil {
		return fail(1, "%s: %v", out, err)
	}
	if manifestPath != "" {
		m := siggen.NewManifest(spec, sig, out, container, enc.String())
		m.Command = genCommand(spec, out, container, enc, set["container"])
		if err := writeGenManifest(manifestPath, m); err != nil {
			return fail(1, "%s: %v", manifestPath, err)
		}
	}
	return 0
}

// genCommand is the command line that rebuilds the file, as stored in the
// manifest.
func genCommand(spec siggen.Spec, out, container string, enc wavfile.Encoding, containerSet bool) string {
	cmd := spec.Command(out)
	var extra []string
	if enc != wavfile.PCM16 {
		extra = append(extra, "--encoding", enc.String())
	}
	if containerSet {
		extra = append(extra, "--container", container)
	}
	if len(extra) == 0 {
		return cmd
	}
	i := strings.LastIndexByte(cmd, ' ')
	return cmd[:i] + " " + strings.Join(extra, " ") + cmd[i:]
}

func writeGenAudio(out string, stdout io.Writer, container string, enc wavfile.Encoding, sig *siggen.Signal) error {
	var w io.Writer = stdout
	var f *os.File
	if out != "-" {
		var err error
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var err error
	if container == "wav" {
		err = wavfile.Write(bw, enc, sig.SampleRate, 1, sig.PCM)
	} else {
		err = writeGenRaw(bw, enc, sig.PCM)
	}
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func writeGenRaw(w *bufio.Writer, enc wavfile.Encoding, pcm []int16) error {
	for _, v := range pcm {
		var err error
		switch enc {
		case wavfile.ULaw:
			err = w.WriteByte(g711.LinearToULaw(v))
		case wavfile.ALaw:
			err = w.WriteByte(g711.LinearToALaw(v))
		default:
			if err = w.WriteByte(byte(v)); err == nil {
				err = w.WriteByte(byte(uint16(v) >> 8))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func writeGenManifest(path string, m siggen.Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
