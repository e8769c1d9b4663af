//go:build amd64 && !purego

#include "textflag.h"

DATA absmask<>+0(SB)/4, $0x7fffffff
GLOBL absmask<>(SB), RODATA|NOPTR, $4

DATA c32767<>+0(SB)/4, $32767.0
GLOBL c32767<>(SB), RODATA|NOPTR, $4

// func packAVX512(v *[16]int16, x *[8]complex64) (scale float32)
//
// m = the largest |part| by its bits (non-negative floats order like them),
// then scale = m/32767 and inv = 32767/m by VDIVSS, parts·inv by VMULPS,
// rounded to nearest even by VCVTPS2DQ (Go runs with MXCSR's default
// rounding) and narrowed by VPMOVSDW (in range: no saturation): the
// operations of packGeneric, each rounded the same way.
TEXT ·packAVX512(SB), NOSPLIT, $0-20
	MOVQ v+0(FP), DI
	MOVQ x+8(FP), SI
	VMOVUPS (SI), Z0
	VPBROADCASTD absmask<>(SB), Z1
	VPANDD Z1, Z0, Z1
	VEXTRACTI64X4 $1, Z1, Y2
	VPMAXUD Y2, Y1, Y1
	VEXTRACTI128 $1, Y1, X2
	VPMAXUD X2, X1, X1
	VPSHUFD $0x4e, X1, X2
	VPMAXUD X2, X1, X1
	VPSHUFD $0xb1, X1, X2
	VPMAXUD X2, X1, X1 // m in every lane
	VMOVD X1, AX
	TESTL AX, AX
	JZ zero
	VMOVSS c32767<>(SB), X3
	VDIVSS X3, X1, X4 // scale = m / 32767
	VDIVSS X1, X3, X5 // inv = 32767 / m
	VBROADCASTSS X5, Z5
	VMULPS Z5, Z0, Z0
	VCVTPS2DQ Z0, Z0
	VPMOVSDW Z0, Y0
	VMOVDQU Y0, (DI)
	VMOVSS X4, scale+16(FP)
	VZEROUPPER
	RET

zero:
	VPXOR Y0, Y0, Y0
	VMOVDQU Y0, (DI)
	MOVL $0, scale+16(FP)
	VZEROUPPER
	RET

// func floorsAVX512(floor *[8]uint8, pw *[8]float32, base int32, rise uint8)
TEXT ·floorsAVX512(SB), NOSPLIT, $0-21
	MOVQ floor+0(FP), DI
	MOVQ pw+8(FP), SI
	VMOVDQU (SI), Y0
	VPBROADCASTD absmask<>(SB), Y1
	VPAND Y1, Y0, Y0
	VPSRLD $20, Y0, Y0
	MOVL base+16(FP), AX
	VMOVD AX, X1
	VPBROADCASTD X1, Y1
	VPSUBD Y1, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPMAXSD Y1, Y0, Y0   // ≥ 0
	VPMOVUSDB Y0, X0     // ≤ 255: the quanta, 8 bytes
	VMOVQ (DI), X2
	MOVBLZX rise+20(FP), AX
	VMOVD AX, X3
	VPBROADCASTB X3, X3
	VPADDUSB X3, X2, X2  // aged, at most 255
	VPMINUB X0, X2, X2
	VMOVQ X2, (DI)
	VZEROUPPER
	RET

// func packFloorsAVX512(v *[16]int16, x *[8]complex64, floor *[8]uint8, pw *[8]float32, base int32, rise uint8) (scale float32)
//
// The body of floorsAVX512, then that of packAVX512.
TEXT ·packFloorsAVX512(SB), NOSPLIT, $0-44
	MOVQ floor+16(FP), DI
	MOVQ pw+24(FP), SI
	VMOVDQU (SI), Y0
	VPBROADCASTD absmask<>(SB), Y1
	VPAND Y1, Y0, Y0
	VPSRLD $20, Y0, Y0
	MOVL base+32(FP), AX
	VMOVD AX, X1
	VPBROADCASTD X1, Y1
	VPSUBD Y1, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPMAXSD Y1, Y0, Y0
	VPMOVUSDB Y0, X0
	VMOVQ (DI), X2
	MOVBLZX rise+36(FP), AX
	VMOVD AX, X3
	VPBROADCASTB X3, X3
	VPADDUSB X3, X2, X2
	VPMINUB X0, X2, X2
	VMOVQ X2, (DI)

	MOVQ v+0(FP), DI
	MOVQ x+8(FP), SI
	VMOVUPS (SI), Z0
	VPBROADCASTD absmask<>(SB), Z1
	VPANDD Z1, Z0, Z1
	VEXTRACTI64X4 $1, Z1, Y2
	VPMAXUD Y2, Y1, Y1
	VEXTRACTI128 $1, Y1, X2
	VPMAXUD X2, X1, X1
	VPSHUFD $0x4e, X1, X2
	VPMAXUD X2, X1, X1
	VPSHUFD $0xb1, X1, X2
	VPMAXUD X2, X1, X1
	VMOVD X1, AX
	TESTL AX, AX
	JZ pzero
	VMOVSS c32767<>(SB), X3
	VDIVSS X3, X1, X4
	VDIVSS X1, X3, X5
	VBROADCASTSS X5, Z5
	VMULPS Z5, Z0, Z0
	VCVTPS2DQ Z0, Z0
	VPMOVSDW Z0, Y0
	VMOVDQU Y0, (DI)
	VMOVSS X4, scale+40(FP)
	VZEROUPPER
	RET

pzero:
	VPXOR Y0, Y0, Y0
	VMOVDQU Y0, (DI)
	MOVL $0, scale+40(FP)
	VZEROUPPER
	RET
