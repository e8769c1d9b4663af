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

// interleave permutes a group's reduced sums (8 real parts, then 8
// imaginary parts) into 8 complex64 values.
DATA interleave<>+0(SB)/4, $0
DATA interleave<>+4(SB)/4, $8
DATA interleave<>+8(SB)/4, $1
DATA interleave<>+12(SB)/4, $9
DATA interleave<>+16(SB)/4, $2
DATA interleave<>+20(SB)/4, $10
DATA interleave<>+24(SB)/4, $3
DATA interleave<>+28(SB)/4, $11
DATA interleave<>+32(SB)/4, $4
DATA interleave<>+36(SB)/4, $12
DATA interleave<>+40(SB)/4, $5
DATA interleave<>+44(SB)/4, $13
DATA interleave<>+48(SB)/4, $6
DATA interleave<>+52(SB)/4, $14
DATA interleave<>+56(SB)/4, $7
DATA interleave<>+60(SB)/4, $15
GLOBL interleave<>(SB), RODATA|NOPTR, $64

// lane<>+4i holds i: VPERMPS by a register of 16 copies of it broadcasts
// lane i.
DATA lane<>+0(SB)/4, $0
DATA lane<>+4(SB)/4, $1
DATA lane<>+8(SB)/4, $2
DATA lane<>+12(SB)/4, $3
DATA lane<>+16(SB)/4, $4
DATA lane<>+20(SB)/4, $5
DATA lane<>+24(SB)/4, $6
DATA lane<>+28(SB)/4, $7
GLOBL lane<>(SB), RODATA|NOPTR, $32

DATA minus32767<>+0(SB)/8, $0x8001800180018001
DATA minus32767<>+8(SB)/8, $0x8001800180018001
GLOBL minus32767<>(SB), RODATA|NOPTR, $16

DATA onesw<>+0(SB)/8, $0x0001000100010001
DATA onesw<>+8(SB)/8, $0x0001000100010001
GLOBL onesw<>(SB), RODATA|NOPTR, $16

// func transform8AVX512(dst *[8]complex64, pow *[8]float32, rows *float32, x *int16, groups int, gate float32) (energy float32, ok bool)
//
// First the block's energy about its mean, as blockEnergy: Σx and Σx² of
// x[0:8*groups] (-32768 counted as -32767) in integers, 8 samples at a
// time (VPMADDWD pairs, squares widened to int64 lanes), then
// float32(float64(n·Σx² − (Σx)²) / float64(n)) by VCVTSI2SDQ, VDIVSD and
// VCVTSD2SS, as Go converts. Only if energy ≥ gate (ok), the transform:
// transformAVX2's arithmetic with 512-bit registers. A row (8 real and 8
// imaginary kernel values of one sample) is one Z register, set s
// accumulates in Z8+s; 8 samples are converted at a time into Z12 and
// each broadcast by VPERMPS with Z16+i (all lanes i). The reduced sums
// (s0+s1)+(s2+s3) are stored as complex64 values into dst, and their
// powers float32(re·re) + float32(im·im) into pow. Rounding for rounding
// the arithmetic of transform8Generic.
TEXT ·transform8AVX512(SB), NOSPLIT, $0-53
	MOVQ dst+0(FP), DI
	MOVQ pow+8(FP), BX
	MOVQ rows+16(FP), SI
	MOVQ x+24(FP), DX
	MOVQ groups+32(FP), CX

	MOVQ DX, R8
	MOVQ CX, R9
	VMOVDQU minus32767<>(SB), X8
	VMOVDQU onesw<>(SB), X7
	VPXOR X4, X4, X4 // Σ(x0+x1), 4 × int32
	VPXOR Y5, Y5, Y5 // Σ(x0²+x1²), 4 × int64

eloop:
	VMOVDQU (R8), X0
	VPMAXSW X8, X0, X0  // -32768 → -32767
	VPMADDWD X0, X0, X1 // x0²+x1² < 2^31
	VPMADDWD X7, X0, X2 // x0+x1
	VPADDD X2, X4, X4
	VPMOVZXDQ X1, Y1
	VPADDQ Y1, Y5, Y5
	ADDQ $16, R8
	DECQ R9
	JNZ eloop

	VEXTRACTI128 $1, Y5, X6
	VPADDQ X6, X5, X5
	VPSHUFD $0x4e, X5, X6
	VPADDQ X6, X5, X5
	VMOVQ X5, AX // Σx²
	VPMOVSXDQ X4, Y4
	VEXTRACTI128 $1, Y4, X6
	VPADDQ X6, X4, X4
	VPSHUFD $0x4e, X4, X6
	VPADDQ X6, X4, X4
	VMOVQ X4, R10 // Σx
	MOVQ CX, R11
	SHLQ $3, R11 // n
	IMULQ R11, AX
	IMULQ R10, R10
	SUBQ R10, AX
	VXORPD X3, X3, X3 // a clean source: no false dependency
	VCVTSI2SDQ AX, X3, X0
	VCVTSI2SDQ R11, X3, X1
	VDIVSD X1, X0, X0
	VCVTSD2SS X0, X0, X0
	VMOVSS X0, energy+48(FP)
	VMOVSS gate+40(FP), X1
	VUCOMISS X1, X0
	JCC transform // energy ≥ gate (CF clear: neither below nor unordered)
	MOVB $0, ok+52(FP)
	VZEROUPPER
	RET

transform:
	MOVB $1, ok+52(FP)
	VPBROADCASTD lane<>+0(SB), Z16
	VPBROADCASTD lane<>+4(SB), Z17
	VPBROADCASTD lane<>+8(SB), Z18
	VPBROADCASTD lane<>+12(SB), Z19
	VPBROADCASTD lane<>+16(SB), Z20
	VPBROADCASTD lane<>+20(SB), Z21
	VPBROADCASTD lane<>+24(SB), Z22
	VPBROADCASTD lane<>+28(SB), Z23
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11

zloop:
	VPMOVSXWD (DX), Y12
	VCVTDQ2PS Y12, Y12

// QUAD processes samples i to i+3 of the group (lanes of Z12 picked by
// l0-l3), rows at row, one sample per set.
#define QUAD(l0, l1, l2, l3, row) \
	VPERMPS Z12, l0, Z0; \
	VPERMPS Z12, l1, Z1; \
	VPERMPS Z12, l2, Z2; \
	VPERMPS Z12, l3, Z3; \
	VMULPS (row)(SI), Z0, Z4; \
	VMULPS (row+64)(SI), Z1, Z5; \
	VMULPS (row+128)(SI), Z2, Z6; \
	VMULPS (row+192)(SI), Z3, Z7; \
	VADDPS Z4, Z8, Z8; \
	VADDPS Z5, Z9, Z9; \
	VADDPS Z6, Z10, Z10; \
	VADDPS Z7, Z11, Z11

	QUAD(Z16, Z17, Z18, Z19, 0)
	QUAD(Z20, Z21, Z22, Z23, 256)
	ADDQ $512, SI
	ADDQ $16, DX
	DECQ CX
	JNZ zloop

	VADDPS Z9, Z8, Z0
	VADDPS Z11, Z10, Z1
	VADDPS Z1, Z0, Z0 // re0..re7, im0..im7
	VMOVUPS interleave<>(SB), Z2
	VPERMPS Z0, Z2, Z3
	VMOVUPS Z3, 0(DI)
	VMULPS Z0, Z0, Z4
	VEXTRACTF32X8 $1, Z4, Y5
	VADDPS Y5, Y4, Y4
	VMOVUPS Y4, 0(BX)
	VZEROUPPER
	RET
