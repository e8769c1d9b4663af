// Package soak builds very long, deterministic test audio at almost no
// cost: a 24-hour stream is 691.2 million samples at 8 kHz, far too many to
// synthesize sample by sample, so a [Program] renders a few dozen segments
// once and a [Stream] cycles through them in a fixed order, handing out
// 20 ms frames that alias the rendered segments (no copy, no allocation).
//
// # Segments
//
//   - speech: recorded prompts given by the caller (Debian's
//     asterisk-core-sounds-en-wav in the tests), or, without them,
//     synthetic speech-like syllables: a glottal pulse train with a gliding
//     pitch through three moving formant resonators, with fricative noise;
//   - music: chords of harmonic-rich notes (eight partials) with vibrato,
//     none of them a DTMF pair;
//   - silence: exact zeros, and a faint noise floor at -65 dBm0;
//   - steady: a minute of a held signal that resembles a key press and
//     must be rejected however long it lasts (a pair with strong
//     harmonics, 12 dB of twist, 5 % off frequency, a single tone, dial
//     tone, a harmonic chord on a DTMF pair), filling about a quarter of
//     the speech and music time: hours of it in a day;
//   - a burst: the 16 keys, 70 ms on and 70 ms off at -12/-13 dBm0, with
//     200 ms of exact silence before and after, whose truth is known.
//
// One cycle of the program plays, for each speech segment in turn, the
// speech, a music segment, now and then a steady segment, a silence
// segment and the burst, so that digits
// come every few seconds. Every segment's length is a multiple of
// [FrameSize], so every burst starts at a position that is a multiple of
// 160: any detector whose analysis blocks divide 160 (the detector's 5 ms
// block at 8 kHz is 40) sees each burst at the same block phase, after the
// same exact silence, and must report exactly the same events for it, at
// hour 24 as at hour 0.
//
// # Cost
//
// [New] renders about two minutes of audio (more with recorded speech,
// which it copies once to pad each prompt to whole frames). [Stream.Next]
// is a few comparisons and a slice expression; it does not allocate.
// Neither type is safe for concurrent use, but any number of Streams may
// read one Program concurrently.
package soak
