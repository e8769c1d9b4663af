package goertzel

import (
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"github.com/dtmfkit/dtmf/internal/simd"
)

const (
	// MaxFrequencies is the largest number of frequencies a [Bank] evaluates.
	MaxFrequencies = 64
	// MaxBlockSize is the largest block a [Bank] is built for, in samples.
	MaxBlockSize = 1 << 16

	lanes    = 8               // frequencies per kernel group
	rowWidth = 2 * lanes       // float32 values per sample per group: cos×8, -sin×8
	sets     = 4               // accumulator sets: sample n goes to set n mod 4
	accWidth = sets * rowWidth // accumulators per group
)

// Bank evaluates a fixed set of frequencies over blocks of a fixed size: for
// each frequency f_k it returns X_k = Σ x[n]·exp(-i·2π·f_k·n/fs). It is built
// once by [NewBank], is immutable, and is safe for concurrent use: share one
// Bank between all channels that use the same rate, block size and
// frequencies.
//
// Its table holds 2·8·⌈K/8⌉·BlockSize float32 values (2.5 KiB for 8
// frequencies and 40-sample blocks).
type Bank struct {
	rate   float64
	size   int
	freqs  []float64
	groups int
	// table[g][n] is row n of group g: the real parts of the kernels h_k[n]
	// of the group's 8 filters, then their imaginary parts (for a DFT
	// filter, cos(ω_k·n) and -sin(ω_k·n)). Unused lanes are zero.
	table []float32
}

// NewBank builds a bank for blockSize-sample blocks at sampleRate [Hz] and the
// given frequencies [Hz], each strictly between 0 and sampleRate/2: filter k
// computes the DFT value X_k = Σ x[n]·exp(-i·2π·f_k·n/fs). It fails with
// [ErrSampleRate], [ErrBlockSize], [ErrFrequencyCount] or [ErrFrequency]
// (wrapped, naming the value). The frequencies are copied.
func NewBank(sampleRate float64, blockSize int, freqs []float64) (*Bank, error) {
	return NewNulledBank(sampleRate, blockSize, freqs, nil)
}

