// Package bench is the accuracy and speed benchmark suite of the dtmf
// module: it generates receiver test signals, scores this module's detector
// and any external DTMF decoder on identical signals against the numbers of
// the standards, and times the detector per channel. The `dtmf bench`
// command is a thin wrapper around it.
//
// The package exports what a user of the suite needs: [Run] with its
// [Options] over [Decoder]s ([Native] for this module's detector, [Command]
// for any external program), the [Report] it returns, and [Speed]. How the
// signals are built is internal (package internal/siggen, shared with
// `dtmf gen`).
//
// # Test signals
//
// Every trial is a signal built from a complete description (digits, tone
// and pause lengths, per-tone level [dBm0], twist, frequency offsets,
// interruptions, white noise at an SNR, speech mixed in at a level, a G.711
// round trip) and a seed, so that a failing trial is listed with the
// `dtmf gen` command that rebuilds it. Levels: 0 dBm0 is a sine of peak
// 0.6997 × 32768 (ITU-T G.711); twist is the high tone's level minus the
// low tone's; SNR is the DTMF power over the white-noise power in
// 0..fs/2; the speech-to-DTMF ratio compares the speech's active level
// (its 10 ms frames no more than 30 dB below the 95th percentile) with
// the total DTMF level.
//
// # Accuracy suite
//
// [Run] evaluates decoders on the categories ([Categories]), after ITU-T
// Q.24, ETSI ES 201 235-3 and the classic receiver test tape: all 16 keys; frequency
// tolerance (accept ±(1.5 % + 2 Hz), reject ±3.5 %, and per-tone sweeps for
// the actual edges); twist (accept 8 dB normal and 4 dB reverse, reject 2 dB
// beyond); levels (+3 to −36 dBm0 per tone accepted, −42 rejected); tone
// length (40 ms accepted, 23 ms rejected) and pauses (40 ms separate two
// presses of a key); interruptions (up to 20 ms bridged); noise (digits
// found vs SNR); duration_ms error (±3 ms for 40 ms to 10 s) and key-down
// latency (≤ 32 ms from the true onset); talk-off on every speech prompt of
// Debian's asterisk-core-sounds-en-wav and on dial, ringback, busy, 1004 Hz,
// fax CNG and CED tones; talk-down (digits under speech at several
// speech-to-tone ratios); G.711 µ-law and A-law; and the accept region over
// frequency offset × twist.
//
// Every trial is a separate signal with its own seed, derived from the run
// seed, the category and the trial's index, so results do not depend on
// which categories run or in what order; tone phases are random and onsets
// fall anywhere relative to a detector's blocks. The points of a curve
// (noise, talk-down) reuse the same trials with only the swept parameter
// changed, so that curves are not jagged by sampling. A trial passes when the
// decoder reports exactly the expected digits, in order. The [Report] holds
// pass/fail rows ([Check]), measured edges ([Edge]), figures, curves and
// the failing trials with the `dtmf gen` command that rebuilds each; it
// renders as Markdown ([Report.Markdown]) and JSON; command dtmf-plot
// (cmd/dtmf-plot) draws its figures from the JSON.
//
// # Decoders
//
// [Native] runs this module's detector in 20 ms frames. [Command] runs any
// program that takes a WAV path and prints one JSON object per key press
// with "digit" (and "duration_ms", "offset_ms", "detected_ms" if it has
// them): a batch of trials is written as one file and presses are assigned
// by offset_ms, or each trial is its own file for a decoder without offsets.
//
// # Speed and memory
//
// [Speed] times a detector (or the whole per-channel pipeline: detector,
// collector, JSON events) over audio held in memory, and counts its
// allocations and key presses. The package's Go benchmarks time the hot
// paths per frame on speech with DTMF and report ns/sample and
// channels/core; a test runs 10,000 channels at once and requires zero
// allocations and GC cycles in the steady state.
//
// # Limits
//
// Talk-off and talk-down need the speech corpus (DefaultCorpus); without it
// those categories fail with [ErrCorpus] rather than being skipped. The
// suite's curves are measured on synthetic signals and one voice; they rank
// detectors, they do not predict field error rates.
package bench
