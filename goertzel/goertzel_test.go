package goertzel

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/dsp/fourier"
)

var dtmf = []float64{697, 770, 852, 941, 1209, 1336, 1477, 1633}

// dft is the textbook sum, in float64.
func dft(x []float64, f, fs float64) complex128 {
	var s complex128
	for n, v := range x {
		s += complex(v, 0) * cmplx.Rect(1, -2*math.Pi*f*float64(n)/fs)
	}
	return s
}

func randomBlock(r *rand.Rand, n int) ([]int16, []float64) {
	x := make([]int16, n)
	f := make([]float64, n)
	for i := range x {
		x[i] = int16(r.IntN(65536) - 32768)
		f[i] = float64(x[i])
	}
	return x, f
}

// Filter (Goertzel recurrence) equals the plain DFT at any frequency.
func TestFilterMatchesDFT(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		rate float64
		n    int
		f    float64
	}{{8000, 205, 697}, {8000, 102, 1633.3}, {16000, 40, 1000}, {44100, 1000, 3.7}, {48000, 1, 12000.5}} {
		_, x := randomBlock(r, c.n)
		flt, err := NewFilter(c.f, c.rate)
		require.NoError(t, err)
		want := dft(x, c.f, c.rate)
		got := flt.BlockDFT(x)
		scale := math.Sqrt(float64(c.n)) * 32768
		assert.InDelta(t, real(want), real(got), 1e-9*scale, "%v", c)
		assert.InDelta(t, imag(want), imag(got), 1e-9*scale, "%v", c)
		assert.InDelta(t, cmplx.Abs(want)*cmplx.Abs(want), flt.BlockPower(x), 1e-9*scale*scale)
	}
}

// Splitting a block across Update calls changes nothing.
func TestFilterStreaming(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	_, x := randomBlock(r, 301)
	flt, err := NewFilter(1209, 8000)
	require.NoError(t, err)
	var st State
	for i := 0; i < len(x); i += 7 {
		flt.Update(&st, x[i:min(i+7, len(x))])
	}
	assert.Equal(t, flt.BlockPower(x), flt.Power(&st))
	assert.Equal(t, flt.BlockDFT(x), flt.DFT(&st))
	assert.Equal(t, complex128(0), flt.DFT(&State{}))
}

// At integer bins the bank equals gonum's FFT.
func TestBankMatchesGonumFFT(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	const n = 256
	fft := fourier.NewFFT(n)
	xi, xf := randomBlock(r, n)
	coeff := fft.Coefficients(nil, xf)
	var freqs []float64
	bins := []int{1, 7, 22, 23, 64, 100, 127}
	for _, k := range bins {
		freqs = append(freqs, float64(k)*8000/n)
	}
	b, err := NewBank(8000, n, freqs)
	require.NoError(t, err)
	got, err := b.Transform(nil, xi)
	require.NoError(t, err)
	for i, k := range bins {
		// float32 accumulation: relative error ~1e-6 of the block's scale.
		tol := 2e-5 * 32768 * n
		assert.InDelta(t, real(coeff[k]), real(got[i]), tol, "bin %d", k)
		assert.InDelta(t, imag(coeff[k]), imag(got[i]), tol, "bin %d", k)
	}
}

