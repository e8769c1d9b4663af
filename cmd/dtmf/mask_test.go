package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/peers"
	"github.com/dtmfkit/dtmf/internal/siggen"
	"github.com/dtmfkit/dtmf/internal/soak"
	"github.com/dtmfkit/dtmf/internal/synth"
	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/wavfile"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maskTolerance is how far [ms] a printed span may reach beyond its true
// tone on either side (issue 11).
const maskTolerance = 15

// maskRun runs "dtmf mask args..." and returns exit code, stdout, stderr.
func maskRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"mask"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// maskEvent is one printed line.
type maskEvent struct {
	Event      string `json:"event"`
	Session    string `json:"session_uuid"`
	Digit      string `json:"digit"`
	DurationMS int    `json:"duration_ms"`
	OffsetMS   *int   `json:"offset_ms"`
	Channel    *int   `json:"channel"`
}

// maskEvents checks that out is NDJSON of schema-valid dtmf events, each
// with offset_ms, and returns them.
func maskEvents(t *testing.T, out string) []maskEvent {
	t.Helper()
	schema, err := jsonschema.NewCompiler().Compile("../../testdata/spec/events.schema.json")
	require.NoError(t, err)
	var evs []maskEvent
	for _, l := range strings.SplitAfter(out, "\n") {
		if l == "" {
			continue
		}
		require.True(t, strings.HasSuffix(l, "\n"), "unterminated line %q", l)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(l))
		require.NoError(t, err, "line %q", l)
		require.NoError(t, schema.Validate(doc), "line %q", l)
		var e maskEvent
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		require.Equal(t, "dtmf", e.Event)
		require.NotNil(t, e.OffsetMS, "line %q has no offset_ms", l)
		evs = append(evs, e)
	}
	return evs
}

// readWAV reads a whole WAV file.
func readWAV(t *testing.T, path string) (wavfile.Format, []int16) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	fm, pcm, err := wavfile.ReadAll(f)
	require.NoError(t, err)
	return fm, pcm
}

// channel returns channel c of interleaved pcm.
func channel(pcm []int16, channels, c int) []int16 {
	out := make([]int16, len(pcm)/channels)
	for i := range out {
		out[i] = pcm[i*channels+c]
	}
	return out
}

// printedSpans returns, per channel, the printed spans in samples
// [start, end), rounded outwards as the command rounds them.
func printedSpans(evs []maskEvent, rate, channels int) [][][2]int {
	spans := make([][][2]int, channels)
	for _, e := range evs {
		c := 0
		if e.Channel != nil {
			c = *e.Channel
		}
		a := *e.OffsetMS * rate / 1000
		b := ((*e.OffsetMS+e.DurationMS)*rate + 999) / 1000
		spans[c] = append(spans[c], [2]int{a, b})
	}
	return spans
}

// checkMasked asserts the contract of dtmf mask on one file: every true
// press lies inside a printed span that reaches at most maskTolerance ms
// beyond it; no sample outside the printed spans changed; OUT's bytes
// differ from IN's only inside the data chunk; this detector finds no digit
// in OUT.
func checkMasked(t *testing.T, in, out string, evs []maskEvent, truth [][]synth.Press) {
	t.Helper()
	fmIn, pcmIn := readWAV(t, in)
	fmOut, pcmOut := readWAV(t, out)
	require.Equal(t, fmIn, fmOut)
	require.Len(t, pcmOut, len(pcmIn))
	bin, err := os.ReadFile(in)
	require.NoError(t, err)
	bout, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Len(t, bout, len(bin), "OUT has IN's size")
	data := bytes.Index(bin, []byte("data")) + 8
	for i := range bin {
		if i < data || i >= data+len(pcmIn)*fmIn.Encoding.BytesPerSample() {
			require.Equal(t, bin[i], bout[i], "byte %d outside the audio changed", i)
		}
	}
	rate, ch := fmIn.SampleRate, fmIn.Channels
	spans := printedSpans(evs, rate, ch)
	tol := maskTolerance * rate / 1000
	for c := range ch {
		a, b := channel(pcmIn, ch, c), channel(pcmOut, ch, c)
		k := 0
		for j := range a {
			for k < len(spans[c]) && spans[c][k][1] <= j {
				k++
			}
			if k < len(spans[c]) && spans[c][k][0] <= j {
				continue
			}
			if a[j] != b[j] {
				t.Fatalf("channel %d sample %d outside every printed span changed: %d → %d", c, j, a[j], b[j])
			}
		}
		var want []synth.Press
		if c < len(truth) {
			want = truth[c]
		}
		require.Len(t, spans[c], len(want), "channel %d: one printed span per press", c)
		for i, p := range want {
			sp := spans[c][i]
			assert.LessOrEqual(t, sp[0], p.Start, "channel %d press %d %c: span %v must cover %d..%d", c, i, p.Digit, sp, p.Start, p.End)
			assert.GreaterOrEqual(t, sp[1], p.End, "channel %d press %d %c: span %v must cover %d..%d", c, i, p.Digit, sp, p.Start, p.End)
			assert.LessOrEqual(t, p.Start-sp[0], tol, "channel %d press %d: starts too early", c, i)
			assert.LessOrEqual(t, sp[1]-p.End, tol, "channel %d press %d: ends too late", c, i)
			assert.Equal(t, string(p.Digit), string(digitAt(evs, c, i)), "channel %d press %d", c, i)
		}
		assert.Empty(t, keyDigits(t, rate, b), "this detector finds a digit in channel %d of OUT", c)
	}
}

