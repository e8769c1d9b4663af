package detector

import (
	"math"
	"math/cmplx"
	"sync"
	"time"

	"github.com/dtmfkit/dtmf/goertzel"
	"github.com/dtmfkit/dtmf/internal/keypad"
)

// dBm0Peak is the peak amplitude, in 16-bit linear units, of a 0 dBm0 sine:
// 0.6997 of full scale (ITU-T G.711).
const dBm0Peak = 0.6997 * 32768

// tables holds what depends on the sample rate only: the filter banks and
// per-tone rotations. One per rate, shared read-only by every detector.
type tables struct {
	rate int
	h    int            // analysis block ("sub-block") length: 5 ms
	fund *goertzel.Bank // the 8 DTMF frequencies, low group first
	harm *goertzel.Bank // their second harmonics, same order
	// rho[k] = exp(i·ω_k·h): how far a tone exactly at f_k turns between
	// consecutive blocks.
	rho [8]complex64
	// freq[k] is the nominal frequency of filter k [Hz].
	freq [8]float64
	// gain2[k][j] is filter k's power gain |Response|²/h² for a tone whose
	// phase drifts by θ_j = (j-gainSteps)·gainStep per block from nominal.
	gain2 [8][2*gainSteps + 1]float32
	// head[k][m] and tail[k][m] are how much of a full block's value (in
	// phase with it) filter k gives for a tone at f_k present only in the
	// block's first, or last, m samples: m/h for a DFT filter, not quite for
	// a nulled one. They turn a partial block's value into the tone's
	// position to a sample.
	head, tail [8][]float32
	// kappa[l][h][j] is how much of high filter 4+h's value leaks into low
	// filter l's second-harmonic filter for a high tone drifting θ_j =
	// (j-kappaSteps)·kappaStep per block from nominal: up to 58 Hz apart, a
	// 5 ms block cannot tell them, but the leak is known and removed.
	kappa [4][4][2*kappaSteps + 1]complex64
	// res holds the residual spectrum's kernels.
	res *residualTable
}

// The leak table covers the same drifts in steps of 1/8 rad.
const (
	kappaSteps = 21
	kappaStep  = 1.0 / 8
)

// The block gain table covers drifts up to the largest tolerance (5 % of
// 1633 Hz at 5 ms blocks is 2.57 rad) in steps of 1/32 rad.
const (
	gainSteps = 96
	gainStep  = 1.0 / 32
)

// pendingGrace is how many blocks past MinToneDuration a candidate is given
// to pass the integrated checks: the first attempt falls in the block where
// the tone reaches MinToneDuration, and one more block of evidence is allowed.
// A tone the checks reject for longer (a ring-back tone, a chord, a tone with
// strong harmonics) is dropped and looked for afresh, so no candidate state
// lasts longer than max(MinToneDuration, 5 blocks) + 2 blocks.
const pendingGrace = 1

// params holds what depends on the whole Config: thresholds converted to the
// units the analysis works in. One per distinct Config, shared read-only.
type params struct {
	*tables
	cfg Config
	// minQ is the least per-block tone power |X|² a tone at the level
	// decision (MinLevel - 3 dB) gives.
	minQ float32
	// twist bounds on the power ratio high/low.
	minTwist, maxTwist float32
	relPeak            float32 // power ratio
	share              float32
	harmRatio          float32 // power ratio
	maxResid           float32 // power ratio to the weaker tone
	maxThird           float32 // power ratio to the weaker tone
	// sharedTolScale scales tol for a pair that shares the line (see
	// sharedTolerance).
	sharedTolScale float64
	// maxPrior is MaxPriorTone in floor quanta; floorBase the quanta's
	// origin (see onset.go).
	maxPrior  int
	floorBase int32
	tilt      float32 // power ratio high/low: tiltTwist
	// tol[k] is the largest accepted phase drift per block of tone k from
	// its nominal rotation [rad]; gMin2[k] the block gain² at that drift.
	tol [8]float64
	// winTol[k] is the tolerance of the window checks, whose estimate
	// rests on two pairs of blocks.
	winTol   [8]float64
	gMin2    [8]float32
	gMin2All float32 // min over k
	// windowBound scales the sum m_t + 2·m_t-1 + m_t-2 of the blocks'
	// strongest-filter powers to the window's largest possible tone energy
	// (see Detector.window): 2/h · 1/4 · window / gMin2All, 0.1 % more for
	// float rounding.
	windowBound float32
	// gate is the block energy below which a block is treated as silence;
	// winGate the least window energy (3 blocks) a valid digit can have.
	gate, winGate float32

	minTone  int64 // samples
	minPause int64 // samples
	// keyUpWait: a key is released once this many samples have passed
	// since its end with no return qualified.
	keyUpWait int64
	// maxPending bounds how long a candidate may wait for confirmation: one
	// that has not been confirmed when the block ending maxPending samples
	// or more after its start has been analysed is dropped (and may be
	// found again). See [Detector.DecisionDelay].
	maxPending int64
}

