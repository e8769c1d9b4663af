//go:build amd64 && !purego

#include "textflag.h"

// func accumulateAVX2(acc *[32]float32, rows *float32, x *int16, groups int)
//
// For each sample pair (n = 2i, 2i+1) of x[0:8*groups], with x0 =
// float32(x[n]) and x1 = float32(x[n+1]):
// acc[0:8]   += x0 * rows[n][0:8]      (real parts, even positions)
// acc[8:16]  += x0 * rows[n][8:16]     (imaginary parts, even positions)
// acc[16:24] += x1 * rows[n+1][0:8]    (real parts, odd positions)
// acc[24:32] += x1 * rows[n+1][8:16]   (imaginary parts, odd positions)
//
// int16 to float32 is exact; products and sums are separate VMULPS/VADDPS,
// each rounded to float32, in sample order per lane: the same arithmetic as
// accumulateGeneric. Eight samples are converted at a time through a 32-byte
// stack buffer.
TEXT ·accumulateAVX2(SB), NOSPLIT, $32-32
	MOVQ acc+0(FP), DI
	MOVQ rows+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ groups+24(FP), CX
	VMOVUPS 0(DI), Y8
	VMOVUPS 32(DI), Y9
	VMOVUPS 64(DI), Y10
	VMOVUPS 96(DI), Y11

loop:
	VPMOVSXWD (DX), Y0
	VCVTDQ2PS Y0, Y0
	VMOVUPS Y0, 0(SP)

#define PAIR(off, row) \
	VBROADCASTSS (off)(SP), Y0; \
	VBROADCASTSS (off+4)(SP), Y1; \
	VMULPS (row)(SI), Y0, Y2; \
	VMULPS (row+32)(SI), Y0, Y3; \
	VMULPS (row+64)(SI), Y1, Y4; \
	VMULPS (row+96)(SI), Y1, Y5; \
	VADDPS Y2, Y8, Y8; \
	VADDPS Y3, Y9, Y9; \
	VADDPS Y4, Y10, Y10; \
	VADDPS Y5, Y11, Y11

	PAIR(0, 0)
	PAIR(8, 128)
	PAIR(16, 256)
	PAIR(24, 384)
	ADDQ $512, SI
	ADDQ $16, DX
	DECQ CX
	JNZ loop

	VMOVUPS Y8, 0(DI)
	VMOVUPS Y9, 32(DI)
	VMOVUPS Y10, 64(DI)
	VMOVUPS Y11, 96(DI)
	VZEROUPPER
	RET
