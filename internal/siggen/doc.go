// Package siggen builds the DTMF receiver-test signals of the accuracy
// suite (package bench) and of `dtmf gen`, and reads the audio they mix in.
//
// A [Spec] describes one signal completely — digits, tone and pause lengths,
// per-tone level [dBm0], twist, frequency offsets, interruptions inside
// tones, white Gaussian noise at an SNR, a background recording at a level,
// a G.711 round trip, any sample rate — and a seed: the same Spec always
// builds the same samples ([Spec.Build]), and [Spec.Command] prints the
// `dtmf gen` command that rebuilds it. A [Manifest] records the expected
// digits and each tone's start and end beside the audio. Definitions:
//
//	0 dBm0      a sine of peak 0.6997 × 32768 (ITU-T G.711)
//	twist       high-tone level − low-tone level [dB]; negative = "normal"
//	SNR         (P_low + P_high) / P_noise [dB], white noise over 0..fs/2,
//	            covering the whole signal, pauses included
//	active      mean power of the 10 ms frames no more than 30 dB below the
//	level       95th-percentile frame (speech without its pauses), [dBm0]
//	STR         speech active level − total DTMF level [dB] (talk-down)
//
// [ReadAudio] and [LoadCorpus] read WAV (or raw 16-bit) audio mixed to mono
// and resampled ([Resample]); [DefaultCorpus] is the speech of Debian's
// asterisk-core-sounds-en-wav.
//
// The tones themselves come from package synth; the keypad from package
// keypad. Building allocates the signal; nothing here is on a hot path.
package siggen