var (
	cacheMu     sync.Mutex
	tableCache  = map[int]*tables{}
	paramsCache = map[Config]*params{}
)

// maxCachedParams and maxCachedRates bound the caches: a program that builds
// detectors from endlessly varied configs or rates (each rate's tables take
// about 50 KB) gets unshared tables beyond them, not a leak.
const (
	maxCachedParams = 256
	maxCachedRates  = 16
)

func loadParams(cfg Config) (*params, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if p, ok := paramsCache[cfg]; ok {
		return p, nil
	}
	t, ok := tableCache[cfg.SampleRate]
	if !ok {
		var err error
		if t, err = newTables(cfg.SampleRate); err != nil {
			return nil, err
		}
		if len(tableCache) < maxCachedRates {
			tableCache[cfg.SampleRate] = t
		}
	}
	p := newParams(t, cfg)
	if len(paramsCache) < maxCachedParams {
		paramsCache[cfg] = p
	}
	return p, nil
}

func newTables(rate int) (*tables, error) {
	t := &tables{rate: rate, h: int(math.Round(float64(rate) / 200))}
	var freqs, harms []float64
	for i, f := range keypad.Frequencies() {
		t.freq[i] = f
		freqs = append(freqs, f)
		harms = append(harms, 2*f)
		w := 2 * math.Pi * f / float64(rate) * float64(t.h)
		t.rho[i] = complex64(cmplx.Rect(1, w))
	}
	// Each filter nulls the other group's four tones: a 5 ms block cannot
	// resolve 941 Hz from 1209 Hz (plain DFT leak -14 dB), which a weak tone
	// under 8 dB of twist would not survive. It nulls DC too, and its own
	// tone's negative-frequency image, which would otherwise ripple through
	// its phase and amplitude.
	nulls := make([][]float64, 8)
	for k := range 8 {
		if k < 4 {
			nulls[k] = append([]float64{0, t.freq[k]}, t.freq[4:]...)
		} else {
			nulls[k] = append([]float64{0, t.freq[k]}, t.freq[:4]...)
		}
	}
	var err error
	if t.fund, err = goertzel.NewNulledBank(float64(rate), t.h, freqs, nulls); err != nil {
		return nil, err
	}
	for k, f := range t.freq {
		full := t.fund.Response(k, f)
		t.head[k] = make([]float32, t.h+1)
		t.tail[k] = make([]float32, t.h+1)
		for m := range t.h + 1 {
			t.head[k][m] = float32(real(t.fund.PartialResponse(k, f, 0, m) * cmplx.Conj(full) / complex(real(full*cmplx.Conj(full)), 0)))
			t.tail[k][m] = float32(real(t.fund.PartialResponse(k, f, t.h-m, t.h) * cmplx.Conj(full) / complex(real(full*cmplx.Conj(full)), 0)))
		}
		for j := range t.gain2[k] {
			theta := float64(j-gainSteps) * gainStep
			df := theta * float64(rate) / (2 * math.Pi * float64(t.h))
			g := cmplx.Abs(t.fund.Response(k, f+df)) / float64(t.h)
			t.gain2[k][j] = float32(g * g)
		}
	}
	t.res = newResidualTable(rate, t.h)
	if t.harm, err = goertzel.NewBank(float64(rate), t.h, harms); err != nil {
		return nil, err
	}
	for l := range 4 {
		for hk := range 4 {
			for j := range t.kappa[l][hk] {
				theta := float64(j-kappaSteps) * kappaStep
				f := t.freq[4+hk] + theta*float64(rate)/(2*math.Pi*float64(t.h))
				t.kappa[l][hk][j] = complex64(t.harm.Response(l, f) / t.fund.Response(4+hk, f))
			}
		}
	}
	return t, nil
}

