// Package keypad is the DTMF keypad, in one place for the whole module: the
// 16 keys, their rows and columns, the tone frequencies of each (ITU-T
// Q.23) and their RFC 4733 event codes. The detector, the signal
// synthesiser, the bench suite, the collector, the event encoder and the
// RTP code all read it; nothing can change it.
//
// The keypad, rows low tone, columns high tone:
//
//	        1209  1336  1477  1633 Hz
//	697 Hz   1     2     3     A
//	770 Hz   4     5     6     B
//	852 Hz   7     8     9     C
//	941 Hz   *     0     #     D
//
// Keys are spelt as the event contract spells them: '0'-'9', '*', '#' and
// upper-case 'A'-'D'. Lookups are table-driven (no maps, no allocation) and
// safe for concurrent use.
package keypad
