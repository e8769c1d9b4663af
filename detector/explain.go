package detector

import (
	"math"
)

// Check names one of the tests a candidate digit must pass. The window
// checks run on the 15 ms in which a candidate is first found; the confirm
// checks on everything gathered since, before a key is confirmed.
type Check uint8

// The checks, in the order they run. [Check.String] gives their names.
const (
	// CheckRelativePeak: the strongest frequency of each group stands
	// MinRelativePeak above the group's other three (15 ms coherent
	// power) [dB]. Window.
	CheckRelativePeak Check = iota
	// CheckGroupLead: each tone also leads its group in power summed block
	// by block (15 ms of 5 ms blocks alias every 200 Hz) [dB of margin].
	// Window.
	CheckGroupLead
	// CheckFrequency: each tone within FrequencyTolerance of nominal [%,
	// the larger deviation of the two]; at confirm, within 1.2 % when the
	// pair holds less than 85 % of the signal's energy. Window and
	// confirm.
	CheckFrequency
	// CheckLevel: each tone at or above the level decision, MinLevel − 3 dB
	// [dBm0, the weaker tone]. Window and confirm.
	CheckLevel
	// CheckTwist: high-tone level minus low-tone level within
	// −MaxNormalTwist … +MaxReverseTwist (each with a 0.5 dB guard band)
	// [dB]. Window and confirm.
	CheckTwist
	// CheckEnergyShare: the two tones hold at least MinEnergyShare of the
	// signal's energy [fraction]. Window and confirm.
	CheckEnergyShare
	// CheckToneFill: each tone fills every block of the window: the least
	// projection of a block onto the phase the current block predicts,
	// relative to the current block [fraction]. Window.
	CheckToneFill
	// CheckDuration: the tone lasted MinToneDuration, one block more for a
	// tone that shares the line with other sound (energy share below 0.75)
	// and whose high tone is more than 2 dB the weaker [ms]. Confirm.
	CheckDuration
	// CheckSecondHarmonic: each tone's second harmonic, less what noise
	// explains, is at most MaxSecondHarmonic relative to it [dB, the
	// stronger]. Confirm.
	CheckSecondHarmonic
	// CheckResidual: what is left once the two tones are taken out — less
	// the flat floor that noise leaves — holds at most MaxResidual relative
	// to the weaker tone, per 100 Hz bin over 600–1500 Hz [dB]. Confirm.
	CheckResidual
	// CheckThirdTone: no other component between 600 and 2400 Hz stands
	// above the noise floor, nor the residual at the tones' difference
	// frequency, by more than MaxThirdTone relative to the weaker tone
	// [dB]. Confirm.
	CheckThirdTone
	// CheckOnset: neither tone was already sounding before the onset: the
	// weakest each was in the last 20 ms or so (each 5 ms block of age
	// counting 1.5 dB more), relative to its level in the candidate, is at
	// most MaxPriorTone [dB, the larger of the two]. Confirm.
	CheckOnset

	// NumChecks is the number of checks.
	NumChecks
)

var checkNames = [NumChecks]string{
	"relative-peak", "group-lead", "frequency", "level", "twist", "energy-share",
	"tone-fill", "duration", "second-harmonic", "residual", "third-tone",
	"onset",
}

// String returns the check's name: "relative-peak", "group-lead",
// "frequency", "level", "twist", "energy-share", "tone-fill", "duration",
// "second-harmonic", "residual", "third-tone" or "onset".
func (c Check) String() string {
	if c < NumChecks {
		return checkNames[c]
	}
	return "invalid"
}

// Stage tells where an [Evaluation] was made.
type Stage uint8

const (
	// StageWindow evaluates a candidate on the 15 ms window it appeared in.
	StageWindow Stage = 1 + iota
	// StageConfirm evaluates a followed candidate on everything gathered
	// since, when it could be confirmed.
	StageConfirm
)

// String returns "window" or "confirm".
func (s Stage) String() string {
	switch s {
	case StageWindow:
		return "window"
	case StageConfirm:
		return "confirm"
	}
	return "invalid"
}

// CheckResult is one check's measurement and verdict.
type CheckResult struct {
	// Measured reports whether the check ran in this evaluation.
	Measured bool
	// Passed reports whether Min ≤ Value ≤ Max.
	Passed bool
	// Value is what was measured, in the unit the check's doc gives.
	Value float64
	// Min and Max bound the accepted values (±Inf where unbounded).
	Min, Max float64
}

// Evaluation is one look at a candidate digit: where, which digit, and the
// value and verdict of every check of its stage. See [Detector.Explain].
type Evaluation struct {
	Stage Stage
	// At is the stream position of the end of the block evaluated.
	At int64
	// Start is the candidate's refined onset.
	Start int64
	// Digit is the candidate's key.
	Digit byte
	// Checks holds each check's result, indexed by [Check].
	Checks [NumChecks]CheckResult
}

// Passed reports whether every check that ran passed.
func (e *Evaluation) Passed() bool {
	for _, c := range e.Checks {
		if c.Measured && !c.Passed {
			return false
		}
	}
	return true
}

// Failed returns the first check that failed, and false if none did.
func (e *Evaluation) Failed() (Check, bool) {
	for i, c := range e.Checks {
		if c.Measured && !c.Passed {
			return Check(i), true
		}
	}
	return 0, false
}

// explainer is the state of [Detector.Explain]: the callback and the
// evaluation being filled.
type explainer struct {
	fn func(*Evaluation)
	ev Evaluation
}

// Explain makes the detector call fn with an [Evaluation] of every
// candidate it looks at, accepted or not: each window in which a pair of
// tones led both groups and came near enough in energy to be judged, and
// each attempt to confirm a followed candidate. Every check of the stage
// is then run, even after one has failed, so that the evaluation shows all
// the reasons; the decisions — and so the events — are exactly those made
// without Explain. fn runs on the caller's goroutine during Process; the
// Evaluation is reused, so fn must copy what it keeps. A nil fn turns
// explanations off. Explain allocates the explainer once; with it off, the
// detector pays one nil check per candidate.
func (d *Detector) Explain(fn func(*Evaluation)) {
	if fn == nil {
		d.ex = nil
		return
	}
	d.ex = &explainer{fn: fn}
}

// begin starts a new evaluation.
func (e *explainer) begin(stage Stage, at int64) {
	e.ev = Evaluation{Stage: stage, At: at}
}

// note records check c: its value v and bounds in display units.
func (e *explainer) note(c Check, ok bool, v, lo, hi float64) {
	e.ev.Checks[c] = CheckResult{Measured: true, Passed: ok, Value: v, Min: lo, Max: hi}
}

// finish hands the evaluation to the callback and reports whether it passed.
func (e *explainer) finish(digit byte, start int64) bool {
	e.ev.Digit, e.ev.Start = digit, start
	e.fn(&e.ev)
	return e.ev.Passed()
}

// dB converts a power ratio to decibels; 0 gives -Inf.
func dB(r float64) float64 { return 10 * math.Log10(r) }
