//go:build !amd64 || purego

package simd

const useAVX512 = false

func packAVX512(v *[16]int16, x *[8]complex64) float32 { return packGeneric(v, x) }

func floorsAVX512(floor *[8]uint8, pw *[8]float32, base int32, rise uint8) {
	floorsGeneric(floor, pw, base, rise)
}

func packFloorsAVX512(v *[16]int16, x *[8]complex64, floor *[8]uint8, pw *[8]float32, base int32, rise uint8) float32 {
	floorsGeneric(floor, pw, base, rise)
	return packGeneric(v, x)
}
