// Package talkoff measures talk-off: DTMF key presses that decoders report
// in real music and speech, where there are none. It reads the corpus that
// bench/corpus builds (a [Manifest] of 8000 Hz mono WAV files, each item at
// two levels and through three codecs), decodes every file with this
// module's detector in process ([Native]) and with external peers through
// bench/peers' drivers ([Command]), in parallel, and tallies false digits
// per hour by split, kind, genre, language, source, level and codec
// ([Tally], [Report]).
//
// # Levels
//
// Levels are active averages: the mean power of the 10 ms frames within
// 30 dB of the 95th-percentile frame ([ActiveLevel]), relative to
//
//	0 dBm0 = a sine of peak 0.6997 × 32768, mean square ReferencePower
//
// # Splits
//
// Each source (package or album, language and voice, MIDI instrument
// family) is either tuning or held-out material; reports keep them apart so
// that the detector is judged on material it was never tuned on.
package talkoff
