package goertzel

import (
	"fmt"
	"math"
)

// Filter holds the coefficients of the Goertzel recurrence for one target
// frequency at one sample rate. The zero value is not usable; build one with
// [NewFilter]. A Filter is immutable and safe for concurrent use.
type Filter struct {
	freq, rate float64
	omega      float64 // 2π·freq/rate [rad/sample]
	coeff      float64 // 2·cos(omega)
}

// NewFilter returns the Goertzel filter for freq [Hz] at sampleRate [Hz].
// freq may be any real frequency strictly between 0 and sampleRate/2. It fails
// with [ErrSampleRate] or [ErrFrequency] (wrapped, naming the value) otherwise.
func NewFilter(freq, sampleRate float64) (Filter, error) {
	if err := checkRate(sampleRate); err != nil {
		return Filter{}, err
	}
	if err := checkFreq(freq, sampleRate); err != nil {
		return Filter{}, err
	}
	w := 2 * math.Pi * freq / sampleRate
	return Filter{freq: freq, rate: sampleRate, omega: w, coeff: 2 * math.Cos(w)}, nil
}

func checkRate(rate float64) error {
	if !(rate > 0) || math.IsInf(rate, 0) {
		return fmt.Errorf("%w: %v Hz: want a positive finite rate", ErrSampleRate, rate)
	}
	return nil
}

func checkFreq(freq, rate float64) error {
	if !(freq > 0 && freq < rate/2) {
		return fmt.Errorf("%w: %v Hz: want a value in (0, %v) for sample rate %v Hz", ErrFrequency, freq, rate/2, rate)
	}
	return nil
}

// Frequency returns the filter's target frequency [Hz].
func (f Filter) Frequency() float64 { return f.freq }

// SampleRate returns the sample rate [Hz] the filter was built for.
func (f Filter) SampleRate() float64 { return f.rate }

// State is the running state of one Goertzel recurrence: the last two values
// of s[n]. The zero value is the state before the first sample.
type State struct {
	s1, s2 float64 // s[n-1], s[n-2]
	n      int     // samples consumed
}

// Update runs the recurrence over x, continuing from st. Splitting a block
// into several Update calls gives exactly the result of one call.
func (f Filter) Update(st *State, x []float64) {
	s1, s2, c := st.s1, st.s2, f.coeff
	for _, v := range x {
		s1, s2 = v+c*s1-s2, s1
	}
	st.s1, st.s2 = s1, s2
	st.n += len(x)
}

// Power returns |X|² for the samples consumed by st: the classic Goertzel
// output s1² + s2² - 2·cos(ω)·s1·s2.
func (f Filter) Power(st *State) float64 {
	return st.s1*st.s1 + st.s2*st.s2 - f.coeff*st.s1*st.s2
}

// DFT returns the complex value X = Σ x[n]·exp(-iωn) over the samples
// consumed by st, with n counted from the first sample of the block.
func (f Filter) DFT(st *State) complex128 {
	if st.n == 0 {
		return 0
	}
	// y = s[N-1] - exp(-iω)·s[N-2] = exp(iω(N-1))·X.
	sin, cos := math.Sincos(f.omega)
	y := complex(st.s1-cos*st.s2, sin*st.s2)
	rs, rc := math.Sincos(-f.omega * float64(st.n-1))
	return y * complex(rc, rs)
}

// BlockPower returns |X|² of one block x: Update on a fresh [State], then
// [Filter.Power].
func (f Filter) BlockPower(x []float64) float64 {
	var st State
	f.Update(&st, x)
	return f.Power(&st)
}

// BlockDFT returns X of one block x: Update on a fresh [State], then
// [Filter.DFT].
func (f Filter) BlockDFT(x []float64) complex128 {
	var st State
	f.Update(&st, x)
	return f.DFT(&st)
}
