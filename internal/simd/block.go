package simd

import "math"

// Pack converts the 8 complex values of x (16 float32 parts, real and
// imaginary in turn) to block floating point: with m the largest |part|,
// v[i] is part i times 32767/m (that quotient rounded to float32, the
// product too) rounded to the nearest integer, halves to even, and scale is
// m/32767 (rounded to float32), so that part i ≈ v[i]·scale. For m = 0, v
// and scale are all zero. x must be finite. Every implementation gives the
// same bits.
func Pack(v *[16]int16, x *[8]complex64) (scale float32) {
	if useAVX512 {
		return packAVX512(v, x)
	}
	return packGeneric(v, x)
}

func packGeneric(v *[16]int16, x *[8]complex64) (scale float32) {
	// Non-negative float32s order like their bit patterns.
	var mb uint32
	for _, c := range x {
		mb = max(mb, math.Float32bits(real(c))&^(1<<31), math.Float32bits(imag(c))&^(1<<31))
	}
	if mb == 0 {
		*v = [16]int16{}
		return 0
	}
	m := math.Float32frombits(mb)
	inv := 32767 / m
	for k, c := range x {
		v[2*k] = mantissa(real(c) * inv)
		v[2*k+1] = mantissa(imag(c) * inv)
	}
	return m / 32767
}

// mantissa rounds v, which lies in [-32767, 32767] up to float rounding, to
// the nearest int16 (halves to even). Adding and removing 1.5·2²³ leaves
// v rounded to an integer in the float's mantissa: exact below 2²², and
// without a branch.
func mantissa(v float32) int16 {
	const magic = 1 << 23 * 1.5
	return int16((v + magic) - magic)
}

// Floors ages 8 one-byte floors by rise and lowers each to its new value:
// floor[k] = min(floor[k] + rise (at most 255), q_k), with q_k the power
// pw[k] quantized as (the bits of |pw[k]|) >> 20 − base, clamped to [0,
// 255]: an eighth of an octave a step. Every implementation gives the same
// bytes.
func Floors(floor *[8]uint8, pw *[8]float32, base int32, rise uint8) {
	if useAVX512 {
		floorsAVX512(floor, pw, base, rise)
		return
	}
	floorsGeneric(floor, pw, base, rise)
}

// PackFloors is [Floors] (floor, pw, base, rise) then [Pack] (v, x) in one
// call: the per-block bookkeeping of the detector, one kernel call with
// AVX-512. It gives the same bits as the two calls.
func PackFloors(v *[16]int16, x *[8]complex64, floor *[8]uint8, pw *[8]float32, base int32, rise uint8) (scale float32) {
	if useAVX512 {
		return packFloorsAVX512(v, x, floor, pw, base, rise)
	}
	floorsGeneric(floor, pw, base, rise)
	return packGeneric(v, x)
}

// Quantize returns the floor quantum of power v: (the bits of |v|) >> 20 −
// base, clamped to [0, 255]. NaN and infinities give 255.
func Quantize(v float32, base int32) uint8 {
	b := int32(math.Float32bits(v)&^(1<<31)>>20) - base
	return uint8(min(max(b, 0), math.MaxUint8))
}

func floorsGeneric(floor *[8]uint8, pw *[8]float32, base int32, rise uint8) {
	for k := range floor {
		f := min(int(floor[k])+int(rise), math.MaxUint8)
		floor[k] = min(uint8(f), Quantize(pw[k], base))
	}
}