// digitAt returns the digit of the i-th printed event of channel c.
func digitAt(evs []maskEvent, c, i int) byte {
	for _, e := range evs {
		ec := 0
		if e.Channel != nil {
			ec = *e.Channel
		}
		if ec == c {
			if i == 0 {
				return e.Digit[0]
			}
			i--
		}
	}
	return 0
}

// keyDigits runs a bare detector over pcm.
func keyDigits(t *testing.T, rate int, pcm []int16) string {
	t.Helper()
	cfg := detector.DefaultConfig()
	cfg.SampleRate = rate
	d, err := detector.New(cfg)
	require.NoError(t, err)
	ev := d.Flush(d.Process(nil, pcm))
	var b strings.Builder
	for _, e := range ev {
		if e.Type == detector.KeyUp {
			b.WriteByte(e.Digit)
		}
	}
	return b.String()
}

// maskSignal builds a receiver test signal with the given digits at rate.
func maskSignal(t *testing.T, rate int, seed uint64, digits string) *siggen.Signal {
	t.Helper()
	s := siggen.DefaultSpec()
	s.SampleRate, s.Seed, s.Digits = rate, seed, digits
	s.ToneMS, s.PauseMS = 70, 80
	sig, err := s.Build()
	require.NoError(t, err)
	return sig
}

// TestMaskSample masks testdata/sample.wav (speech-like audio with the
// presses "5551234#") and checks the contract against its truth file, and
// that spandsp and multimon-ng find no digit in OUT though they find them
// all in IN.
func TestMaskSample(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "masked.wav")
	code, stdout, stderr := maskRun(t, samplePath, out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	evs := maskEvents(t, stdout)
	tr := loadTruth(t)
	var presses []synth.Press
	var raw struct {
		Presses []struct {
			Digit      string `json:"digit"`
			Start, End int
		} `json:"presses"`
	}
	b, err := os.ReadFile(truthPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &raw))
	for _, p := range raw.Presses {
		presses = append(presses, synth.Press{Digit: p.Digit[0], Start: p.Start, End: p.End})
	}
	require.Len(t, presses, len(tr.Digits))
	for _, e := range evs {
		assert.Equal(t, "sample", e.Session)
		assert.Nil(t, e.Channel)
	}
	checkMasked(t, samplePath, out, evs, [][]synth.Press{presses})
	_, in := readWAV(t, samplePath)
	_, masked := readWAV(t, out)
	require.Equal(t, tr.Digits, peers.Digits(peers.Spandsp(t, in, 8000)))
	assert.Empty(t, peers.Digits(peers.Spandsp(t, masked, 8000)), "spandsp in OUT")
	require.Equal(t, tr.Digits, peers.Digits(peers.Multimon(t, in, 8000)))
	assert.Empty(t, peers.Digits(peers.Multimon(t, masked, 8000)), "multimon-ng in OUT")
}

