package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// files: one item per audio file of a package (decoded with ffmpeg, or
// rendered with fluidsynth for MIDI), in byte order of their paths, until
// the source holds c.capSeconds.
type files struct {
	dirs       []string
	zip        string // a .pk3/.zip archive to unpack first
	exts       []string
	perFileCap float64 // most seconds of one file (tracker modules can loop)
	midi       bool
}

func (p files) plan(s *source, c *config) ([]item, error) {
	ctx := context.Background()
	dirs := p.dirs
	if p.zip != "" {
		dst := filepath.Join(c.work, "unzip", s.id)
		if _, err := os.Stat(filepath.Join(dst, ".done")); err != nil {
			if err := shell(ctx, `rm -rf "$2" && mkdir -p "$2" && unzip -q -o "$1" -d "$2" && touch "$2/.done"`, p.zip, dst); err != nil {
				return nil, err
			}
		}
		dirs = []string{dst}
	}
	var paths []string
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !e.IsDir() && slices.Contains(p.exts, strings.ToLower(filepath.Ext(path))) {
				paths = append(paths, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(paths)
	var items []item
	var total float64
	for _, path := range paths {
		if total >= c.capSeconds {
			break
		}
		d := p.perFileCap
		if !p.midi {
			var err error
			if d, err = probeSeconds(ctx, path); err != nil {
				fmt.Fprintf(os.Stderr, "corpus: %s: skipping %s: %v\n", s.id, path, err)
				continue
			}
			if p.perFileCap > 0 {
				d = min(d, p.perFileCap)
			}
		}
		total += d
		path := path
		it := item{id: s.id + "--" + slug(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))), src: s, origin: originName(path, p.zip)}
		if p.midi {
			it.render = func(ctx context.Context, work string) ([]int16, error) {
				return renderMIDI(ctx, path, work, p.perFileCap)
			}
		} else {
			it.render = func(ctx context.Context, work string) ([]int16, error) {
				return decode8k(ctx, path, p.perFileCap)
			}
		}
		items = append(items, it)
	}
	return items, nil
}

func originName(path, zip string) string {
	if zip == "" {
		return path
	}
	_, rest, _ := strings.Cut(path, "/unzip/")
	_, inner, _ := strings.Cut(rest, "/")
	return zip + ":" + inner
}

// soundfont is the General MIDI soundfont of Debian's fluid-soundfont-gm.
const soundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

// renderMIDI plays a MIDI file with fluidsynth (reverb and chorus on) at
// 22050 Hz and decodes it to 8000 Hz.
func renderMIDI(ctx context.Context, mid, work string, maxSeconds float64) ([]int16, error) {
	wav := filepath.Join(work, "midi.wav")
	// -g 0.5: fluidsynth's default gain (0.2) leaves MIDI files quiet; the
	// level is normalised afterwards anyway, this only keeps resolution.
	if _, err := output(ctx, "fluidsynth", "-n", "-i", "-q", "-g", "0.5", "-R", "1", "-C", "1",
		"-r", "22050", "-T", "wav", "-F", wav, soundfont, mid); err != nil {
		return nil, err
	}
	return decode8k(ctx, wav, maxSeconds)
}

// prompts: the recorded prompts of one Asterisk voice, in byte order of
// their paths, concatenated with 100 ms of silence between them into items
// of about c.promptSecs (the "silence" folder is left out).
type prompts struct {
	dir string
	gsm bool // the package ships GSM 06.10 files (.gsm), not WAV
}

func (p prompts) plan(s *source, c *config) ([]item, error) {
	var paths []string
	var sizes []int64
	err := filepath.WalkDir(p.dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == "silence" {
			return filepath.SkipDir
		}
		ext := ".wav"
		if p.gsm {
			ext = ".gsm"
		}
		if !e.IsDir() && strings.EqualFold(filepath.Ext(path), ext) {
			info, err := e.Info()
			if err != nil {
				return err
			}
			paths = append(paths, path)
			sizes = append(sizes, info.Size())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// WalkDir visits in lexical order within each folder; sort the whole.
	idx := make([]int, len(paths))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(paths[a], paths[b]) })
	var items []item
	var group []string
	var secs float64
	flush := func() {
		if len(group) == 0 {
			return
		}
		g := group
		items = append(items, item{
			id: fmt.Sprintf("%s--%03d", s.id, len(items)+1), src: s,
			origin: fmt.Sprintf("%d prompts of %s, %s … %s", len(g), p.dir, rel(p.dir, g[0]), rel(p.dir, g[len(g)-1])),
			render: func(ctx context.Context, work string) ([]int16, error) { return concatPrompts(ctx, g) },
		})
		group, secs = nil, 0
	}
	for _, i := range idx {
		group = append(group, paths[i])
		if p.gsm {
			secs += float64(sizes[i]) / 1650 // 33 bytes per 20 ms
		} else {
			secs += float64(sizes[i]-44) / (2 * rate) // 8 kHz 16-bit prompts
		}
		if secs >= c.promptSecs {
			flush()
		}
	}
	flush()
	return items, nil
}

func rel(dir, path string) string {
	r, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	return r
}