// windowSlack is how much wider [% of nominal] the window checks'
// frequency tolerance is than FrequencyTolerance: their estimate rests on
// two pairs of blocks (about 0.3 % in noise at 3 dB SNR); the confirm
// checks, on every block since, have the last word.
const windowSlack = 0.35

// tiltTwist is the twist [dB] below which a candidate that shares the line
// with other sound must last a block longer (see measure): a voice's
// harmonics fall with frequency, and a key's generator puts its high tone at
// or above the low one.
const tiltTwist = -2

// twistGuard widens the twist limits [dB] for estimation error, so that a
// tone exactly at a limit is accepted.
const twistGuard = 0.5

func dbPow(db float64) float32 { return float32(math.Pow(10, db/10)) }

func newParams(t *tables, cfg Config) *params {
	h := float64(t.h)
	p := &params{tables: t, cfg: cfg}
	// Level decision 3 dB below the floor: midway between "accept MinLevel"
	// and "reject MinLevel-6".
	amp := dBm0Peak * math.Pow(10, (cfg.MinLevel-3)/20)
	p.minQ = float32(amp * h / 2 * amp * h / 2)
	p.minTwist = dbPow(-(cfg.MaxNormalTwist + twistGuard))
	p.maxTwist = dbPow(cfg.MaxReverseTwist + twistGuard)
	p.relPeak = dbPow(cfg.MinRelativePeak)
	p.share = float32(cfg.MinEnergyShare)
	p.harmRatio = dbPow(cfg.MaxSecondHarmonic)
	p.maxResid = dbPow(cfg.MaxResidual)
	p.maxThird = dbPow(cfg.MaxThirdTone)
	p.sharedTolScale = min(1, sharedTolerance/cfg.FrequencyTolerance)
	p.maxPrior = int(math.Round(cfg.MaxPriorTone / floorStepDB))
	p.floorBase = floorBaseFor(t.h)
	p.tilt = dbPow(tiltTwist)
	p.gMin2All = 1
	for k, f := range t.freq {
		perBlock := 2 * math.Pi * f / 100 * h / float64(t.rate) // rad a block per % of f
		p.tol[k] = cfg.FrequencyTolerance * perBlock
		p.winTol[k] = (cfg.FrequencyTolerance + windowSlack) * perBlock
		p.gMin2[k] = 1
		for j, g2 := range t.gain2[k] {
			if math.Abs(float64(j-gainSteps)*gainStep) <= p.winTol[k]+gainStep {
				p.gMin2[k] = min(p.gMin2[k], g2)
			}
		}
		p.gMin2All = min(p.gMin2All, p.gMin2[k])
	}
	p.windowBound = float32(2 / h / 4 * window / float64(p.gMin2All) * 1.001)
	// A block holding a tone at the level decision has energy amp²/2·h; a
	// block 20 dB below that cannot change any decision by more than the
	// estimation noise and is treated as silence. Two tones at the decision
	// over 3 blocks give amp²·3h.
	p.gate = float32(amp * amp / 2 * h / 100)
	p.winGate = float32(amp * amp * 3 * h * 0.8)
	ms := func(d time.Duration) int64 { return int64(math.Round(d.Seconds() * float64(t.rate))) }
	p.minTone = ms(cfg.MinToneDuration)
	p.minPause = ms(cfg.MinPause)
	p.keyUpWait = p.minPause + 4*int64(t.h)
	// A window finds a tone at most 4 blocks after its start, and the
	// harmonic check needs one more block: no candidate can be confirmed
	// before 5 blocks, whatever MinToneDuration.
	p.maxPending = max(p.minTone, 5*int64(t.h)) + pendingGrace*int64(t.h)
	return p
}

