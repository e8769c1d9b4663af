package goertzel

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Transform8 gives Transform's values, and their powers as float32(re·re)
// + float32(im·im), bit for bit, whichever kernel runs: every kernel this
// CPU has is forced in turn (withKernels) on random blocks of every length
// the detector uses and of lengths no vector kernel takes.
func TestTransform8BitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, n := range []int{1, 7, 8, 16, 40, 44, 80, 160, 220, 240, 300} {
		b, err := NewBank(8000, n, dtmf)
		require.NoError(t, err)
		for range 50 {
			x, _ := randomBlock(r, n)
			want, err := b.Transform(nil, x)
			require.NoError(t, err)
			var first [8]complex64
			var firstPow [8]float32
			withKernels(t, func(name string) {
				var got [8]complex64
				var pow [8]float32
				require.NoError(t, b.Transform8(&got, &pow, x))
				for k := range 8 {
					require.Equal(t, want[k], got[k], "%s n=%d k=%d", name, n, k)
					re, im := real(want[k]), imag(want[k])
					require.Equal(t, float32(re*re)+float32(im*im), pow[k], "%s n=%d k=%d", name, n, k)
				}
				if name == "generic" {
					first, firstPow = got, pow
				} else {
					assert.Equal(t, first, got)
					assert.Equal(t, firstPow, pow)
				}
			})
		}
	}
}

func TestTransform8Errors(t *testing.T) {
	b, err := NewBank(8000, 40, dtmf)
	require.NoError(t, err)
	var dst [8]complex64
	var pow [8]float32
	assert.True(t, errors.Is(b.Transform8(&dst, &pow, make([]int16, 39)), ErrBlockSize))
	assert.True(t, errors.Is(b.Transform8(&dst, &pow, make([]int16, 41)), ErrBlockSize))
	big, err := NewBank(8000, 40, append(append([]float64{}, dtmf...), 2000))
	require.NoError(t, err)
	assert.True(t, errors.Is(big.Transform8(&dst, &pow, make([]int16, 40)), ErrFrequencyCount))
	assert.Equal(t, [8]complex64{}, dst, "dst unchanged on error")
}

// A bank of fewer than 8 frequencies leaves the other values 0.
func TestTransform8Short(t *testing.T) {
	b, err := NewBank(8000, 40, dtmf[:3])
	require.NoError(t, err)
	x, _ := randomBlock(rand.New(rand.NewPCG(9, 9)), 40)
	var dst [8]complex64
	var pow [8]float32
	withKernels(t, func(string) {
		dst = [8]complex64{1, 1, 1, 1, 1, 1, 1, 1}
		require.NoError(t, b.Transform8(&dst, &pow, x))
		want, _ := b.Transform(nil, x)
		assert.Equal(t, want, dst[:3])
		assert.Equal(t, make([]complex64, 5), dst[3:])
		assert.Equal(t, make([]float32, 5), pow[3:])
	})
}

func BenchmarkTransform8(b *testing.B) {
	bank, err := NewBank(8000, 40, dtmf)
	require.NoError(b, err)
	x, _ := randomBlock(rand.New(rand.NewPCG(1, 2)), 40)
	var dst [8]complex64
	var pow [8]float32
	withKernels(b, func(name string) {
		b.Run("kernel="+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = bank.Transform8(&dst, &pow, x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/sample")
		})
	})
}

// GatedTransform8's energy is Σx² − (Σx)²/n computed as documented, and
// the transform runs exactly when it reaches the gate: at E itself, not
// one float32 step above it. Every kernel gives the same bits.
func TestGatedTransform8(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	for _, n := range []int{8, 40, 44, 80, 240} {
		b, err := NewBank(8000, n, dtmf)
		require.NoError(t, err)
		for i := range 200 {
			x, _ := randomBlock(r, n)
			switch i % 4 {
			case 1: // constant: E = 0
				for j := range x {
					x[j] = -32768
				}
			case 2: // quiet
				for j := range x {
					x[j] = int16(r.IntN(7) - 3)
				}
			}
			var sum, sq int64
			for _, v := range x {
				v := int64(max(v, -32767))
				sum, sq = sum+v, sq+v*v
			}
			want := float32(float64(int64(n)*sq-sum*sum) / float64(n))
			values, err := b.Transform(nil, x)
			require.NoError(t, err)
			withKernels(t, func(name string) {
				for _, c := range []struct {
					gate float32
					ok   bool
				}{
					{want, true}, {math.Nextafter32(want, float32(math.Inf(1))), false},
					{math.Nextafter32(want, float32(math.Inf(-1))), true}, {float32(math.Inf(1)), false}, {float32(math.NaN()), false},
				} {
					dst := [8]complex64{7}
					pow := [8]float32{7}
					e, ok, err := b.GatedTransform8(&dst, &pow, x, c.gate)
					require.NoError(t, err)
					require.Equal(t, math.Float32bits(want), math.Float32bits(e), "%s n=%d energy", name, n)
					require.Equal(t, c.ok, ok, "%s n=%d gate %v energy %v", name, n, c.gate, e)
					if ok {
						require.Equal(t, values, dst[:], "%s n=%d", name, n)
					} else {
						require.Equal(t, [8]complex64{7}, dst, "%s: dst untouched below the gate", name)
						require.Equal(t, [8]float32{7}, pow, "%s: pow untouched below the gate", name)
					}
				}
			})
		}
	}
}