// TestMaskFormats: every encoding, several rates, stereo with different
// presses per channel, and a chunk after the audio: OUT keeps the format
// and every byte outside the spans, and holds no digit for any receiver.
func TestMaskFormats(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name     string
		enc      wavfile.Encoding
		rate     int
		channels int
	}{
		{"pcm16", wavfile.PCM16, 8000, 1},
		{"pcm8", wavfile.PCM8, 8000, 1},
		{"pcm24-16k", wavfile.PCM24, 16000, 1},
		{"pcm32-48k", wavfile.PCM32, 48000, 1},
		{"float32-44k", wavfile.Float32, 44100, 1},
		{"ulaw", wavfile.ULaw, 8000, 1},
		{"alaw", wavfile.ALaw, 8000, 1},
		{"stereo-pcm16", wavfile.PCM16, 8000, 2},
		{"stereo-ulaw-11k", wavfile.ULaw, 11025, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := maskSignal(t, c.rate, 1, "4111*9#0")
			pcm := a.PCM
			truth := [][]synth.Press{a.Presses}
			if c.channels == 2 {
				// The second channel: other keys, 35 ms later.
				bsig := maskSignal(t, c.rate, 2, "73D5")
				shift := c.rate * 35 / 1000
				second := make([]int16, len(pcm))
				copy(second[shift:], bsig.PCM)
				pcm = make([]int16, 2*len(a.PCM))
				for i := range a.PCM {
					pcm[2*i], pcm[2*i+1] = a.PCM[i], second[i]
				}
				var moved []synth.Press
				for _, p := range bsig.Presses {
					moved = append(moved, synth.Press{Digit: p.Digit, Start: p.Start + shift, End: p.End + shift})
				}
				truth = append(truth, moved)
			}
			// Stored through the encoding first, so IN holds what the
			// format can hold.
			in := filepath.Join(dir, c.name+".wav")
			var file bytes.Buffer
			require.NoError(t, wavfile.Write(&file, c.enc, c.rate, c.channels, pcm))
			raw := file.Bytes()
			if len(raw)%2 == 1 {
				raw = append(raw, 0) // pad the data chunk
			}
			raw = append(raw, "LIST\x04\x00\x00\x00INFO"...)
			binary.LittleEndian.PutUint32(raw[4:], uint32(len(raw)-8))
			require.NoError(t, os.WriteFile(in, raw, 0o640))
			out := filepath.Join(dir, c.name+"-masked.wav")
			code, stdout, stderr := maskRun(t, in, out)
			require.Equal(t, 0, code, stderr)
			evs := maskEvents(t, stdout)
			for _, e := range evs {
				assert.Equal(t, c.channels == 2, e.Channel != nil)
			}
			checkMasked(t, in, out, evs, truth)
			st, err := os.Stat(out)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), st.Mode().Perm(), "OUT keeps IN's permissions")
			fm, masked := readWAV(t, out)
			for ch := range fm.Channels {
				x := channel(masked, fm.Channels, ch)
				assert.Empty(t, peers.Digits(peers.Spandsp(t, x, fm.SampleRate)), "spandsp, channel %d", ch)
				assert.Empty(t, peers.Digits(peers.Multimon(t, x, fm.SampleRate)), "multimon-ng, channel %d", ch)
			}
		})
	}
}

// TestMaskNoDTMFIdentical: recordings without key presses — recorded
// speech, synthetic music and held signals that resemble a key, in 16-bit,
// 24-bit and float — come out byte for byte identical, and nothing is
// printed.
func TestMaskNoDTMFIdentical(t *testing.T) {
	dir := t.TempDir()
	var speech []int16
	for i, p := range testenv.Speech(t) {
		if i%10 == 0 {
			speech = append(speech, p.PCM...)
		}
	}
	var music []int16
	for _, s := range soak.New(soak.Config{Seed: 3}).Segments() {
		if s.Kind == soak.Music || s.Kind == soak.Steady {
			music = append(music, s.PCM...)
		}
	}
	for name, pcm := range map[string][]int16{"speech": speech, "music": music} {
		for _, enc := range []wavfile.Encoding{wavfile.PCM16, wavfile.PCM24, wavfile.Float32, wavfile.ULaw} {
			in := filepath.Join(dir, name+"-"+enc.String()+".wav")
			var file bytes.Buffer
			require.NoError(t, wavfile.Write(&file, enc, 8000, 1, pcm))
			raw := file.Bytes()
			if enc == wavfile.PCM24 {
				// Low bytes a 16-bit path would lose.
				data := bytes.Index(raw, []byte("data")) + 8
				for i := data; i+3 <= len(raw); i += 3 {
					raw[i] = byte(i * 7)
				}
			}
			require.NoError(t, os.WriteFile(in, raw, 0o644))
			out := filepath.Join(dir, "out-"+filepath.Base(in))
			code, stdout, stderr := maskRun(t, in, out)
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stdout, "%s: no press to report", in)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(raw, got), "%s: OUT must be identical to IN", in)
		}
	}
	t.Logf("speech %.0f s, music %.0f s: unchanged", float64(len(speech))/8000, float64(len(music))/8000)
}