// Off-bin, the bank gives the analytic value of a synthesized sine:
// X = (A/2)·(e^{iφ}·D(f-f_k) + e^{-iφ}·D(-f-f_k)), D(Δ) = Σ e^{i2πΔn/fs}.
func TestBankAnalyticSine(t *testing.T) {
	for _, rate := range []float64{8000, 11025, 48000} {
		n := int(rate / 200)
		b, err := NewBank(rate, n, dtmf)
		require.NoError(t, err)
		for _, c := range []struct{ f, amp, phase float64 }{{697, 10000, 0.3}, {1240.7, 3000, 2}, {941 * 1.02, 20000, -1}} {
			x := make([]int16, n)
			for i := range x {
				x[i] = int16(math.Round(c.amp * math.Cos(2*math.Pi*c.f*float64(i)/rate+c.phase)))
			}
			got, err := b.Transform(nil, x)
			require.NoError(t, err)
			for k, fk := range dtmf {
				d := func(delta float64) complex128 {
					var s complex128
					for i := range n {
						s += cmplx.Rect(1, 2*math.Pi*delta*float64(i)/rate)
					}
					return s
				}
				want := complex(c.amp/2, 0) * (cmplx.Rect(1, c.phase)*d(c.f-fk) + cmplx.Rect(1, -c.phase)*d(-c.f-fk))
				// Rounding x to integers adds at most 0.5·n to |X|.
				assert.InDelta(t, 0, cmplx.Abs(want-complex128(got[k])), 0.5*float64(n)+1e-3*c.amp*float64(n), "rate %v f %v k %d", rate, c.f, k)
				// Response agrees with the same model.
				r := complex(c.amp/2, 0) * (cmplx.Rect(1, c.phase)*b.Response(k, c.f) + cmplx.Rect(1, -c.phase)*b.Response(k, -c.f))
				assert.InDelta(t, 0, cmplx.Abs(want-r), 1e-3*c.amp*float64(n))
			}
		}
	}
}

// The assembly kernel, where there is one, and the pure-Go kernel agree bit
// for bit, at every block length.
func TestKernelsBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	b, err := NewBank(8000, 300, dtmf)
	require.NoError(t, err)
	t.Logf("kernel: %s", kernelName())
	for n := range 301 {
		x, _ := randomBlock(r, n)
		var fast, ref [accWidth]float32
		accumulate(&fast, b.table, x)
		accumulateGeneric(&ref, b.table, x)
		require.Equal(t, ref, fast, "n=%d", n)
	}
	// The fused transform kernel equals accumulate-then-reduce.
	for n := range 301 {
		x, _ := randomBlock(r, n)
		var fast, ref [rowWidth]float32
		transform(&fast, b.table, x)
		transformGeneric(&ref, b.table, x)
		require.Equal(t, ref, fast, "transform n=%d", n)
		var acc [accWidth]float32
		accumulateGeneric(&acc, b.table, x)
		for j := range ref {
			require.Equal(t, combine(&acc, j), ref[j])
		}
	}
	// And TransformOne is Transform's value for one frequency.
	x, _ := randomBlock(r, 300)
	all, err := b.Transform(nil, x)
	require.NoError(t, err)
	for k := range dtmf {
		one, err := b.TransformOne(k, x)
		require.NoError(t, err)
		assert.Equal(t, all[k], one, "k=%d", k)
	}
}

// A nulled bank does not respond to its nulls, keeps its gain at its own
// frequency, and stays close to the DFT elsewhere.
func TestNulledBank(t *testing.T) {
	nulls := make([][]float64, 8)
	for k := range 8 {
		if k < 4 {
			nulls[k] = append([]float64{0}, dtmf[4:]...)
		} else {
			nulls[k] = append([]float64{0}, dtmf[:4]...)
		}
	}
	b, err := NewNulledBank(8000, 40, dtmf, nulls)
	require.NoError(t, err)
	plain, err := NewBank(8000, 40, dtmf)
	require.NoError(t, err)
	for k, f := range dtmf {
		assert.InDelta(t, 40, real(b.Response(k, f)), 1e-3)
		assert.InDelta(t, 0, imag(b.Response(k, f)), 1e-3)
		for _, g := range nulls[k] {
			assert.Less(t, cmplx.Abs(b.Response(k, g)), 1e-3, "filter %v at null %v", f, g)
			assert.Less(t, cmplx.Abs(b.Response(k, -g)), 1e-3)
		}
		assert.Greater(t, cmplx.Abs(plain.Response(k, nulls[k][1])), 0.5, "the plain filter does leak")
		ng := b.NoiseGain(k)
		assert.GreaterOrEqual(t, ng, 1.0)
		assert.Less(t, ng, 1.5, "filter %v", f)
		assert.InDelta(t, 1, plain.NoiseGain(k), 1e-6)
	}
}

