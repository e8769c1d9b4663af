package talkoff

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// Options tune [Run].
type Options struct {
	// Jobs is how many files are decoded at once; GOMAXPROCS if zero.
	Jobs int
	// Split selects SplitTuning, SplitHeldOut, or all files if empty.
	Split string
	// Progress, if not nil, receives a line now and then.
	Progress io.Writer
}

// FileResult is what every decoder reported in one file.
type FileResult struct {
	File File
	// Presses[i] are decoder i's presses, all of them false.
	Presses [][]Press
}

// Result is a whole run.
type Result struct {
	Corpus   string
	Decoders []string
	Split    string
	Files    []FileResult
	// Elapsed is the wall time of the run and DecoderTime the time spent
	// in each decoder (summed over parallel workers).
	Elapsed     time.Duration
	DecoderTime []time.Duration
}

// Run decodes every selected file of the corpus in dir with each decoder
// and returns what they reported. Files are decoded in parallel, each file
// by all decoders in turn, so at most opts.Jobs decoders run at once. It
// stops at the first error (a file that cannot be read or is not 8000 Hz
// mono 16-bit, wrapping [ErrAudio]; a decoder failure) or when ctx ends.
func Run(ctx context.Context, dir string, m *Manifest, decs []Decoder, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Split != "" && opts.Split != SplitTuning && opts.Split != SplitHeldOut {
		return nil, fmt.Errorf("talkoff: split %q: want %q, %q or empty for all", opts.Split, SplitTuning, SplitHeldOut)
	}
	if len(decs) == 0 {
		return nil, fmt.Errorf("talkoff: no decoder")
	}
	res := &Result{Corpus: dir, Split: opts.Split, DecoderTime: make([]time.Duration, len(decs))}
	for _, d := range decs {
		res.Decoders = append(res.Decoders, d.Name())
	}
	for _, f := range m.Files {
		if opts.Split == "" || f.Split == opts.Split {
			res.Files = append(res.Files, FileResult{File: f, Presses: make([][]Press, len(decs))})
		}
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		next     = make(chan int)
		wg       sync.WaitGroup
		lastNote = time.Now()
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fr := &res.Files[i]
				p := filepath.Join(dir, filepath.FromSlash(fr.File.Path))
				pcm, err := ReadAudio(p)
				if err != nil {
					fail(err)
					continue
				}
				for k, d := range decs {
					t0 := time.Now()
					ps, err := d.Decode(ctx, Audio{Path: p, PCM: pcm})
					dt := time.Since(t0)
					if err != nil {
						fail(err)
						break
					}
					fr.Presses[k] = ps
					mu.Lock()
					res.DecoderTime[k] += dt
					mu.Unlock()
				}
				mu.Lock()
				done++
				if opts.Progress != nil && (time.Since(lastNote) > 10*time.Second || done == len(res.Files)) {
					fmt.Fprintf(opts.Progress, "talkoff: %d/%d files\n", done, len(res.Files))
					lastNote = time.Now()
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range res.Files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// ReadAudio reads an 8000 Hz mono 16-bit PCM WAV file. It fails with an
// error wrapping [ErrAudio] for any other format.
func ReadAudio(name string) ([]int16, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fm, pcm, err := wavfile.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrAudio, name, err)
	}
	if fm.SampleRate != 8000 || fm.Channels != 1 || fm.Encoding != wavfile.PCM16 {
		return nil, fmt.Errorf("%w: %s: %d Hz, %d channels, %v: want 8000 Hz mono 16-bit PCM", ErrAudio, name, fm.SampleRate, fm.Channels, fm.Encoding)
	}
	return pcm, nil
}
