// Package rtpdtmf finds the DTMF key presses of RTP streams, whichever way
// they travel — tones in the audio (in-band) or RFC 4733 telephone-events
// — and turns in-band keys into telephone-events for a media server or
// gateway to send. Packets are github.com/pion/rtp values.
//
// # Receiving
//
// A [Receiver] follows one stream (one SSRC). Packets go in as they arrive
// ([Receiver.Process] for bytes, [Receiver.ProcessPacket] for a parsed
// packet); the audio (PCMU, PCMA, L16; comfort noise as silence) is put
// back in order and handed to a [github.com/dtmfkit/dtmf/detector], the
// telephone-events are joined into key presses, and both come out as one
// sequence of [Event] values with their [Source]. A key that arrives both
// ways at once (a sender that sends RFC 4733 and leaves the tones in the
// audio) is reported once, with Duplicate set.
//
// The stream is rebuilt on its own clock, never on wall time:
//
//   - packets reordered by up to [Config.ReorderWindow] places are put
//     back in order; duplicates and late packets are dropped; a loss is
//     declared once the window is full behind it, so a loss costs that
//     many packets of delay and nothing else does;
//   - lost audio is concealed by repeating the last period of the signal
//     (a lag of 5 to 20 ms where it best matches itself, after ITU-T G.711
//     Appendix I) for up to [Config.MaxConceal], then silence. Measured over
//     all 16 keys and every position of the loss: one lost 20 ms packet in a
//     60 ms key drops 0 of 240 keys (plain 20 ms repetition drops 11, zero
//     filling 19), and one or two lost packets in a 200 ms key split none
//     (zero filling splits 364 of 624 with two);
//   - a gap in the timestamps without a loss (silence suppression) is
//     silence; a jump beyond [Config.MaxGap], a sequence-number restart
//     (RFC 3550 A.1) or a new SSRC releases the key that was down and starts
//     afresh.
//
// Telephone-events follow RFC 4733 §2.5.2: an event is known by its
// timestamp (a new timestamp is a new press, even of the same key; the
// Marker bit is not needed), updates may come in any order and repeated,
// the three final packets make one key-up, an event whose final packets
// were lost ends at the next event or after [Config.EventTimeout], long
// events sent as segments of 0xFFFF units are joined, and packed events are
// read one after another.
//
// # Sending
//
// A [Sender] turns a detector's key events into telephone-event packets
// (RFC 4733 §2.5.1): timestamp of the tone's start, back-dated past the
// detection delay; Marker on the first packet; the cumulative duration every
// 50 ms; the final packet three times; the measured level as the volume;
// segments beyond 0xFFFF units; any clock rate. Every packet it writes is
// read back by Wireshark's RTP-event dissector in the tests.
//
// A [Gateway] does it all for one stream: RTP in, RTP out, the audio through
// a [Suppressor] that removes the tones (with a fixed lookahead), the
// telephone-events inserted in the stream with its SSRC, timestamps and
// sequence numbers. Until a suppressor is plugged in, the built-in one
// passes the audio unchanged.
//
// # Cost
//
// A Receiver holds 17 KB with the defaults, 9.4 KB with MaxPayloadSize
// 320 (the detector, a decode buffer of MaxPayloadSize samples, the reorder
// ring, 30 ms of history); a Gateway 72 KB, or 22 KB (TestStateSize). After
// the first packets, a packet costs no allocation and, for 20 ms of PCMU,
// 400 to 600 ns in a Receiver (as much as the detector alone takes in the
// same run: its own work is lost in the noise) and 1 to 1.4 µs in a Gateway
// (BenchmarkReceiver, BenchmarkGateway; a shared 2-core VM).
//
// # Limits
//
// Audio codecs other than G.711 and L16 are not decoded: decode them and
// feed a detector yourself. SRTP is not decrypted. One receiver follows one
// SSRC at a time; demultiplex streams by SSRC before it.
package rtpdtmf
