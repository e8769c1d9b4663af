// Package detector finds DTMF key presses (ITU-T Q.23: keys 0-9, *, #, A-D)
// in telephone audio and measures how long each key was held, to about a
// millisecond.
//
// # Use
//
// One [Detector] per audio channel. Feed it frames of any length with
// [Detector.Process] (16-bit linear PCM), [Detector.ProcessFloat32],
// [Detector.ProcessULaw] or [Detector.ProcessALaw]; it appends a [KeyDown]
// event as soon as a press is confirmed (at most 32 ms after the tone starts,
// so a host can stop a prompt at once) and a [KeyUp] event, carrying the
// press length, when the key is released. [Detector.Flush] ends a stream.
// Results do not depend on how the stream is cut into frames, Process
// allocates nothing, and a detector holds 408 bytes of state at 8 kHz.
//
// # Algorithm
//
// The signal is cut into 5 ms analysis blocks (40 samples at 8 kHz). For
// each block a filter bank ([goertzel.Bank], with AVX-512 or AVX2 kernels on amd64)
// computes the complex value of the eight DTMF frequencies. Each filter's
// kernel is the DFT kernel with the other group's four tones projected out, so
// that the 941 Hz filter is blind to 1209 Hz although 5 ms cannot resolve
// them; blocks whose energy is 20 dB below the level floor are not analysed.
//
// A candidate digit is looked for in the last three blocks (15 ms); each
// check below is named by a [Check] constant:
//
//   - relative peak: the strongest frequency of each group, by coherent
//     power over 15 ms, must stand MinRelativePeak above the group's other
//     three; group lead: it must lead its group in power summed block by
//     block too (15 ms of 5 ms blocks alias every 200 Hz);
//   - frequency: each tone's frequency is measured from the phase advance
//     between consecutive blocks, z = Σ X_b·conj(X_b-1), and must lie within
//     FrequencyTolerance of nominal;
//   - level and twist: each tone's power |z|/n (free of the bias white noise
//     gives |X|²) is corrected for the filter's gain at the measured
//     frequency and must reach the level floor; the ratio of the two is the
//     twist;
//   - energy share: the two tones must hold MinEnergyShare of the signal's
//     energy (energy about the block mean, so DC counts for nothing) — a
//     floor against wideband sound, low enough for 0 dB SNR in white noise;
//   - tone fill: each tone must fill all three blocks (each block projected
//     onto the phase the current block predicts), turning by the same phase
//     from block to block.
//
// From then on the candidate is followed block by block (projection onto
// the predicted phase again), and every full block of it is also fitted: a
// DC level and two sinusoids at the tones' measured frequencies are taken
// out by least squares, and the spectrum of what is left — the residual —
// is measured every 100 Hz from 400 to 2400 Hz. The confirm checks are run
// on everything gathered since the candidate was found:
//
//   - frequency, level, twist and energy share again, on all its blocks;
//     a pair that holds less than 85 % of the signal's energy (something
//     else sounds with it) is held to 1.2 % of nominal instead of
//     FrequencyTolerance: keys in noise measure closer than that, while
//     music and voices that mimic a key sit anywhere up to the tolerance;
//   - second harmonic: each tone's second harmonic (the high tone's leak
//     into the low tone's harmonic filter, up to 58 Hz away, is known and
//     removed) at most MaxSecondHarmonic, less what noise explains;
//   - residual: the residual's mean excess over its own median (the flat
//     floor that noise leaves) between 600 and 1500 Hz, away from the
//     tones, at most MaxResidual relative to the weaker tone. A voice that
//     mimics a key does so with two of its pitch harmonics, and the others
//     sit on both sides of them, in the DTMF band; a key pressed over
//     speech (whose energy lies mostly below 600 Hz) or in noise leaves
//     little there;
//   - third tone: neither the residual's strongest bin between 600 and
//     2400 Hz, above the floor, nor its value at f_h − f_l measured
//     coherently over the blocks (a harmonic of any pitch of which both
//     tones are harmonics) may exceed MaxThirdTone relative to the weaker
//     tone;
//   - onset: neither tone was already sounding before the candidate
//     began. Each filter keeps a floor, about the weakest its power was in
//     the last 20 ms (every 5 ms of age adding 1.5 dB); at the onset both
//     tones' floors must lie MaxPriorTone below their level in the
//     candidate. A key starts its tones out of their absence; a chord that
//     mimics one holds a note over from before (a melody note, a pad, a
//     reverb tail), and speech or noise under a key comes and goes;
//   - duration: the tone lasted MinToneDuration — one block more when it
//     shares the line with other sound (energy share below 0.75) and its
//     high tone is more than 2 dB the weaker, as a voice's harmonics are.
//
// The key is confirmed at the first block where all pass. A candidate that
// has not been confirmed one block after it could first have been (at the
// latest max(MinToneDuration, 25 ms) + 10 ms after its start,
// [Detector.DecisionDelay]) is dropped and looked for afresh: no signal,
// however long it is held, keeps a candidate pending, and every counter is
// bounded. Gaps shorter than MinPause are bridged; the refined edges of
// neighbouring presses never overlap.
//
// [Detector.Explain] reports every evaluation — window and confirm, accepted
// or not — with the value and bounds of each check, so that a user who sees
// a false or a missed digit can see why.
//
// # Timing
//
// Tone edges are refined below the block size: the first and last blocks of
// a tone hold it for part of their length, and the projection of such a
// block onto the tone's predicted phase, relative to a full block, is that
// fraction. Start and end are thus measured to about a millisecond, and
// duration_ms is within ±3 ms of the truth from 40 ms to 10 s.
//
// # Limits
//
// The detector looks at audio only: it does not know RFC 4733 telephone
// events. Two real sine tones held in the right ratio are a DTMF digit by
// definition; sustained music that plays exactly such an interval with weak
// harmonics can be taken for one, and so can a steady sung vowel whose two
// strongest harmonics lie on a DTMF pair with the others 12 dB or more
// below them. Sample rates from 8 kHz to 48 kHz are
// supported directly (block length and coefficients follow the rate).
package detector
