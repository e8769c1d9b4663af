package detector_test

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// updateSeeds rewrites the committed seed corpora of this package's fuzz
// targets (testdata/fuzz/Fuzz*/seed-*):
//
//	go test ./detector -run TestFuzzSeedCorpus -update-seeds
var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz seed files")

// fuzzConfigs are the detector configs a FuzzProcess input chooses from:
// the default, the most sensitive and fastest, the strictest, and the
// slowest.
var fuzzConfigs = []detector.Config{
	detector.DefaultConfig(),
	{SampleRate: 8000, MinLevel: -50, MaxNormalTwist: 20, MaxReverseTwist: 20, FrequencyTolerance: 5, MinRelativePeak: 0,
		MinEnergyShare: 0.1, MaxSecondHarmonic: 0, MaxResidual: 0, MaxThirdTone: 6, MaxPriorTone: 0, MinToneDuration: 10 * time.Millisecond, MinPause: 5 * time.Millisecond},
	{SampleRate: 8000, MinLevel: -20, MaxNormalTwist: 4, MaxReverseTwist: 2, FrequencyTolerance: 1.5, MinRelativePeak: 12,
		MinEnergyShare: 0.95, MaxSecondHarmonic: -15, MaxResidual: -30, MaxThirdTone: -20, MaxPriorTone: -30, MinToneDuration: 40 * time.Millisecond, MinPause: 40 * time.Millisecond},
	{SampleRate: 8000, MinLevel: -36, MaxNormalTwist: 8, MaxReverseTwist: 4, FrequencyTolerance: 2.2, MinRelativePeak: 6,
		MinEnergyShare: 0.45, MaxSecondHarmonic: -10, MaxResidual: -12, MaxThirdTone: -3, MaxPriorTone: -8, MinToneDuration: time.Second, MinPause: 500 * time.Millisecond},
}

// maxFuzzBytes caps the input a fuzz target reads (4 s of audio at 8 kHz):
// longer inputs cost time and explore nothing more.
const maxFuzzBytes = 64 << 10

// fuzzRates are the sample rates a fuzz input chooses from. Filter tables are
// cached per rate for the life of the process, so the fuzzers keep to a few.
var fuzzRates = [4]int{8000, 16000, 11025, 48000}

