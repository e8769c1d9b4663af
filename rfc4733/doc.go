// Package rfc4733 reads and writes the RTP payload of telephone-events
// (RFC 4733, which obsoletes RFC 2833): one DTMF key, or another telephone
// event, with its end flag, volume and duration so far.
//
// # Payload
//
// A telephone-event payload is one or more 4-byte events (RFC 4733 §2.3):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     event     |E|R| volume    |          duration             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// event is the event code (0-9, * = 10, # = 11, A-D = 12-15 for DTMF, §3.2),
// E marks the packet that ends the event, R is reserved (sent as zero,
// ignored on receipt), volume is the tone's power as -dBm0 (0 to 63) and
// duration is how long the event has lasted so far, in RTP timestamp units,
// counted from the RTP timestamp of the packet, which is the event's start.
//
// [Event.Unmarshal] and [Event.MarshalTo] work on the caller's bytes and
// allocate nothing. The rules of §2.5 (how a sender updates, ends, repeats
// and segments an event, and how a receiver joins the packets into key
// presses) live in package [github.com/dtmfkit/dtmf/rtpdtmf].
//
// # Digits
//
// [Digit] and [Code] map event codes 0-15 to the keys '0'-'9', '*', '#',
// 'A'-'D' (upper case, as the library's event contract requires) and back.
// [Volume] and [Level] convert between the volume field and dBm0.
package rfc4733
