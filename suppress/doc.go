// Package suppress removes DTMF key presses from audio that a media server
// forwards (tone suppression), and from recordings (masking), with the
// detector's exact edges.
//
// # Use
//
// One [Suppressor] per channel. [Suppressor.Process] (16-bit linear PCM),
// [Suppressor.ProcessULaw] and [Suppressor.ProcessALaw] take a frame of any
// length and overwrite it in place with the frame to forward: the audio that
// went in [Suppressor.Delay] samples earlier, with every key press replaced
// by silence (or, with [Noise], low-level comfort noise). They append the
// wrapped [detector.Detector]'s events, KeyDown as soon as a press is
// confirmed and KeyUp with its duration, exactly as the bare detector
// reports them, with positions counted in input samples. µ-law and A-law
// frames come out as µ-law and A-law, and every byte outside a replaced span
// is the very byte that went in. [Suppressor.AppendSpans] hands over the
// spans replaced so far (start and end in samples); [Suppressor.Flush] ends
// the stream and writes out the last Delay samples. Nothing is allocated per
// frame, and results do not depend on how the stream is cut into frames.
//
// # What is replaced
//
// A key press whose refined tone edges are [start, end) is replaced from
// start−Guard to end+Guard (Guard is 5 ms by default, at most 10 ms). The
// detector measures the edges to about a millisecond on clean signals and
// within 3 ms in noise; the guard covers that error and the fades. At each
// end of the span the forwarded audio and the fill are crossfaded with a
// raised cosine over Fade (2 ms by default), inside the guard, so the cut
// makes no click: a hard switch to silence in the middle of speech or hum
// steps by up to the signal's full amplitude, and a step is a broadband
// click. Everything outside the spans comes out bit-exact.
//
// A press interrupted for less than MinPause is one press: if the gap was
// long enough that part of it had to be forwarded before the tone came back,
// the press gives two spans (same [Span.KeyStart]); the gap is the tone's
// silence, not the caller's voice. Two presses never share samples: a span
// starts no earlier than the previous one ended.
//
// # The delay
//
// Detection needs run-in time: the detector confirms a tone only once it has
// lasted 25 ms (MinToneDuration), and by then the tone's start has long been
// forwarded by a suppressor that waits for the KeyDown. Here nothing of a
// possible press is let through while it is being decided. The detector
// gives three figures ([detector.Detector.DecisionDelay],
// [detector.Detector.Settled], [detector.Detector.Following]):
//
//   - a candidate that starts at c (its refined start) is confirmed or
//     dropped once the detector has consumed c + DecisionDelay samples
//     (35 ms at the defaults: MinToneDuration, or 5 blocks if longer, plus
//     two 5 ms blocks);
//   - a press the detector has neither reported nor is following starts at
//     or after Settled, which lags the stream position by less than 4
//     blocks (20 ms).
//
// The sample at position j leaves the suppressor as the sample at j+D comes
// in, after the detector has consumed j+D+1 samples. Its span, if any,
// starts at c−Guard; so j ≥ c−Guard must imply j+D+1 ≥ c+DecisionDelay:
//
//	D = DecisionDelay + Guard − 1                 (the candidate bound)
//	D ≥ 4·BlockSize − 1 + Guard                   (the Settled bound)
//
// The first is the larger: at the defaults D = 35 + 5 ms − 1 sample: 319
// samples at 8 kHz (39.9 ms), 639 at 16 kHz, 1919 at 48 kHz (40.0 ms); at
// 44.1 kHz the 5 ms block is 221 samples and D is 40.05 ms. The end of a
// press costs no delay: the tone's end is known 1 to 2 blocks after it ends,
// well before end+Guard must leave. Hence:
//
//   - a press still being confirmed is held back, never let through: when
//     its first sample must leave, it has been decided;
//   - a candidate that turns out not to be a key press is released
//     unchanged, as is everything else outside the spans;
//   - the delay is constant: the first D samples out are the silence the
//     delay line starts with, and Flush writes out the last D.
//
// A longer MinToneDuration, or a longer Guard, lengthens D by as much.
//
// # Limits
//
// The suppressor removes what the detector takes for a key press. A tone
// pair the detector rejects — 3.5 % off frequency, beyond the twist limits,
// shorter than 25 ms, below the level floor — is forwarded as it is, and a
// more lenient receiver downstream may still take it for a digit.
// Comfort noise is white and its level fixed ([Config.NoiseLevel]); it does
// not follow the background level.
package suppress