// checkEventStream checks what must hold for the events of any stream of n
// samples fed to a detector with cfg and then flushed:
//
//   - each event is a KeyDown or a KeyUp of one of the 16 keys; they
//     alternate, starting with a KeyDown, and each KeyUp has its KeyDown's
//     digit and start; nothing is left pending;
//   - events are ordered by At; At ≥ Start, and a KeyUp's At ≥ its End;
//   - presses do not overlap: a press starts at or after the previous one's
//     End; Start ≥ 0, and a KeyDown's At lies within the input, give or
//     take Flush's padding;
//   - End > Start, End - Start ≥ MinToneDuration (in samples), and
//     DurationMS is (End - Start) in ms rounded to nearest;
//   - KeyDown's End and DurationMS are 0; its levels and frequencies are
//     finite, levels at or above the decision (MinLevel - 3 dB) with a twist
//     within the limits (plus the 0.5 dB guard band), frequencies within
//     the tolerance.
func checkEventStream(t testing.TB, cfg detector.Config, ev []detector.Event, n int64) {
	t.Helper()
	rate := int64(cfg.SampleRate)
	minTone := int64(math.Round(cfg.MinToneDuration.Seconds() * float64(rate)))
	block := int64(math.Round(float64(rate) / 200))
	// Flush analyses the last partial block padded with zeros, then up to
	// keyUpWait/block + 6 blocks of zeros to release a held key.
	slack := int64(math.Round(cfg.MinPause.Seconds()*float64(rate))) + 12*block
	var (
		pending  *detector.Event
		lastAt   int64
		lastEnd  int64
		tol      = cfg.FrequencyTolerance/100 + 1e-4
		finite   = func(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }
		describe = func(i int) string { return fmt.Sprintf("event %d of %d: %+v", i, len(ev), ev[i]) }
	)
	for i := range ev {
		e := &ev[i]
		if !strings.Contains(detector.Keys, string(e.Digit)) || e.Digit == 0 {
			t.Fatalf("%s: digit outside the 16 keys", describe(i))
		}
		if e.At < lastAt {
			t.Fatalf("%s: At before the previous event's %d", describe(i), lastAt)
		}
		lastAt = e.At
		if e.At < e.Start || e.Start < 0 {
			t.Fatalf("%s: At before Start, or Start negative", describe(i))
		}
		switch e.Type {
		case detector.KeyDown:
			if pending != nil {
				t.Fatalf("%s: KeyDown while %c is down", describe(i), pending.Digit)
			}
			if e.Start < lastEnd {
				t.Fatalf("%s: press starts before the previous one ended at %d", describe(i), lastEnd)
			}
			if e.End != 0 || e.DurationMS != 0 {
				t.Fatalf("%s: KeyDown with End or DurationMS", describe(i))
			}
			if e.At > n+slack || e.At-e.Start < minTone {
				t.Fatalf("%s: KeyDown At outside [Start+MinTone, %d+%d]", describe(i), n, slack)
			}
			for _, v := range []float32{e.LowLevel, e.HighLevel, e.LowFreq, e.HighFreq} {
				if !finite(v) {
					t.Fatalf("%s: non-finite measurement", describe(i))
				}
			}
			if float64(e.LowLevel) < cfg.MinLevel-3.01 || float64(e.HighLevel) < cfg.MinLevel-3.01 {
				t.Fatalf("%s: level below the decision %v dBm0", describe(i), cfg.MinLevel-3)
			}
			if tw := float64(e.HighLevel - e.LowLevel); tw < -cfg.MaxNormalTwist-0.51 || tw > cfg.MaxReverseTwist+0.51 {
				t.Fatalf("%s: twist %.2f dB outside the limits", describe(i), tw)
			}
			lo, hi, _ := detector.KeyFrequencies(e.Digit)
			if math.Abs(float64(e.LowFreq)/lo-1) > tol || math.Abs(float64(e.HighFreq)/hi-1) > tol {
				t.Fatalf("%s: frequency outside ±%v %%", describe(i), cfg.FrequencyTolerance)
			}
			pending = e
		case detector.KeyUp:
			if pending == nil || pending.Digit != e.Digit || pending.Start != e.Start {
				t.Fatalf("%s: KeyUp without its KeyDown (%+v)", describe(i), pending)
			}
			d := e.End - e.Start
			if d < minTone || e.End > e.At || e.End > n+block {
				t.Fatalf("%s: End not in [Start+MinTone %d, min(At, input end %d + a block)]", describe(i), minTone, n)
			}
			if exact := float64(d) * 1000 / float64(rate); math.Abs(float64(e.DurationMS)-exact) > 0.5 {
				t.Fatalf("%s: DurationMS is not (End-Start) = %.3f ms rounded", describe(i), exact)
			}
			pending, lastEnd = nil, e.End
		default:
			t.Fatalf("%s: unknown type", describe(i))
		}
	}
	if pending != nil {
		t.Fatalf("KeyDown %+v never released after Flush", *pending)
	}
}

