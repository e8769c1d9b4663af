//go:build amd64 && !purego

#include "textflag.h"

// func accumulateAVX2(acc *[32]float32, rows *float32, x *int16, pairs int)
//
// For i < pairs, with x0 = float32(x[2i]) and x1 = float32(x[2i+1]):
// acc[0:8]   += x0 * rows[2i][0:8]     (real parts, even positions)
// acc[8:16]  += x0 * rows[2i][8:16]    (imaginary parts, even positions)
// acc[16:24] += x1 * rows[2i+1][0:8]   (real parts, odd positions)
// acc[24:32] += x1 * rows[2i+1][8:16]  (imaginary parts, odd positions)
//
// int16 to float32 is exact; products and sums are separate VMULPS/VADDPS,
// each rounded to float32, in sample order per lane: the same arithmetic as
// accumulateGeneric.
TEXT ·accumulateAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ rows+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ pairs+24(FP), CX
	VMOVUPS 0(DI), Y8
	VMOVUPS 32(DI), Y9
	VMOVUPS 64(DI), Y10
	VMOVUPS 96(DI), Y11
	VXORPS X6, X6, X6
	VXORPS X7, X7, X7

loop:
	MOVWLSX 0(DX), AX
	MOVWLSX 2(DX), BX
	VCVTSI2SSL AX, X6, X0
	VCVTSI2SSL BX, X7, X1
	VBROADCASTSS X0, Y0
	VBROADCASTSS X1, Y1
	VMULPS 0(SI), Y0, Y2
	VMULPS 32(SI), Y0, Y3
	VMULPS 64(SI), Y1, Y4
	VMULPS 96(SI), Y1, Y5
	VADDPS Y2, Y8, Y8
	VADDPS Y3, Y9, Y9
	VADDPS Y4, Y10, Y10
	VADDPS Y5, Y11, Y11
	ADDQ $128, SI
	ADDQ $4, DX
	DECQ CX
	JNZ loop

	VMOVUPS Y8, 0(DI)
	VMOVUPS Y9, 32(DI)
	VMOVUPS Y10, 64(DI)
	VMOVUPS Y11, 96(DI)
	VZEROUPPER
	RET