func TestBankErrors(t *testing.T) {
	for _, c := range []struct {
		rate  float64
		n     int
		freqs []float64
		nulls [][]float64
		want  error
	}{
		{0, 40, dtmf, nil, ErrSampleRate},
		{math.NaN(), 40, dtmf, nil, ErrSampleRate},
		{math.Inf(1), 40, dtmf, nil, ErrSampleRate},
		{8000, 0, dtmf, nil, ErrBlockSize},
		{8000, MaxBlockSize + 1, dtmf, nil, ErrBlockSize},
		{8000, 40, nil, nil, ErrFrequencyCount},
		{8000, 40, make([]float64, MaxFrequencies+1), nil, ErrFrequencyCount},
		{8000, 40, []float64{4000}, nil, ErrFrequency},
		{8000, 40, []float64{0}, nil, ErrFrequency},
		{8000, 40, []float64{-5}, nil, ErrFrequency},
		{8000, 40, []float64{math.NaN()}, nil, ErrFrequency},
		{8000, 40, []float64{697}, [][]float64{{5000}}, ErrFrequency},
		{8000, 40, []float64{697}, [][]float64{{1}, {2}}, ErrFrequencyCount},
		{8000, 8, []float64{697}, [][]float64{{100, 300, 500, 900, 1100, 1300, 1500, 1700}}, ErrFrequency},
	} {
		_, err := NewNulledBank(c.rate, c.n, c.freqs, c.nulls)
		assert.ErrorIs(t, err, c.want, "%v", c)
	}
	_, err := NewFilter(5000, 8000)
	assert.ErrorIs(t, err, ErrFrequency)
	_, err = NewFilter(1000, -1)
	assert.ErrorIs(t, err, ErrSampleRate)

	b, err := NewBank(8000, 40, dtmf)
	require.NoError(t, err)
	dst := []complex64{1}
	got, err := b.Transform(dst, make([]int16, 41))
	assert.ErrorIs(t, err, ErrBlockSize)
	assert.Equal(t, dst, got, "dst unchanged on error")
	_, err = b.TransformOne(0, make([]int16, 41))
	assert.ErrorIs(t, err, ErrBlockSize)
	// A short block is a zero-padded one.
	short, err := b.Transform(nil, []int16{100, -200, 300})
	require.NoError(t, err)
	long, err := b.Transform(nil, append([]int16{100, -200, 300}, make([]int16, 37)...))
	require.NoError(t, err)
	assert.Equal(t, long, short)
}

func TestBankAllocs(t *testing.T) {
	b, err := NewBank(8000, 40, dtmf)
	require.NoError(t, err)
	x := make([]int16, 40)
	dst := make([]complex64, 0, 8)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		dst, _ = b.Transform(dst[:0], x)
	}))
	assert.Equal(t, 40, b.BlockSize())
	assert.Equal(t, 8000.0, b.SampleRate())
	assert.Equal(t, 8, b.Len())
	assert.Equal(t, 1633.0, b.Frequency(7))
}

func BenchmarkBank(b *testing.B) {
	for _, c := range []struct {
		rate  int
		block int
		n     int
	}{{8000, 40, 8}, {8000, 205, 8}, {8000, 40, 16}, {48000, 240, 8}} {
		b.Run(fmt.Sprintf("rate=%d/block=%d/freqs=%d", c.rate, c.block, c.n), func(b *testing.B) {
			freqs := make([]float64, c.n)
			for i := range freqs {
				freqs[i] = 300 + 200*float64(i)
			}
			bank, err := NewBank(float64(c.rate), c.block, freqs)
			require.NoError(b, err)
			x, _ := randomBlock(rand.New(rand.NewPCG(1, 1)), c.block)
			dst := make([]complex64, 0, c.n)
			b.SetBytes(int64(2 * c.block))
			b.ReportAllocs()
			for b.Loop() {
				dst, _ = bank.Transform(dst[:0], x)
			}
			nsPerSample := float64(b.Elapsed().Nanoseconds()) / float64(b.N*c.block)
			b.ReportMetric(nsPerSample, "ns/sample")
			b.ReportMetric(1e9/(nsPerSample*float64(c.rate)), "channels/core")
		})
	}
}

func BenchmarkFilter(b *testing.B) {
	flt, err := NewFilter(697, 8000)
	require.NoError(b, err)
	_, x := randomBlock(rand.New(rand.NewPCG(1, 1)), 205)
	b.ReportAllocs()
	for b.Loop() {
		flt.BlockPower(x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/sample")
}