// samplesOf reads little-endian int16 samples from b (a trailing odd byte
// is ignored).
func samplesOf(b []byte) []int16 {
	x := make([]int16, len(b)/2)
	for i := range x {
		x[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return x
}

func bytesOf(x []int16) []byte {
	b := make([]byte, 2*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

// processSplit feeds pcm to d in frames whose lengths cycle through split
// (0 is an empty call); it checks that each call's events became known
// within the samples of that call, and returns the events after Flush.
func processSplit(t testing.TB, d *detector.Detector, pcm []int16, split []byte) []detector.Event {
	t.Helper()
	sum := 0
	for _, b := range split {
		sum += int(b)
	}
	if sum == 0 {
		split = []byte{1}
	}
	var ev []detector.Event
	for i, k := 0, 0; i < len(pcm); k++ {
		n := min(int(split[k%len(split)]), len(pcm)-i)
		before := d.Position()
		from := len(ev)
		ev = d.Process(ev, pcm[i:i+n])
		i += n
		if d.Position() != int64(i) {
			t.Fatalf("position %d after %d samples", d.Position(), i)
		}
		for _, e := range ev[from:] {
			if e.At <= before || e.At > d.Position() {
				t.Fatalf("event %+v reported by a call covering (%d, %d]", e, before, d.Position())
			}
		}
	}
	return d.Flush(ev)
}

// FuzzProcess feeds arbitrary samples (the bytes as little-endian int16) in
// arbitrary splits (frame lengths cycling through split, 0 meaning an empty
// call) at one of four rates (mode&3) with one of four configs (mode>>2:
// fuzzConfigs). Properties: the events satisfy
// checkEventStream; they are identical for the whole stream in one call and
// for the split one; each call reports only events its samples completed; a
// detector reused after Flush gives them again; and the same bytes read as
// G.711 through ProcessULaw and ProcessALaw give what Process gives for the
// expanded samples. Seeds (real DTMF at each rate, noise, clipping,
// interruptions) are in testdata/fuzz/FuzzProcess.
func FuzzProcess(f *testing.F) {
	f.Add([]byte{}, []byte{}, byte(0))
	f.Add(bytesOf(alternating(800, 1, 32767, -32768)), []byte{7, 80}, byte(0))
	f.Add(bytesOf(sines(8000, 1200, synth.Amplitude(-5), 770, 1336)), []byte{160}, byte(0))
	f.Fuzz(func(t *testing.T, data, split []byte, mode byte) {
		cfg := fuzzConfigs[(mode>>2)%byte(len(fuzzConfigs))]
		cfg.SampleRate = fuzzRates[mode&3]
		data = data[:min(len(data), maxFuzzBytes)]
		pcm := samplesOf(data)
		d, err := detector.New(cfg)
		require.NoError(t, err)
		whole := d.Flush(d.Process(nil, pcm))
		checkEventStream(t, cfg, whole, int64(len(pcm)))
		assert.Equal(t, whole, d.Flush(d.Process(nil, pcm)), "a detector reused after Flush")

		split2, err := detector.New(cfg)
		require.NoError(t, err)
		if got := processSplit(t, split2, pcm, split); !equalEvents(whole, got) {
			t.Fatalf("split %v changed the events:\nwhole %+v\nsplit %+v", split, whole, got)
		}

		lin := make([]int16, len(data))
		for _, c := range []struct {
			dec     func(byte) int16
			process func(*detector.Detector, []detector.Event, []byte) []detector.Event
		}{
			{g711.ULawToLinear, (*detector.Detector).ProcessULaw},
			{g711.ALawToLinear, (*detector.Detector).ProcessALaw},
		} {
			for i, b := range data {
				lin[i] = c.dec(b)
			}
			want := d.Flush(d.Process(nil, lin))
			got := c.process(split2, nil, data)
			if got = split2.Flush(got); !equalEvents(want, got) {
				t.Fatalf("G.711 path differs from its expansion:\nlinear %+v\ng711   %+v", want, got)
			}
		}
	})
}

// equalEvents compares event lists, an empty list equal to nil.
func equalEvents(a, b []detector.Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// floatSpecials are values a FuzzProcessFloat32 input can plant, with the
// 16-bit sample each must become; ok false marks the non-finite ones.
var floatSpecials = []struct {
	v  float32
	s  int16
	ok bool
}{
	{float32(math.NaN()), 0, false},
	{float32(math.Inf(1)), 0, false},
	{float32(math.Inf(-1)), 0, false},
	{math.Float32frombits(0x7fc00001), 0, false}, // a NaN with payload
	{math.Float32frombits(0xff800001), 0, false}, // a negative signalling NaN
	{1, 32767, true},
	{-1, -32768, true},
	{1.5, 32767, true},
	{-1e30, -32768, true},
	{math.MaxFloat32, 32767, true},
	{-math.MaxFloat32, -32768, true},
	{math.Float32frombits(1), 0, true}, // smallest subnormal
	{float32(math.Copysign(0, -1)), 0, true},
}

// FuzzProcessFloat32 feeds float samples: each pair of data bytes is a
// 16-bit value v, and the sample is (v + δ)/32768 with |δ| < 0.45 taken from
// the next byte, so that its 16-bit conversion is unambiguously v; each
// pair of bytes of specials plants one of floatSpecials (NaN, ±Inf, values
// beyond ±1, extremes, subnormals, -0) at a position. The samples go in two
// calls cut at cut. Properties: a call holding a non-finite sample fails
// with ErrNonFinite naming the first one, returns dst unchanged and
// consumes nothing — the detector then behaves exactly as one that never
// saw the call; a call without one succeeds and gives exactly the events
// of Process on the expected 16-bit samples.
func FuzzProcessFloat32(f *testing.F) {
	f.Add(bytesOf(sines(8000, 900, synth.Amplitude(-5), 941, 1477)), []byte{}, uint16(300))
	f.Add(bytesOf(sines(8000, 900, synth.Amplitude(-5), 941, 1477)), []byte{200, 0, 10, 1}, uint16(450))
	f.Add([]byte{1, 2, 3}, []byte{0, 5, 1, 6, 2, 7}, uint16(1))
	f.Fuzz(func(t *testing.T, data, specials []byte, cut uint16) {
		data = data[:min(len(data), maxFuzzBytes)]
		n := len(data) / 3
		x := make([]float32, n)
		want := make([]int16, n)
		finite := make([]bool, n)
		for i := range n {
			v := int16(binary.LittleEndian.Uint16(data[3*i:]))
			delta := float64(int8(data[3*i+2])) / 300 // |δ| < 0.43
			x[i] = float32((float64(v) + delta) / 32768)
			want[i], finite[i] = v, true
		}
		for i := 0; n > 0 && i+1 < len(specials); i += 2 {
			p, s := int(specials[i])*int(specials[i+1]+1)%n, floatSpecials[int(specials[i+1])%len(floatSpecials)]
			x[p], want[p], finite[p] = s.v, s.s, s.ok
		}
		k := int(cut) % (n + 1)
		d, err := detector.New(detector.DefaultConfig())
		require.NoError(t, err)
		twin, err := detector.New(detector.DefaultConfig())
		require.NoError(t, err)
		var got, ref []detector.Event
		for _, part := range [][2]int{{0, k}, {k, n}} {
			lo, hi := part[0], part[1]
			bad := -1
			for i := lo; i < hi; i++ {
				if !finite[i] {
					bad = i - lo
					break
				}
			}
			dst := append(make([]detector.Event, 0, len(got)+8), got...)
			pos := d.Position()
			out, err := d.ProcessFloat32(dst, x[lo:hi])
			if bad >= 0 {
				require.ErrorIs(t, err, detector.ErrNonFinite)
				assert.Contains(t, err.Error(), fmt.Sprintf("sample %d is", bad), "names the first non-finite sample")
				assert.NotContains(t, err.Error(), "\n")
				require.Equal(t, pos, d.Position(), "a rejected call consumes nothing")
				require.True(t, equalEvents(got, out), "dst returned unchanged")
				continue
			}
			require.NoError(t, err)
			got = out
			ref = twin.Process(ref, want[lo:hi])
			require.True(t, equalEvents(ref, got), "float path differs from the 16-bit samples")
			require.Equal(t, twin.Position(), d.Position())
		}
		// The tail: one more good stretch and the flush, both detectors.
		tail := sines(8000, 600, synth.Amplitude(-8), 697, 1209)
		got = d.Process(got, tail)
		ref = twin.Process(ref, tail)
		require.True(t, equalEvents(twin.Flush(ref), d.Flush(got)), "a rejected call left a trace")
	})
}

// configRanges lists Config's float fields with their documented ranges,
// in declaration order.
var configRanges = []struct {
	name   string
	get    func(*detector.Config) *float64
	lo, hi float64
}{
	{"MinLevel", func(c *detector.Config) *float64 { return &c.MinLevel }, -50, 0},
	{"MaxNormalTwist", func(c *detector.Config) *float64 { return &c.MaxNormalTwist }, 0, 20},
	{"MaxReverseTwist", func(c *detector.Config) *float64 { return &c.MaxReverseTwist }, 0, 20},
	{"FrequencyTolerance", func(c *detector.Config) *float64 { return &c.FrequencyTolerance }, 1.5, 5},
	{"MinRelativePeak", func(c *detector.Config) *float64 { return &c.MinRelativePeak }, 0, 12},
	{"MinEnergyShare", func(c *detector.Config) *float64 { return &c.MinEnergyShare }, 0.1, 0.95},
	{"MaxSecondHarmonic", func(c *detector.Config) *float64 { return &c.MaxSecondHarmonic }, -15, 0},
	{"MaxResidual", func(c *detector.Config) *float64 { return &c.MaxResidual }, -30, 0},
	{"MaxThirdTone", func(c *detector.Config) *float64 { return &c.MaxThirdTone }, -20, 6},
	{"MaxPriorTone", func(c *detector.Config) *float64 { return &c.MaxPriorTone }, -30, 0},
}

// inRange maps v into [lo, hi] by its fractional part (NaN and ±Inf to lo).
func inRange(v, lo, hi float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return lo
	}
	fr := math.Abs(v) - math.Floor(math.Abs(v))
	return lo + fr*(hi-lo)
}

// firstInvalid returns the name of the first Config field outside its
// documented range, or "".
func firstInvalid(c detector.Config) string {
	if c.SampleRate < 8000 || c.SampleRate > 48000 {
		return "SampleRate"
	}
	for _, r := range configRanges {
		if v := *r.get(&c); !(v >= r.lo && v <= r.hi) {
			return r.name
		}
	}
	if c.MinToneDuration < 10*time.Millisecond || c.MinToneDuration > time.Second {
		return "MinToneDuration"
	}
	if c.MinPause < 5*time.Millisecond || c.MinPause > 500*time.Millisecond {
		return "MinPause"
	}
	return ""
}

// FuzzConfig builds configs from arbitrary values; bit i of mask maps field
// i into its documented range first (the rate onto one of fuzzRates), so
// that both valid and invalid configs are explored. Properties: Validate
// and New never panic; they accept exactly the configs whose every field
// lies in its documented range; an error wraps ErrConfig, is one line and
// names the first field out of range; a valid config gives a detector
// that reports it back, whose events for a clean digit satisfy
// checkEventStream, and that finds that digit, with its duration to 3 ms,
// unless MinLevel is above -5 dBm0.
func FuzzConfig(f *testing.F) {
	d := detector.DefaultConfig()
	f.Add(d.SampleRate, d.MinLevel, d.MaxNormalTwist, d.MaxReverseTwist, d.FrequencyTolerance, d.MinRelativePeak,
		d.MinEnergyShare, d.MaxSecondHarmonic, d.MaxResidual, d.MaxThirdTone, d.MaxPriorTone, int64(d.MinToneDuration), int64(d.MinPause), uint16(0))
	f.Add(48000, 0.0, 20.0, 20.0, 5.0, 12.0, 0.95, 0.0, 0.0, 6.0, 0.0, int64(time.Second), int64(500*time.Millisecond), uint16(0))
	f.Add(8000, -50.0, 0.0, 0.0, 1.5, 0.0, 0.1, -15.0, -30.0, -20.0, -30.0, int64(10*time.Millisecond), int64(5*time.Millisecond), uint16(0))
	f.Add(7999, math.NaN(), math.Inf(1), -1.0, 1.49, 12.01, 0.0, 0.5, 0.01, -20.01, 0.01, int64(-1), int64(math.MaxInt64), uint16(0))
	f.Add(0, 1.25, 2.5, 3.75, 4.5, 5.5, 6.25, 7.75, 8.5, 9.5, 10.5, int64(8), int64(9), uint16(0xFFFF))
	f.Fuzz(func(t *testing.T, rate int, minLevel, normal, reverse, tol, relPeak, share, harm, resid, third, prior float64,
		minTone, minPause int64, mask uint16) {
		cfg := detector.Config{
			SampleRate: rate, MinLevel: minLevel, MaxNormalTwist: normal, MaxReverseTwist: reverse,
			FrequencyTolerance: tol, MinRelativePeak: relPeak, MinEnergyShare: share, MaxSecondHarmonic: harm,
			MaxResidual: resid, MaxThirdTone: third, MaxPriorTone: prior,
			MinToneDuration: time.Duration(minTone), MinPause: time.Duration(minPause),
		}
		if mask&1 != 0 {
			cfg.SampleRate = fuzzRates[uint(rate)%uint(len(fuzzRates))]
		}
		for i, r := range configRanges {
			if mask&(2<<i) != 0 {
				p := r.get(&cfg)
				*p = inRange(*p, r.lo, r.hi)
			}
		}
		if mask&(1<<11) != 0 {
			cfg.MinToneDuration = 10*time.Millisecond + time.Duration(uint64(minTone)%uint64(990*time.Millisecond+1))
		}
		if mask&(1<<12) != 0 {
			cfg.MinPause = 5*time.Millisecond + time.Duration(uint64(minPause)%uint64(495*time.Millisecond+1))
		}
		bad := firstInvalid(cfg)
		verr := cfg.Validate()
		if bad != "" {
			require.Error(t, verr, "field %s is out of range: %+v", bad, cfg)
			require.ErrorIs(t, verr, detector.ErrConfig)
			assert.NotContains(t, verr.Error(), "\n")
			assert.True(t, strings.HasPrefix(verr.Error(), "detector: invalid config: "+bad+" "), "%q names %s", verr, bad)
			det, err := detector.New(cfg)
			require.Nil(t, det)
			require.Equal(t, verr.Error(), err.Error())
			return
		}
		require.NoError(t, verr, "%+v", cfg)
		if !slices.Contains(fuzzRates[:], cfg.SampleRate) {
			// A valid rate outside fuzzRates: its tables take 20 ms to
			// build and are kept for good; Validate was the point.
			return
		}
		det, err := detector.New(cfg)
		require.NoError(t, err)
		require.Equal(t, cfg, det.Config())
		require.Equal(t, cfg.SampleRate, det.SampleRate())
		require.Equal(t, int(math.Round(float64(cfg.SampleRate)/200)), det.BlockSize())
		// A clean digit 1 dB above the floor (at least -10 dBm0), lasting the
		// minimum tone plus 80 ms, after 50 ms of silence.
		level := max(cfg.MinLevel+1, -10)
		s := synth.New(cfg.SampleRate, 1)
		s.Silence(50)
		require.NoError(t, s.Add(synth.Tone{Digit: '5', Duration: float64(cfg.MinToneDuration.Milliseconds()) + 80,
			LowLevel: level, HighLevel: level, LowPhase: 1, HighPhase: 2}))
		s.Silence(float64(cfg.MinPause.Milliseconds()) + 100)
		pcm := s.PCM()
		ev := det.Flush(det.Process(nil, pcm))
		checkEventStream(t, cfg, ev, int64(len(pcm)))
		// Below about -18 dB the second-harmonic check rejects clean
		// digits too; and with a floor above -5 dBm0 a digit at it clips
		// (two tones at -3 dBm0 reach full scale). Elsewhere every valid
		// config must find this one.
		if cfg.MinLevel <= -5 {
			ups := keyUps(ev)
			require.Len(t, ups, 1, "%+v", cfg)
			assert.Equal(t, byte('5'), ups[0].Digit)
			assert.InDelta(t, cfg.MinToneDuration.Milliseconds()+80, ups[0].DurationMS, 3)
		}
	})
}

// corpusFile encodes one seed in the format of go test's fuzz corpus.
func corpusFile(vals ...any) []byte {
	var b bytes.Buffer
	b.WriteString("go test fuzz v1\n")
	for _, v := range vals {
		switch v := v.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case byte:
			fmt.Fprintf(&b, "byte(%q)\n", v)
		case uint16, int, int64, float64:
			fmt.Fprintf(&b, "%T(%v)\n", v, v)
		default:
			panic(fmt.Sprintf("corpusFile: %T", v))
		}
	}
	return b.Bytes()
}

// fuzzSeeds returns the committed seed files of this package's fuzz
// targets by path below testdata/fuzz: real DTMF so that the fuzzers start
// from detections, at each rate, with interruptions, noise and clipping.
func fuzzSeeds() map[string][]byte {
	seeds := map[string][]byte{}
	sig := func(rate int, seed uint64, build func(s *synth.Signal)) []byte {
		s := synth.New(rate, seed)
		s.Silence(20)
		build(s)
		return bytesOf(s.PCM())
	}
	key := func(d byte, ms, lv float64) synth.Tone {
		return synth.Tone{Digit: d, Duration: ms, LowLevel: lv, HighLevel: lv - 1, RandomPhase: true}
	}
	two := sig(8000, 1, func(s *synth.Signal) {
		s.Add(key('5', 50, -10))
		s.Silence(40)
		s.Add(key('#', 42, -20))
		s.Silence(45)
	})
	seeds["FuzzProcess/seed-5-hash-8k"] = corpusFile(two, []byte{160}, byte(0))
	seeds["FuzzProcess/seed-5-hash-8k-split"] = corpusFile(two, []byte{1, 7, 0, 237, 80}, byte(0))
	// A press, a 20 ms pause and a 10 ms re-burst ending on a block
	// boundary, then digital silence (see TestEdgeBlockAlignedReburst).
	reburst := synth.New(8000, 9)
	reburst.Silence(40)
	reburst.Add(synth.Tone{Digit: '5', Duration: 100, LowLevel: -10, HighLevel: -10})
	reburst.Silence(20)
	reburst.Add(synth.Tone{Digit: '5', Duration: 10, LowLevel: -10, HighLevel: -10})
	reburst.Silence(300)
	seeds["FuzzProcess/seed-5-reburst-aligned"] = corpusFile(bytesOf(reburst.PCM()), []byte{160}, byte(0))
	seeds["FuzzProcess/seed-8-interrupted"] = corpusFile(sig(8000, 2, func(s *synth.Signal) {
		t := key('8', 90, -12)
		t.Gaps = [][2]float64{{40, 15}}
		s.Add(t)
		s.Silence(45)
	}), []byte{33}, byte(0))
	seeds["FuzzProcess/seed-star-noise"] = corpusFile(sig(8000, 3, func(s *synth.Signal) {
		s.Add(key('*', 60, -15))
		s.Silence(40)
		s.AddNoise(noisePower(-15, 12))
	}), []byte{80, 80, 3}, byte(0))
	seeds["FuzzProcess/seed-7-clipped"] = corpusFile(sig(8000, 4, func(s *synth.Signal) {
		s.Add(key('7', 55, 6))
		s.Silence(40)
	}), []byte{160}, byte(0))
	seeds["FuzzProcess/seed-D-16k"] = corpusFile(sig(16000, 5, func(s *synth.Signal) {
		s.Add(key('D', 45, -8))
		s.Silence(40)
	}), []byte{255, 65}, byte(1))
	seeds["FuzzProcess/seed-0-11k"] = corpusFile(sig(11025, 6, func(s *synth.Signal) {
		s.Add(key('0', 45, -8))
		s.Silence(40)
	}), []byte{220}, byte(2))
	seeds["FuzzProcess/seed-A-48k"] = corpusFile(sig(48000, 7, func(s *synth.Signal) {
		s.Add(key('A', 41, -8))
		s.Silence(35)
	}), []byte{255, 255, 17}, byte(3))

	// FuzzProcessFloat32 reads 3 bytes per sample: value and offset.
	three := func(pcm []byte) []byte {
		var b []byte
		for i := 0; i+1 < len(pcm); i += 2 {
			b = append(b, pcm[i], pcm[i+1], byte(i*37))
		}
		return b
	}
	f := three(sig(8000, 8, func(s *synth.Signal) {
		s.Add(key('3', 50, -9))
		s.Silence(40)
	}))
	seeds["FuzzProcessFloat32/seed-3"] = corpusFile(f, []byte{}, uint16(333))
	seeds["FuzzProcessFloat32/seed-3-nan-late"] = corpusFile(f, []byte{250, 1, 7, 5}, uint16(640))
	seeds["FuzzProcessFloat32/seed-3-inf-early"] = corpusFile(f, []byte{9, 0, 30, 8}, uint16(640))

	def := detector.DefaultConfig()
	seeds["FuzzConfig/seed-default"] = corpusFile(def.SampleRate, def.MinLevel, def.MaxNormalTwist, def.MaxReverseTwist,
		def.FrequencyTolerance, def.MinRelativePeak, def.MinEnergyShare, def.MaxSecondHarmonic, def.MaxResidual, def.MaxThirdTone,
		def.MaxPriorTone, int64(def.MinToneDuration), int64(def.MinPause), uint16(0))
	seeds["FuzzConfig/seed-mapped"] = corpusFile(3, -7.3, 1.6, 2.2, 0.4, 0.6, 0.55, 3.3, 0.25, 0.75, 0.5,
		int64(4e8), int64(3e7), uint16(0x1FFF))
	seeds["FuzzConfig/seed-bad-last"] = corpusFile(16000, -36.0, 8.0, 4.0, 2.2, 6.0, 0.75, -10.0, -12.0, -3.0, -8.0,
		int64(25*time.Millisecond), int64(501*time.Millisecond), uint16(0))
	// Found by the fuzzer: the same stuck key at 11025 Hz with a 1 s
	// minimum tone and the most sensitive checks.
	seeds["FuzzConfig/seed-stuck-key-11k"] = corpusFile(48254, -63.0, 20.0, 20.0, 5.0, -58.0, 0.10555555555555556, -11.25, 0.0, 6.0, 0.0,
		int64(999999913), int64(499999891), uint16(99))
	return seeds
}

// The committed seed corpora are what fuzzSeeds generates (rewrite them with
// -update-seeds), so the fuzzers always start from real DTMF.
func TestFuzzSeedCorpus(t *testing.T) {
	for name, want := range fuzzSeeds() {
		path := filepath.Join("testdata", "fuzz", filepath.FromSlash(name))
		if *updateSeeds {
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, want, 0o644))
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./detector -run TestFuzzSeedCorpus -update-seeds")
		assert.Equal(t, string(want), string(got), "%s is stale", path)
	}
}