// TestMaskBatch: a directory and files into an output directory; bad
// inputs get one error line each and no OUT, the others are masked; a file
// cut short is masked as far as it goes and reported; no temporary file is
// left behind.
func TestMaskBatch(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	good := maskSignal(t, 8000, 5, "12")
	write := func(name string, b []byte) string {
		p := filepath.Join(src, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	var file bytes.Buffer
	require.NoError(t, wavfile.Write(&file, wavfile.PCM16, 8000, 1, good.PCM))
	full := file.Bytes()
	write("a.wav", full)
	write("b-empty.wav", nil)
	write("c-text.wav", []byte("hello, not a wave file at all"))
	write("d-cut.wav", full[:len(full)*3/4])
	write("e-96k.wav", append([]byte{}, full...))
	// Patch e's rate to 96 kHz: unsupported.
	e := filepath.Join(src, "e-96k.wav")
	eb, _ := os.ReadFile(e)
	binary.LittleEndian.PutUint32(eb[24:], 96000)
	binary.LittleEndian.PutUint32(eb[28:], 192000)
	require.NoError(t, os.WriteFile(e, eb, 0o644))
	write("notes.txt", []byte("ignored: not .wav"))
	extra := filepath.Join(t.TempDir(), "z.wav")
	require.NoError(t, os.WriteFile(extra, full, 0o644))

	code, stdout, stderr := maskRun(t, src, extra, filepath.Join(src, "missing.wav"), dst)
	assert.Equal(t, 1, code)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	require.Len(t, lines, 5, stderr)
	for i, want := range []string{"b-empty.wav: empty file", "c-text.wav: not a WAV file", "d-cut.wav: truncated", "e-96k.wav: sample rate 96000 Hz not supported", "missing.wav: no such file"} {
		assert.True(t, strings.HasPrefix(lines[i], "dtmf mask: "), lines[i])
		assert.Contains(t, lines[i], want)
	}
	evs := maskEvents(t, stdout)
	var sessions []string
	for _, e := range evs {
		sessions = append(sessions, e.Session)
	}
	assert.Equal(t, []string{"a", "a", "d-cut", "d-cut", "z", "z"}, sessions)
	entries, err := os.ReadDir(dst)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"a.wav", "d-cut.wav", "z.wav"}, names, "only the masked files, no temporary file")
	checkMasked(t, filepath.Join(src, "a.wav"), filepath.Join(dst, "a.wav"), evs[:2], [][]synth.Press{good.Presses})
	cut, err := os.ReadFile(filepath.Join(dst, "d-cut.wav"))
	require.NoError(t, err)
	assert.Len(t, cut, len(full)*3/4, "a truncated input is masked as far as it goes")
}

// TestMaskFailureLeavesNoOutput: an input that fails in the middle (a NaN
// in a float file, after a key press) gives an error line and no OUT at
// all, and an OUT already there from an earlier run is left as it was.
func TestMaskFailureLeavesNoOutput(t *testing.T) {
	dir := t.TempDir()
	sig := maskSignal(t, 8000, 6, "12")
	var file bytes.Buffer
	require.NoError(t, wavfile.Write(&file, wavfile.Float32, 8000, 1, sig.PCM))
	raw := file.Bytes()
	data := bytes.Index(raw, []byte("data")) + 8
	nan := 4 * (len(sig.PCM) * 2 / 3)
	binary.LittleEndian.PutUint32(raw[data+nan:], 0x7fc00000)
	in := filepath.Join(dir, "nan.wav")
	require.NoError(t, os.WriteFile(in, raw, 0o644))
	out := filepath.Join(dir, "out.wav")
	code, stdout, stderr := maskRun(t, in, out)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout, "no press reported for an OUT that was not written")
	assert.Contains(t, stderr, "non-finite")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no OUT")
	require.NoError(t, os.WriteFile(out, []byte("earlier"), 0o644))
	code, _, _ = maskRun(t, in, out)
	assert.Equal(t, 1, code)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "earlier", string(b))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file left behind")
}

// TestMaskFillNoise: with --fill noise the spans hold low-level noise, not
// silence, and everything else is as with silence.
func TestMaskFillNoise(t *testing.T) {
	dir := t.TempDir()
	sig := maskSignal(t, 8000, 9, "80")
	in := filepath.Join(dir, "in.wav")
	var file bytes.Buffer
	require.NoError(t, wavfile.Write(&file, wavfile.PCM16, 8000, 1, sig.PCM))
	require.NoError(t, os.WriteFile(in, file.Bytes(), 0o644))
	out := filepath.Join(dir, "out.wav")
	code, stdout, stderr := maskRun(t, "--fill", "noise", "--noise-level", "-55", in, out)
	require.Equal(t, 0, code, stderr)
	evs := maskEvents(t, stdout)
	checkMasked(t, in, out, evs, [][]synth.Press{sig.Presses})
	_, masked := readWAV(t, out)
	p := sig.Presses[0]
	var sq float64
	for _, v := range masked[p.Start:p.End] {
		sq += float64(v) * float64(v)
	}
	rms := sq / float64(p.End-p.Start)
	want := synth.Amplitude(-55) * synth.Amplitude(-55) / 2
	assert.InEpsilon(t, want, rms, 0.3, "noise power in the span")
}

