// Package tone synthesizes DTMF key presses (ITU-T Q.23) as 16-bit linear
// PCM and encodes PCM as G.711, for tests, examples and test calls: the
// audio a phone sends when a key is pressed, without a recording.
//
// It is deliberately small: a key press is the sum of its two sines at one
// level, with no twist, noise or frequency offset (dtmf gen writes those).
// Every function appends to the caller's slice; a tone's phase follows the
// absolute sample index in that slice, so that successive calls join
// without a discontinuity at their seams.
//
//	pcm := tone.AppendSilence(nil, 8000, 100*time.Millisecond)
//	pcm, err := tone.AppendKey(pcm, 8000, '5', 90*time.Millisecond, -10)
//	payload := tone.AppendULaw(nil, pcm[:160])  // one 20 ms PCMU payload
package tone
