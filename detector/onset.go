package detector

import (
	"math"

	"github.com/dtmfkit/dtmf/internal/simd"
)

// The onset check. A key press starts its two tones together, out of their
// absence: whatever sounded at the two frequencies just before the onset
// was not the key, and a key pressed over speech, music or noise stands
// well above what they leave at its own frequencies, which comes and goes.
// Music that mimics a key is different: a chord rarely starts both notes
// at once, and the note held over from before was sounding all along (a
// melody note under a new one, a sustained pad, a reverb tail). So each of
// the 8 filters keeps a floor — about the weakest its block power was in
// the last 20 ms — and a candidate must find both of its tones' floors, as
// they were at its onset, well below the tones' level in it
// (MaxPriorTone).
//
// The floor is the minimum over past blocks of each block's power, in
// steps of 0.38 dB, each block counting floorRise steps (1.5 dB) more per
// block of age: one byte per filter where an exact minimum would need the
// blocks themselves. A block 5 ms before the onset counts 1.5 dB above what
// it held, one 20 ms before 6 dB: what decides is the last 10 to 20 ms, the
// time in which a key's tones are absent and a held note is not.

// floorStepDB is the floor's quantum: an eighth of an octave of power, the
// exponent and top 3 mantissa bits of a float32.
const floorStepDB = 10 * math.Ln2 / math.Ln10 / 8 // 0.376 dB

// floorSpan is how many quanta below a full-scale tone's block power the
// floor reaches (94 dB: 91 dB below 0 dBm0, below any level the detector
// accepts by more than any noise floor that matters).
const floorSpan = 250

// floorRise is how many quanta a floor rises per block of age: 1.5 dB per
// 5 ms. Slower, the floor remembers a pause long past and lets more music
// through; faster, a key found a few blocks late in noise (its first
// windows failed) would see its own first blocks as already sounding.
const floorRise = 4

// floorQuant returns block power v (|X|² of a filter) in floor quanta from
// p.floorBase, clamped to a byte. NaN and infinities give 255.
func (p *params) floorQuant(v float32) uint8 {
	return simd.Quantize(v, p.floorBase)
}

// floorBaseFor returns the quantum origin for blocks of h samples: a
// full-scale sine's block power lies floorSpan quanta above it.
func floorBaseFor(h int) int32 {
	full := float32(32767 * float64(h) / 2)
	return int32(math.Float32bits(full*full)>>20) - floorSpan
}

// The floors are updated per block in Detector.block, with the history and
// in the same kernel call (simd.PackFloors): each floor ages by floorRise
// and drops to the block's power in quanta (floorQuant); a block below the
// energy gate is silence and clears them.

// priorFloors returns the floors of candidate c's two tones as they were
// at its onset: the blocks since, which hold the tone, only aged them.
func (d *Detector) priorFloors(c *candidate) [2]uint8 {
	h := int64(d.p.h)
	age := int((d.base+h-c.onset)/h) * floorRise
	return [2]uint8{uint8(max(int(d.floor[c.lo])-age, 0)), uint8(max(int(d.floor[c.hi])-age, 0))}
}

// priorLead returns by how many quanta the louder of the candidate's prior
// floors (d.prior) comes up to its tone's block power q.
func (d *Detector) priorLead(q [2]float32) int {
	return max(int(d.prior[0])-int(d.p.floorQuant(q[0])), int(d.prior[1])-int(d.p.floorQuant(q[1])))
}