// NewNulledBank is [NewBank] with interference nulls: filter k does not
// respond at all to a tone at any frequency in nulls[k] (given as positive
// frequencies, or 0 for DC; both exp(±i·2π·f·n/fs) are nulled). Its kernel is the DFT
// kernel with its components along those tones projected out (least-squares
// closest to the DFT kernel), rescaled so that a tone exactly at f_k still
// gives X_k = BlockSize. A short block cannot resolve two tones a few bins
// apart; nulls let it measure one tone while another, at a known frequency,
// is much stronger. nulls may be nil or shorter than freqs; frequencies in
// nulls must lie in [0, sampleRate/2). A null at f_k itself removes only its
// image exp(-i·2π·f_k·n/fs), the negative-frequency half of a real tone at
// f_k, which otherwise ripples through the filter's output. Nulls cost
// nothing at run time, but widen the filter's response elsewhere: see
// [Bank.Response] and [Bank.NoiseGain]. A null at 0 Hz removes DC.
func NewNulledBank(sampleRate float64, blockSize int, freqs []float64, nulls [][]float64) (*Bank, error) {
	if err := checkRate(sampleRate); err != nil {
		return nil, err
	}
	if blockSize < 1 || blockSize > MaxBlockSize {
		return nil, fmt.Errorf("%w: %d samples: want a value in [1, %d]", ErrBlockSize, blockSize, MaxBlockSize)
	}
	if len(freqs) == 0 || len(freqs) > MaxFrequencies {
		return nil, fmt.Errorf("%w: %d: want a value in [1, %d]", ErrFrequencyCount, len(freqs), MaxFrequencies)
	}
	if len(nulls) > len(freqs) {
		return nil, fmt.Errorf("%w: null lists for %d filters, bank has %d", ErrFrequencyCount, len(nulls), len(freqs))
	}
	for k, f := range freqs {
		if err := checkFreq(f, sampleRate); err != nil {
			return nil, err
		}
		if k < len(nulls) {
			for _, g := range nulls[k] {
				if g != 0 {
					if err := checkFreq(g, sampleRate); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	b := &Bank{
		rate:   sampleRate,
		size:   blockSize,
		freqs:  append([]float64(nil), freqs...),
		groups: (len(freqs) + lanes - 1) / lanes,
	}
	b.table = make([]float32, b.groups*blockSize*rowWidth)
	for k, f := range freqs {
		var kernel []complex128
		if k < len(nulls) && len(nulls[k]) > 0 {
			var err error
			if kernel, err = nulledKernel(f, nulls[k], sampleRate, blockSize); err != nil {
				return nil, fmt.Errorf("%w: filter %d at %v Hz: %w", ErrFrequency, k, f, err)
			}
		} else {
			kernel = dftKernel(f, sampleRate, blockSize)
		}
		g, lane := k/lanes, k%lanes
		rows := b.table[g*blockSize*rowWidth:]
		for n, c := range kernel {
			rows[n*rowWidth+lane] = float32(real(c))
			rows[n*rowWidth+lanes+lane] = float32(imag(c))
		}
	}
	return b, nil
}

// tone returns exp(i·2π·f·n/fs) for n < size, with f·n reduced modulo fs
// before scaling so that the phase stays exact for long blocks.
func tone(f, fs float64, size int) []complex128 {
	v := make([]complex128, size)
	for n := range size {
		s, c := math.Sincos(2 * math.Pi * math.Mod(f*float64(n), fs) / fs)
		v[n] = complex(c, s)
	}
	return v
}

// dftKernel returns exp(-i·2π·f·n/fs).
func dftKernel(f, fs float64, size int) []complex128 {
	v := tone(f, fs, size)
	for n := range v {
		v[n] = cmplx.Conj(v[n])
	}
	return v
}

// nulledKernel returns the kernel h closest to the DFT kernel of f with
// Σ h[n]·exp(±i·2π·g·n/fs) = 0 for every g in nulls, scaled so that
// Σ h[n]·exp(i·2π·f·n/fs) = size. With h = conj(v), the conditions say v is
// orthogonal to the null tones: v is the DFT tone minus its projection on
// their span (modified Gram-Schmidt in float64).
func nulledKernel(f float64, nulls []float64, fs float64, size int) ([]complex128, error) {
	var basis [][]complex128
	for _, g := range nulls {
		for _, sign := range []float64{1, -1} {
			if (g == 0 || g == f) && sign > 0 {
				continue // DC is one tone; f itself keeps only its image
			}
			v := tone(sign*g, fs, size)
			for _, b := range basis {
				project(v, b)
			}
			if n := norm2(v); n > 1e-9*float64(size) {
				scale(v, 1/math.Sqrt(n))
				basis = append(basis, v)
			}
		}
	}
	want := tone(f, fs, size)
	v := append([]complex128(nil), want...)
	for _, b := range basis {
		project(v, b)
	}
	// Response of conj(v) to the tone at f is <v, want> = |v|² (v is a
	// projection of want). Too little left means the nulls swallow f.
	r := norm2(v)
	if r < 0.05*float64(size) {
		return nil, fmt.Errorf("nulls leave %.1f%% of the filter's gain", 100*r/float64(size))
	}
	for n := range v {
		v[n] = cmplx.Conj(v[n]) * complex(float64(size)/r, 0)
	}
	return v, nil
}

// project removes from v its component along the unit vector b.
func project(v, b []complex128) {
	var d complex128
	for n := range v {
		d += cmplx.Conj(b[n]) * v[n]
	}
	for n := range v {
		v[n] -= d * b[n]
	}
}

func norm2(v []complex128) float64 {
	var s float64
	for _, c := range v {
		s += real(c)*real(c) + imag(c)*imag(c)
	}
	return s
}

func scale(v []complex128, s float64) {
	for n := range v {
		v[n] *= complex(s, 0)
	}
}

// PartialResponse is [Bank.Response] over samples [from, to) of the block
// only: the filter's output for a tone present in part of the block, as at
// a tone's start or end. 0 ≤ from ≤ to ≤ BlockSize.
func (b *Bank) PartialResponse(k int, f float64, from, to int) complex128 {
	rows := b.table[(k/lanes)*b.size*rowWidth:]
	l := k % lanes
	var r complex128
	for n := from; n < to; n++ {
		s, c := math.Sincos(2 * math.Pi * math.Mod(f*float64(n), b.rate) / b.rate)
		h := complex(float64(rows[n*rowWidth+l]), float64(rows[n*rowWidth+lanes+l]))
		r += h * complex(c, s)
	}
	return r
}

// Response returns filter k's output for the unit complex tone
// exp(i·2π·f·n/fs) over one block, computed from the bank's own float32
// table, without allocating. For a plain DFT filter it is Σ exp(i·2π·(f-f_k)·n/fs), BlockSize at
// f = f_k; a real sine A·cos(2πfn/fs+φ) gives (A/2)·(exp(iφ)·Response(k, f) +
// exp(-iφ)·Response(k, -f)). k must be in [0, Len()).
func (b *Bank) Response(k int, f float64) complex128 {
	return b.PartialResponse(k, f, 0, b.size)
}

// NoiseGain returns Σ|h[n]|² / BlockSize for filter k: the output power of
// white noise relative to a plain DFT filter (1 for a plain filter, more for
// a nulled one). k must be in [0, Len()).
func (b *Bank) NoiseGain(k int) float64 {
	rows := b.table[(k/lanes)*b.size*rowWidth:]
	l := k % lanes
	var s float64
	for n := range b.size {
		re, im := float64(rows[n*rowWidth+l]), float64(rows[n*rowWidth+lanes+l])
		s += re*re + im*im
	}
	return s / float64(b.size)
}

// BlockSize returns the block length in samples the bank was built for.
func (b *Bank) BlockSize() int { return b.size }

// SampleRate returns the sample rate [Hz] the bank was built for.
func (b *Bank) SampleRate() float64 { return b.rate }

// Len returns the number of frequencies in the bank.
func (b *Bank) Len() int { return len(b.freqs) }

// Frequency returns the bank's i-th frequency [Hz], 0 ≤ i < Len().
func (b *Bank) Frequency(i int) float64 { return b.freqs[i] }

// Transform appends to dst the value X_k of block at each of the bank's
// frequencies, in the order they were given to [NewBank], and returns the
// extended slice. A block shorter than BlockSize is treated as if padded with
// zeros; a longer one fails with [ErrBlockSize] and dst is returned unchanged.
// Transform allocates only if dst lacks capacity for Len() more values.
func (b *Bank) Transform(dst []complex64, block []int16) ([]complex64, error) {
	if len(block) > b.size {
		return dst, fmt.Errorf("%w: block of %d samples for a bank of %d", ErrBlockSize, len(block), b.size)
	}
	n0 := len(dst)
	dst = slices.Grow(dst, len(b.freqs))[:n0+len(b.freqs)]
	out := dst[n0:]
	for g := range b.groups {
		var r [rowWidth]float32
		transform(&r, b.table[g*b.size*rowWidth:(g+1)*b.size*rowWidth], block)
		o := out[g*lanes : min(len(out), (g+1)*lanes)]
		for l := range o {
			o[l] = complex(r[l], r[lanes+l])
		}
	}
	return dst, nil
}

// Transform8 is [Bank.Transform] into a fixed array, for a block of exactly
// BlockSize samples and a bank of at most 8 frequencies (dst[k] is 0 for k ≥
// Len()), that also stores each value's power |X_k|² into pow, computed
// as float32(re·re) + float32(im·im) (each product rounded: bit-for-bit the
// same on every platform and kernel). It is the detector's per-block
// transform: it allocates nothing and, on amd64 with AVX-512, runs one
// kernel call. It fails with [ErrBlockSize] if len(block) ≠ BlockSize and
// with [ErrFrequencyCount] for a bank of more than 8 frequencies; dst and
// pow are then unchanged.
func (b *Bank) Transform8(dst *[8]complex64, pow *[8]float32, block []int16) error {
	_, _, err := b.GatedTransform8(dst, pow, block, float32(math.Inf(-1)))
	return err
}

// GatedTransform8 is [Bank.Transform8] for a block worth transforming: it
// returns the block's energy about its mean,
//
//	E = Σx² − (Σx)²/n = (n·Σx² − (Σx)²)/n
//
// (samples of -32768 counted as -32767; the numerator exact in integers,
// the quotient float32(float64(num)/float64(n))), and transforms the block
// only if E ≥ gate (ok); otherwise dst and pow are unchanged. One kernel
// call does both on amd64 with AVX-512. It fails as Transform8 does.
func (b *Bank) GatedTransform8(dst *[8]complex64, pow *[8]float32, block []int16, gate float32) (energy float32, ok bool, err error) {
	if len(block) != b.size {
		return 0, false, fmt.Errorf("%w: block of %d samples for a bank of %d", ErrBlockSize, len(block), b.size)
	}
	if b.groups != 1 {
		return 0, false, fmt.Errorf("%w: Transform8 on a bank of %d frequencies", ErrFrequencyCount, len(b.freqs))
	}
	energy, ok = transform8(dst, pow, b.table, block, gate)
	return energy, ok, nil
}

// blockEnergy returns E of GatedTransform8.
func blockEnergy(x []int16) float32 {
	sum, sq := simd.Energy(x)
	n := int64(len(x))
	return float32(float64(n*sq-sum*sum) / float64(n))
}

// transform8Generic is the reference for transform8: the energy, then if
// it reaches gate the group's reduced sums (by the AVX2 kernel where there
// is one, which gives the same bits) interleaved into complex values, and
// their powers.
func transform8Generic(dst *[lanes]complex64, pow *[lanes]float32, rows []float32, x []int16, gate float32) (energy float32, ok bool) {
	energy = blockEnergy(x)
	if !(energy >= gate) {
		return energy, false
	}
	var r [rowWidth]float32
	transform(&r, rows, x)
	for l := range lanes {
		re, im := r[l], r[lanes+l]
		dst[l] = complex(re, im)
		pow[l] = float32(re*re) + float32(im*im)
	}
	return energy, true
}

// TransformOne returns X_k of block at the bank's k-th frequency alone. The
// value is bit-for-bit the one [Bank.Transform] gives for k. It fails with
// [ErrBlockSize] if block is longer than BlockSize; k must be in [0, Len()).
func (b *Bank) TransformOne(k int, block []int16) (complex64, error) {
	if len(block) > b.size {
		return 0, fmt.Errorf("%w: block of %d samples for a bank of %d", ErrBlockSize, len(block), b.size)
	}
	rows := b.table[(k/lanes)*b.size*rowWidth:]
	l := k % lanes
	var acc [accWidth]float32 // only lanes l and lanes+l of each set are used
	for n, v := range block {
		x, set := float32(v), (n%sets)*rowWidth
		acc[set+l] += float32(x * rows[n*rowWidth+l])
		acc[set+lanes+l] += float32(x * rows[n*rowWidth+lanes+l])
	}
	return complex(combine(&acc, l), combine(&acc, lanes+l)), nil
}

// transformGeneric is the reference for transform: accumulate from zero,
// then the four sets summed in the order of combine.
func transformGeneric(r *[rowWidth]float32, rows []float32, x []int16) {
	var acc [accWidth]float32
	accumulate(&acc, rows, x)
	for j := range r {
		r[j] = combine(&acc, j)
	}
}

// combine sums accumulator j of the four sets, always in the same order.
func combine(acc *[accWidth]float32, j int) float32 {
	return (acc[j] + acc[rowWidth+j]) + (acc[2*rowWidth+j] + acc[3*rowWidth+j])
}

// TransformFloat appends to dst the float64 value X_k of block at each
// frequency, computed with the Goertzel recurrence in float64, and returns
// the extended slice. It is the
// precise (and slower) reference for [Bank.Transform]; block may have any
// length.
func (b *Bank) TransformFloat(dst []complex128, block []float64) []complex128 {
	for _, f := range b.freqs {
		flt := Filter{freq: f, rate: b.rate, omega: 2 * math.Pi * f / b.rate, coeff: 2 * math.Cos(2*math.Pi*f/b.rate)}
		dst = append(dst, flt.BlockDFT(block))
	}
	return dst
}

// accumulateGeneric is the reference kernel: sample n adds float32(x[n])·row[n]
// to accumulator set n mod 4 (acc[16·(n mod 4):][:16]), rounding each product
// and each sum to float32, in sample order within each set. The assembly
// kernels do exactly this; four sets shorten the chains of dependent adds.
func accumulateGeneric(acc *[accWidth]float32, rows []float32, x []int16) {
	accumulateFrom(acc, rows, x, 0)
}

// accumulateFrom is accumulateGeneric for x starting at block position
// start (its set is start mod 4).
func accumulateFrom(acc *[accWidth]float32, rows []float32, x []int16, start int) {
	for i, s := range x {
		n := start + i
		v, r := float32(s), rows[n*rowWidth:n*rowWidth+rowWidth]
		a := acc[(n%sets)*rowWidth:][:rowWidth]
		for j := range rowWidth {
			a[j] += float32(v * r[j])
		}
	}
}
