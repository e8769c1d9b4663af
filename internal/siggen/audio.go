package siggen

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// DefaultCorpus is where Debian's asterisk-core-sounds-en-wav package
// installs the Allison voice prompts (8 kHz, 16-bit mono): the speech the
// talk-off and talk-down tests use.
const DefaultCorpus = "/usr/share/asterisk/sounds/en_US_f_Allison"

// Recording is one speech file of a corpus.
type Recording struct {
	// Name is the file's path relative to the corpus directory.
	Name string
	// PCM is the audio, mixed to mono and resampled to the rate asked for.
	PCM []int16
}

// LoadCorpus reads every *.wav file under dir (recursively, in byte order of
// their paths), mixed to mono and resampled to rate [Hz]. It fails if dir
// is missing or holds no WAV file (the error says which package installs
// the corpus), or naming the file that cannot be read. It allocates all the
// audio.
func LoadCorpus(dir string, rate int) ([]Recording, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".wav") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w (Debian: apt-get install asterisk-core-sounds-en-wav)", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no .wav file under %s (Debian: apt-get install asterisk-core-sounds-en-wav)", dir)
	}
	sort.Strings(paths)
	recs := make([]Recording, 0, len(paths))
	for _, p := range paths {
		pcm, err := ReadAudio(p, rate)
		if err != nil {
			return nil, err
		}
		name, _ := filepath.Rel(dir, p)
		recs = append(recs, Recording{Name: name, PCM: pcm})
	}
	return recs, nil
}

// ReadAudio reads a WAV file, mixes it to mono and resamples it to rate
// [Hz] (0: keep the file's rate). A file without a RIFF header is taken as
// raw 16-bit little-endian mono PCM at rate (8000 Hz if rate is 0). It fails
// naming path if the file cannot be read or decoded; a truncated WAV file is
// an error too.
func ReadAudio(path string, rate int) ([]int16, error) {
	pcm, fileRate, err := readAudio(path, rate)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if rate != 0 && fileRate != rate {
		pcm = Resample(pcm, fileRate, rate)
	}
	return pcm, nil
}

// ReadAudioRate reads a WAV file, mixed to mono, at its own rate, or a
// file without a RIFF header as raw 16-bit little-endian mono PCM at rawRate
// [Hz]. It returns the samples and their rate, or an error naming path.
func ReadAudioRate(path string, rawRate int) ([]int16, int, error) {
	pcm, rate, err := readAudio(path, rawRate)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return pcm, rate, nil
}

func readAudio(path string, rate int) ([]int16, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(4)
	if string(head) != "RIFF" {
		if rate == 0 {
			rate = 8000
		}
		b, err := io.ReadAll(br)
		if err != nil {
			return nil, 0, err
		}
		if len(b)%2 != 0 {
			return nil, 0, fmt.Errorf("raw s16le input has an odd number of bytes (%d)", len(b))
		}
		pcm := make([]int16, len(b)/2)
		for i := range pcm {
			pcm[i] = int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
		}
		return pcm, rate, nil
	}
	format, pcm, err := wavfile.ReadAll(br)
	if err != nil {
		return nil, 0, err
	}
	if c := format.Channels; c > 1 {
		mono := make([]int16, len(pcm)/c)
		for i := range mono {
			var s int
			for _, v := range pcm[i*c : i*c+c] {
				s += int(v)
			}
			mono[i] = int16(s / c)
		}
		pcm = mono
	}
	return pcm, format.SampleRate, nil
}

// Resample converts pcm from rate from to rate to [Hz] with a windowed-sinc
// interpolator (32 taps, Blackman window, cut off at the lower Nyquist
// frequency). It allocates the result.
func Resample(pcm []int16, from, to int) []int16 {
	if from == to || len(pcm) == 0 {
		return append([]int16(nil), pcm...)
	}
	const half = 16
	ratio := float64(from) / float64(to)
	cut := math.Min(1, 1/ratio) * 0.95 // of the input Nyquist
	n := int(float64(len(pcm)) / ratio)
	out := make([]int16, n)
	width := float64(half) / cut
	for i := range out {
		t := float64(i) * ratio
		k0 := int(math.Floor(t - width))
		var s, w float64
		for k := max(k0, 0); k <= int(t+width) && k < len(pcm); k++ {
			x := t - float64(k)
			if math.Abs(x) >= width {
				continue
			}
			v := cut * sinc(cut*x) * (0.42 + 0.5*math.Cos(math.Pi*x/width) + 0.08*math.Cos(2*math.Pi*x/width))
			s += v * float64(pcm[k])
			w += v
		}
		if w != 0 {
			s /= w // unit gain at DC, also near the ends
		}
		out[i] = int16(math.Max(-32768, math.Min(32767, math.Round(s))))
	}
	return out
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}