func concatPrompts(ctx context.Context, paths []string) ([]int16, error) {
	gap := make([]int16, rate/10)
	var out []int16
	for _, p := range paths {
		b, err := output(ctx, "sox", "-D", "-V1", p, "-t", "raw", "-e", "signed", "-b", "16", "-L", "-c", "1", "-r", "8000", "-")
		if err != nil {
			return nil, err
		}
		for i := 0; i+1 < len(b); i += 2 {
			out = append(out, int16(uint16(b[i])|uint16(b[i+1])<<8))
		}
		out = append(out, gap...)
	}
	return out, nil
}

// ttsSetting is one segment's voice settings.
type ttsSetting struct {
	variant string // espeak-ng voice variant
	pitch   int    // espeak-ng -p, 0..99
	speed   int    // words per minute
}

// espeakSettings spread voiced f0 over about 80-300 Hz: low male voices,
// the default, and high female ones, with 180-190 Hz (where voiced speech
// once mimicked a key: 4th and 7th harmonics near 770 and 1336 Hz) in the
// middle of the range.
var espeakSettings = []ttsSetting{
	{"m1", 15, 160}, {"m3", 50, 175}, {"m7", 75, 150}, {"f2", 45, 170}, {"f4", 85, 185},
	{"m2", 35, 165}, {"f1", 65, 175}, {"f5", 99, 160},
}

// espeak: c.ttsSegs segments of one language, each with its own settings.
type espeak struct{ voice, lang string }

func (p espeak) plan(s *source, c *config) ([]item, error) {
	segs, err := textSegments(p.lang, c.ttsSegs, int(c.ttsSecs*charsPerSecond))
	if err != nil {
		return nil, err
	}
	var items []item
	for i, text := range segs {
		st := espeakSettings[(i+len(p.voice))%len(espeakSettings)]
		voice := p.voice + "+" + st.variant
		args := []string{"-v", voice, "-p", fmt.Sprint(st.pitch), "-s", fmt.Sprint(st.speed)}
		text := text
		items = append(items, item{
			id: fmt.Sprintf("%s--%d-%s-p%d", s.id, i+1, st.variant, st.pitch), src: s,
			origin: "espeak-ng " + strings.Join(args, " ") + fmt.Sprintf(" (text: %s gettext catalogues, %d chars)", p.lang, len(text)),
			render: func(ctx context.Context, work string) ([]int16, error) {
				txt, wav := filepath.Join(work, "text.txt"), filepath.Join(work, "tts.wav")
				if err := os.WriteFile(txt, []byte(text), 0o644); err != nil {
					return nil, err
				}
				if _, err := output(ctx, "espeak-ng", append(args, "-w", wav, "-f", txt)...); err != nil {
					return nil, err
				}
				return decode8k(ctx, wav, 0)
			},
		})
	}
	return items, nil
}

// festival: c.ttsSegs segments of one festival voice.
type festival struct{ voice, lang, charset string }

func (p festival) plan(s *source, c *config) ([]item, error) {
	segs, err := textSegments(p.lang, c.ttsSegs, int(c.ttsSecs*charsPerSecond))
	if err != nil {
		return nil, err
	}
	var items []item
	for i, text := range segs {
		text := text
		items = append(items, item{
			id: fmt.Sprintf("%s--%d", s.id, i+1), src: s,
			origin: fmt.Sprintf("festival text2wave (voice_%s) (text: %s gettext catalogues, %d chars)", p.voice, p.lang, len(text)),
			render: func(ctx context.Context, work string) ([]int16, error) {
				txt, wav := filepath.Join(work, "text.txt"), filepath.Join(work, "tts.wav")
				if err := os.WriteFile(txt, []byte(text), 0o644); err != nil {
					return nil, err
				}
				if p.charset != "" {
					if err := shell(ctx, `iconv -f UTF-8 -t "$2//TRANSLIT" "$1" > "$1.enc" && mv "$1.enc" "$1"`, txt, p.charset); err != nil {
						return nil, err
					}
				}
				if _, err := output(ctx, "text2wave", "-eval", "(voice_"+p.voice+")", "-o", wav, txt); err != nil {
					return nil, err
				}
				return decode8k(ctx, wav, 0)
			},
		})
	}
	return items, nil
}

// generated: the MIDI pieces of one instrument family (midi.go).
type generated struct{ family string }

func (p generated) plan(s *source, c *config) ([]item, error) {
	insts := families[p.family]
	if len(insts) == 0 {
		return nil, fmt.Errorf("no instruments in family %q", p.family)
	}
	var items []item
	for _, in := range insts {
		in := in
		seed := seedOf(s.id + "/" + in.name)
		_, sections := composePiece(in, seed, c.midiSecs)
		items = append(items, item{
			sections: sections,
			id:       fmt.Sprintf("%s--%s", s.id, in.name), src: s,
			origin: fmt.Sprintf("generated MIDI (bench/corpus/midi.go), GM program %d (%s), seed %d, %.0f s; fluidsynth reverb+chorus", in.program, in.name, seed, c.midiSecs),
			render: func(ctx context.Context, work string) ([]int16, error) {
				mid := filepath.Join(work, "piece.mid")
				piece, _ := composePiece(in, seed, c.midiSecs)
				if err := os.WriteFile(mid, piece, 0o644); err != nil {
					return nil, err
				}
				return renderMIDI(ctx, mid, work, 0)
			},
		})
	}
	return items, nil
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
