//go:build amd64 && !purego

#include "textflag.h"

DATA minus32767<>+0(SB)/8, $0x8001800180018001
DATA minus32767<>+8(SB)/8, $0x8001800180018001
DATA minus32767<>+16(SB)/8, $0x8001800180018001
DATA minus32767<>+24(SB)/8, $0x8001800180018001
GLOBL minus32767<>(SB), RODATA|NOPTR, $32

DATA onesw<>+0(SB)/8, $0x0001000100010001
DATA onesw<>+8(SB)/8, $0x0001000100010001
DATA onesw<>+16(SB)/8, $0x0001000100010001
DATA onesw<>+24(SB)/8, $0x0001000100010001
GLOBL onesw<>(SB), RODATA|NOPTR, $32

// func energyAVX2(x *int16, n int) (sum, sq int64), n a positive multiple of 8
TEXT ·energyAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VMOVDQU minus32767<>(SB), Y8
	VMOVDQU onesw<>(SB), Y7
	VPXOR Y4, Y4, Y4 // Σ(x0+x1), 8 × int32
	VPXOR Y5, Y5, Y5 // Σ(x0²+x1²), 4 × int64
	VPXOR Y6, Y6, Y6 // Σ(x0²+x1²), 4 × int64

	CMPQ CX, $16
	JLT tail

loop:
	VMOVDQU (SI), Y0
	VPMAXSW Y8, Y0, Y0  // -32768 → -32767
	VPMADDWD Y0, Y0, Y1 // x0²+x1² ≤ 2·32767² < 2^31
	VPMADDWD Y7, Y0, Y2 // x0+x1
	VPADDD Y2, Y4, Y4
	VPMOVZXDQ X1, Y2
	VEXTRACTI128 $1, Y1, X3
	VPMOVZXDQ X3, Y3
	VPADDQ Y2, Y5, Y5
	VPADDQ Y3, Y6, Y6
	ADDQ $32, SI
	SUBQ $16, CX
	CMPQ CX, $16
	JGE loop

tail:
	// A last group of 8 samples, in the low halves.
	TESTQ CX, CX
	JZ reduce
	VMOVDQU (SI), X0
	VPMAXSW X8, X0, X0
	VPMADDWD X0, X0, X1
	VPMADDWD X7, X0, X2
	VPADDD Y2, Y4, Y4 // upper half of Y2 is zero (VEX.128 clears it)
	VPMOVZXDQ X1, Y2
	VPADDQ Y2, Y5, Y5

reduce:

	// Σ of squares: 8 int64 lanes → 1.
	VPADDQ Y6, Y5, Y5
	VEXTRACTI128 $1, Y5, X6
	VPADDQ X6, X5, X5
	VPSHUFD $0x4e, X5, X6
	VPADDQ X6, X5, X5
	VMOVQ X5, AX
	MOVQ AX, sq+24(FP)

	// Σ of samples: 8 int32 lanes → int64 (each lane stays below 2^31).
	VPMOVSXDQ X4, Y5
	VEXTRACTI128 $1, Y4, X6
	VPMOVSXDQ X6, Y6
	VPADDQ Y6, Y5, Y5
	VEXTRACTI128 $1, Y5, X6
	VPADDQ X6, X5, X5
	VPSHUFD $0x4e, X5, X6
	VPADDQ X6, X5, X5
	VMOVQ X5, AX
	MOVQ AX, sum+16(FP)
	VZEROUPPER
	RET