// leak returns the high tone's leak coefficient into low filter lo's
// second-harmonic filter, interpolated in the kappa table.
func (t *tables) leak(lo, hi int, theta float64) complex64 {
	x := theta/kappaStep + kappaSteps
	x = min(max(x, 0), 2*kappaSteps-1e-9)
	j := int(x)
	fr := float32(x - float64(j))
	k := &t.kappa[lo][hi-4]
	return k[j] + complex(fr, 0)*(k[j+1]-k[j])
}

// fraction converts a in-phase share a of a full block's value into the
// share of the block the tone fills, by the curve c (head or tail).
func fraction(c []float32, a float32) float32 {
	n := len(c) - 1
	if !(a > 0) { // NaN too
		return 0
	}
	if a >= c[n] {
		return 1
	}
	lo, hi := 0, n // c[lo] < a ≤ c[hi]
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if c[mid] < a {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (float32(lo) + (a-c[lo])/(c[hi]-c[lo])) / float32(n)
}

// edge combines the two tones' block fractions: their power-weighted mean
// when they agree, else the smaller (one tone went on: the key changed).
func edge(f [2]float32, ref [2]float32) float32 {
	if absf(f[0]-f[1]) > 0.25 {
		return min(f[0], f[1])
	}
	w0, w1 := ref[0]*ref[0], ref[1]*ref[1]
	if !(w0+w1 > 0) {
		return min(f[0], f[1])
	}
	return (f[0]*w0 + f[1]*w1) / (w0 + w1)
}

// blockGain2 returns filter k's power gain for a tone drifting theta [rad]
// per block from nominal, interpolated in the gain table.
func (t *tables) blockGain2(k int, theta float64) float32 {
	x := theta/gainStep + gainSteps
	x = min(max(x, 0), 2*gainSteps-1e-9)
	j := int(x)
	fr := float32(x - float64(j))
	g := &t.gain2[k]
	return g[j] + fr*(g[j+1]-g[j])
}

// measuredFreq returns the frequency [Hz] of tone k drifting theta [rad per
// block] from nominal.
func (t *tables) measuredFreq(k int, theta float64) float64 {
	return t.freq[k] + theta*float64(t.rate)/(2*math.Pi*float64(t.h))
}

// deviation returns the larger deviation [% of nominal] of tones lo and hi
// drifting theta from nominal.
func (t *tables) deviation(lo, hi int, theta [2]float64) float64 {
	var dev float64
	for i, k := range [2]int{lo, hi} {
		dev = max(dev, math.Abs(t.measuredFreq(k, theta[i])/t.freq[k]-1)*100)
	}
	return dev
}

// level returns the level [dBm0] of a tone of block power a (|X|² at unit
// filter gain).
func (t *tables) level(a float32) float64 {
	full := dBm0Peak * float64(t.h) / 2
	return 10 * math.Log10(float64(a)/(full*full))
}

// bounds returns the accepted range of check c's value, in the units its
// doc gives.
func (p *params) bounds(c Check) (lo, hi float64) {
	inf := math.Inf(1)
	cfg := &p.cfg
	switch c {
	case CheckRelativePeak:
		return cfg.MinRelativePeak, inf
	case CheckGroupLead:
		return 0, inf
	case CheckFrequency:
		return 0, cfg.FrequencyTolerance
	case CheckLevel:
		return cfg.MinLevel - 3, inf
	case CheckTwist:
		return -(cfg.MaxNormalTwist + twistGuard), cfg.MaxReverseTwist + twistGuard
	case CheckEnergyShare:
		return cfg.MinEnergyShare, inf
	case CheckToneFill:
		return minFill, inf
	case CheckDuration: // one block more in some cases: see measure
		return float64(p.minTone) * 1000 / float64(p.rate), inf
	case CheckSecondHarmonic:
		return -inf, cfg.MaxSecondHarmonic
	case CheckResidual:
		return -inf, cfg.MaxResidual
	case CheckThirdTone:
		return -inf, cfg.MaxThirdTone
	case CheckOnset:
		return -inf, float64(p.maxPrior) * floorStepDB
	}
	return -inf, inf
}
