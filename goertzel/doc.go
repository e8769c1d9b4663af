// Package goertzel computes single-frequency DFT values: the classic Goertzel
// recurrence for one frequency ([Filter]) and a table-driven filter bank that
// evaluates a fixed set of frequencies over a block in one pass ([Bank]).
//
// # Algorithm
//
// For a block x[0..N-1] sampled at fs and a target frequency f (any real
// frequency in (0, fs/2), not only integer DFT bins), both types compute
//
//	X(f) = Σ x[n]·exp(-i·2π·f·n/fs),   n = 0 … N-1
//
// and its power |X(f)|². [Filter] uses Goertzel's second-order recurrence
// (G. Goertzel, "An algorithm for the evaluation of finite trigonometric
// series", Amer. Math. Monthly 65, 1958):
//
//	s[n] = x[n] + 2·cos(ω)·s[n-1] - s[n-2],   ω = 2π·f/fs
//	|X|² = s[N-1]² + s[N-2]² - 2·cos(ω)·s[N-1]·s[N-2]
//
// [Bank] computes the same sums from a precomputed table of cos and sin values
// (a direct correlation). For a fixed block size the table costs no more memory
// than a few kilobytes, has no loop-carried recurrence, yields the complex value
// (phase as well as power) directly and vectorises: on amd64 with AVX2 eight
// frequencies are evaluated per instruction, with AVX-512 the real and
// imaginary parts of eight at once ([Bank.GatedTransform8] also measures
// the block's energy in the same kernel call). The CPU's extensions are
// detected at run time. A pure-Go kernel that performs exactly the same
// float32 operations in the same order is used elsewhere (and with the purego
// build tag), so results are bit-for-bit identical on every platform.
//
// # Sharing
//
// A [Bank] is immutable after [NewBank] and safe for concurrent use by any
// number of goroutines: build one per (sample rate, block size, frequency set)
// and share it between channels. A [Filter] is a small value; its streaming
// [State] is two float64 words.
//
// # Limits
//
// Frequencies must lie strictly between 0 and fs/2. A [Bank] accepts at most
// [MaxFrequencies] frequencies and blocks of at most [MaxBlockSize] samples.
// Bank results are float32: relative error about 1e-6 of the block's peak
// magnitude, far below anything a tone detector needs; use [Filter] for float64.
package goertzel
