//go:build amd64 && !purego

package simd

// packAVX512 is Pack with 512-bit registers: x is one Z register.
//
//go:noescape
func packAVX512(v *[16]int16, x *[8]complex64) (scale float32)

// floorsAVX512 is Floors in Y registers with AVX-512VL's narrowing moves.
//
//go:noescape
func floorsAVX512(floor *[8]uint8, pw *[8]float32, base int32, rise uint8)

// packFloorsAVX512 is floorsAVX512 then packAVX512.
//
//go:noescape
func packFloorsAVX512(v *[16]int16, x *[8]complex64, floor *[8]uint8, pw *[8]float32, base int32, rise uint8) (scale float32)
