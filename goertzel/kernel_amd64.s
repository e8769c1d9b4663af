//go:build amd64 && !purego

#include "textflag.h"

// func accumulateAVX2(acc *[64]float32, rows *float32, x *int16, groups int)
//
// For each sample n of x[0:8*groups], with v = float32(x[n]) and s = n mod 4:
// acc[16s:16s+8]    += v * rows[n][0:8]    (real parts)
// acc[16s+8:16s+16] += v * rows[n][8:16]   (imaginary parts)
//
// int16 to float32 is exact; products and sums are separate VMULPS/VADDPS,
// each rounded to float32, in sample order within each set: the same
// arithmetic as accumulateGeneric. Eight samples are converted at a time
// through a 32-byte stack buffer. Registers: Y8-Y15 accumulators (set s in
// Y8+2s real, Y9+2s imaginary), Y0-Y1 the samples, Y2-Y5 products.
TEXT ·accumulateAVX2(SB), NOSPLIT, $32-32
	MOVQ acc+0(FP), DI
	MOVQ rows+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ groups+24(FP), CX
	VMOVUPS 0(DI), Y8
	VMOVUPS 32(DI), Y9
	VMOVUPS 64(DI), Y10
	VMOVUPS 96(DI), Y11
	VMOVUPS 128(DI), Y12
	VMOVUPS 160(DI), Y13
	VMOVUPS 192(DI), Y14
	VMOVUPS 224(DI), Y15

loop:
	VPMOVSXWD (DX), Y0
	VCVTDQ2PS Y0, Y0
	VMOVUPS Y0, 0(SP)

// PAIR processes samples off/4 and off/4+1 of the group, rows at row, into
// sets (re0, im0) and (re1, im1).
#define PAIR(off, row, re0, im0, re1, im1) \
	VBROADCASTSS (off)(SP), Y0; \
	VBROADCASTSS (off+4)(SP), Y1; \
	VMULPS (row)(SI), Y0, Y2; \
	VMULPS (row+32)(SI), Y0, Y3; \
	VMULPS (row+64)(SI), Y1, Y4; \
	VMULPS (row+96)(SI), Y1, Y5; \
	VADDPS Y2, re0, re0; \
	VADDPS Y3, im0, im0; \
	VADDPS Y4, re1, re1; \
	VADDPS Y5, im1, im1

	PAIR(0, 0, Y8, Y9, Y10, Y11)
	PAIR(8, 128, Y12, Y13, Y14, Y15)
	PAIR(16, 256, Y8, Y9, Y10, Y11)
	PAIR(24, 384, Y12, Y13, Y14, Y15)
	ADDQ $512, SI
	ADDQ $16, DX
	DECQ CX
	JNZ loop

	VMOVUPS Y8, 0(DI)
	VMOVUPS Y9, 32(DI)
	VMOVUPS Y10, 64(DI)
	VMOVUPS Y11, 96(DI)
	VMOVUPS Y12, 128(DI)
	VMOVUPS Y13, 160(DI)
	VMOVUPS Y14, 192(DI)
	VMOVUPS Y15, 224(DI)
	VZEROUPPER
	RET

// func transformAVX2(r *[16]float32, rows *float32, x *int16, groups int)
//
// accumulateAVX2 from zero accumulators over x[0:8*groups], then the four
// sets summed as (s0+s1)+(s2+s3) into r: the block's 8 real parts, then
// its 8 imaginary parts. Same arithmetic as accumulateGeneric followed by
// the reduction in Bank.Transform.
TEXT ·transformAVX2(SB), NOSPLIT, $32-32
	MOVQ r+0(FP), DI
	MOVQ rows+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ groups+24(FP), CX
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

tloop:
	VPMOVSXWD (DX), Y0
	VCVTDQ2PS Y0, Y0
	VMOVUPS Y0, 0(SP)
	PAIR(0, 0, Y8, Y9, Y10, Y11)
	PAIR(8, 128, Y12, Y13, Y14, Y15)
	PAIR(16, 256, Y8, Y9, Y10, Y11)
	PAIR(24, 384, Y12, Y13, Y14, Y15)
	ADDQ $512, SI
	ADDQ $16, DX
	DECQ CX
	JNZ tloop

	VADDPS Y10, Y8, Y0
	VADDPS Y14, Y12, Y1
	VADDPS Y1, Y0, Y0
	VADDPS Y11, Y9, Y2
	VADDPS Y15, Y13, Y3
	VADDPS Y3, Y2, Y2
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y2, 32(DI)
	VZEROUPPER
	RET