func TestMaskUsage(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.wav")
	var file bytes.Buffer
	require.NoError(t, wavfile.Write(&file, wavfile.PCM16, 8000, 1, make([]int16, 800)))
	require.NoError(t, os.WriteFile(in, file.Bytes(), 0o644))
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"no args":           {nil, "want IN.wav OUT.wav"},
		"one arg":           {[]string{in}, "want IN.wav OUT.wav"},
		"many to a file":    {[]string{in, in, filepath.Join(dir, "x.wav")}, "is not a directory"},
		"dir to a file":     {[]string{dir, filepath.Join(dir, "x.wav")}, "is not a directory"},
		"stdin":             {[]string{"-", filepath.Join(dir, "x.wav")}, "stdin"},
		"bad fill":          {[]string{"--fill", "pink", in, filepath.Join(dir, "x.wav")}, "--fill"},
		"noise level alone": {[]string{"--noise-level", "-50", in, filepath.Join(dir, "x.wav")}, "--noise-level needs --fill noise"},
		"guard too long":    {[]string{"--guard", "20ms", in, filepath.Join(dir, "x.wav")}, "Guard"},
		"bad detector":      {[]string{"--min-level", "-70", in, filepath.Join(dir, "x.wav")}, "--min-level -70 dBm0: want a value in [-50, 0]"},
		"bad profile":       {[]string{"--profile", "x", in, filepath.Join(dir, "x.wav")}, "--profile \"x\": want balanced, talkoff, sensitive"},
		"unknown flag":      {[]string{"--frobnicate", in, filepath.Join(dir, "x.wav")}, "frobnicate"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := maskRun(t, c.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, c.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
		})
	}
	code, stdout, _ := maskRun(t, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "usage: dtmf mask")
	assert.Contains(t, stdout, "-fill")
	// OUT must not be IN.
	code, _, stderr := maskRun(t, in, in)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "is the input")
	// A smaller guard: the spans shrink with it.
	sig := maskSignal(t, 8000, 4, "6")
	file.Reset()
	require.NoError(t, wavfile.Write(&file, wavfile.PCM16, 8000, 1, sig.PCM))
	require.NoError(t, os.WriteFile(in, file.Bytes(), 0o644))
	_, wide, _ := maskRun(t, in, filepath.Join(dir, "w.wav"))
	_, narrow, _ := maskRun(t, "--guard", "1ms", in, filepath.Join(dir, "n.wav"))
	w, n := maskEvents(t, wide), maskEvents(t, narrow)
	require.Len(t, w, 1)
	require.Len(t, n, 1)
	assert.InDelta(t, w[0].DurationMS-8, n[0].DurationMS, 1)
}

// BenchmarkMask times dtmf mask on a 10-minute 8 kHz recording: a noise
// floor with a 16-key burst (80 ms on, 80 ms off: a card number) every
// 30 s. It times the whole command path — read, copy, suppress, patch,
// fsync, rename — in hours of audio per second.
func BenchmarkMask(b *testing.B) {
	dir := b.TempDir()
	g := synth.New(8000, 8)
	for len(g.Samples) < 8000*600 {
		g.Silence(27400)
		for i := range 16 {
			require.NoError(b, g.Add(synth.Tone{Digit: detector.Keys[i], Duration: 80, LowLevel: -10, HighLevel: -12, RandomPhase: true}))
			g.Silence(80)
		}
	}
	g.AddNoise(200)
	in := filepath.Join(dir, "in.wav")
	var file bytes.Buffer
	require.NoError(b, wavfile.Write(&file, wavfile.PCM16, 8000, 1, g.PCM()))
	require.NoError(b, os.WriteFile(in, file.Bytes(), 0o644))
	out := filepath.Join(dir, "out.wav")
	seconds := float64(len(g.Samples)) / 8000
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"mask", in, out}, nil, &stdout, &stderr); code != 0 {
			b.Fatal(stderr.String())
		}
	}
	b.ReportMetric(seconds/3600*float64(b.N)/b.Elapsed().Seconds(), "audio-h/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/float64(len(g.Samples)), "ns/sample")
}
