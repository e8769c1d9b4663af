// Package g711 converts between 16-bit linear PCM and ITU-T G.711 µ-law and
// A-law bytes. Decoding is a 256-entry table lookup; encoding follows the
// segment search of ITU-T G.711 (and the reference code of G.191).
package g711

// ULawToLinear decodes one µ-law byte to 16-bit linear PCM (range ±32124).
func ULawToLinear(b byte) int16 { return ulawTable[b] }

// ALawToLinear decodes one A-law byte to 16-bit linear PCM (range ±32256).
func ALawToLinear(b byte) int16 { return alawTable[b] }

// DecodeULaw expands µ-law bytes src into dst[:len(src)] (dst must be at
// least as long).
func DecodeULaw(dst []int16, src []byte) {
	dst = dst[:len(src)]
	for i, b := range src {
		dst[i] = ulawTable[b]
	}
}

// DecodeALaw expands A-law bytes src into dst[:len(src)] (dst must be at
// least as long).
func DecodeALaw(dst []int16, src []byte) {
	dst = dst[:len(src)]
	for i, b := range src {
		dst[i] = alawTable[b]
	}
}

// ULawTable and ALawTable return the decoding tables, indexed by code byte.
// They must not be modified.
func ULawTable() *[256]int16 { return &ulawTable }

// ALawTable: see ULawTable.
func ALawTable() *[256]int16 { return &alawTable }

var ulawTable, alawTable [256]int16

func init() {
	for i := range 256 {
		ulawTable[i] = decodeULaw(byte(i))
		alawTable[i] = decodeALaw(byte(i))
	}
}

func decodeULaw(u byte) int16 {
	u = ^u
	t := (int(u&0x0f) << 3) + 0x84
	t <<= (u & 0x70) >> 4
	if u&0x80 != 0 {
		return int16(0x84 - t)
	}
	return int16(t - 0x84)
}

func decodeALaw(a byte) int16 {
	a ^= 0x55
	t := int(a&0x0f) << 4
	seg := (a & 0x70) >> 4
	switch seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}

// LinearToULaw encodes one 16-bit linear sample as µ-law.
func LinearToULaw(s int16) byte {
	const bias, clip = 0x84, 32635
	v := int(s)
	mask := byte(0xff)
	if v < 0 {
		v = -v
		mask = 0x7f
	}
	if v > clip {
		v = clip
	}
	v += bias
	seg := segmentOf(v) // position of the highest set bit above bit 7
	b := byte(seg<<4) | byte((v>>(seg+3))&0x0f)
	return b ^ mask
}

func segmentOf(v int) int {
	seg := 0
	for v > 0xff && seg < 7 {
		v >>= 1
		seg++
	}
	return seg
}

// LinearToALaw encodes one 16-bit linear sample as A-law.
func LinearToALaw(s int16) byte {
	v := int(s) >> 3 // 13-bit magnitude domain
	mask := byte(0xd5)
	if v < 0 {
		v = -v - 1
		mask = 0x55
	}
	if v > 0xfff {
		v = 0xfff
	}
	var b byte
	if v < 32 {
		b = byte(v >> 1)
	} else {
		seg := 1
		for t := v >> 6; t > 0 && seg < 7; t >>= 1 {
			seg++
		}
		b = byte(seg<<4) | byte((v>>seg)&0x0f)
	}
	return b ^ mask
}
