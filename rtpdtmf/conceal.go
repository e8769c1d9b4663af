package rtpdtmf

// Packet-loss concealment by waveform repetition, after ITU-T G.711
// Appendix I: a lost stretch is filled by repeating the last period of the
// signal, a lag of 5 to 20 ms chosen where the signal best matches itself
// (highest normalized correlation over the last 10 ms). A DTMF pair has no
// common period that short, but some lag brings both tones back nearly in
// phase; repeating a fixed 20 ms instead can put a tone's phase off by up
// to half a cycle at the seam, and zero filling splits the key.
const (
	concealMinLagMS = 5
	concealMaxLagMS = 20
	concealCorrMS   = 10
)

// concealStrategy selects how losses are filled (the alternatives exist to
// measure the chosen one against; see TestLossConcealment).
type concealStrategy uint8

const (
	concealBestLag concealStrategy = iota // repeat the best-matching period ≤ 20 ms
	concealRepeat                         // repeat the last 20 ms as it is
	concealZero                           // silence
)

// concealer keeps the last samples of a stream and extends them through a
// loss.
type concealer struct {
	strategy                concealStrategy
	hist                    []int16 // the last len(hist) samples, oldest first
	valid                   int     // how many of them are real (from the stream's start)
	minLag, maxLag, corrLen int
	lag                     int // the lag of the loss being concealed; 0 = none chosen
}

func newConcealer(rate int) *concealer {
	c := &concealer{
		minLag:  rate * concealMinLagMS / 1000,
		maxLag:  rate * concealMaxLagMS / 1000,
		corrLen: rate * concealCorrMS / 1000,
	}
	c.hist = make([]int16, c.maxLag+c.corrLen)
	return c
}

func (c *concealer) reset() {
	clear(c.hist)
	c.valid, c.lag = 0, 0
}

// push appends real or generated samples to the history.
func (c *concealer) push(x []int16) {
	n := len(c.hist)
	if len(x) >= n {
		copy(c.hist, x[len(x)-n:])
	} else {
		copy(c.hist, c.hist[len(x):])
		copy(c.hist[n-len(x):], x)
	}
	c.valid = min(c.valid+len(x), n)
}

// end marks the end of a loss: the next loss chooses its lag anew.
func (c *concealer) end() { c.lag = 0 }

// fill writes the continuation of the signal into dst and appends it to the
// history, so that consecutive calls continue one another.
func (c *concealer) fill(dst []int16) {
	if c.strategy == concealZero || c.valid < c.minLag {
		clear(dst)
		c.push(dst)
		return
	}
	if c.lag == 0 {
		c.lag = c.chooseLag()
	}
	n := len(c.hist)
	for len(dst) > 0 {
		m := min(len(dst), c.lag)
		copy(dst[:m], c.hist[n-c.lag:n-c.lag+m])
		c.push(dst[:m])
		dst = dst[m:]
	}
}

// chooseLag returns the period to repeat.
func (c *concealer) chooseLag() int {
	maxLag := min(c.maxLag, c.valid)
	if c.strategy == concealRepeat || c.valid < c.minLag+c.corrLen {
		return maxLag
	}
	n := len(c.hist)
	m := min(c.corrLen, c.valid-maxLag)
	if m < c.corrLen/2 {
		maxLag = c.valid - c.corrLen/2
		m = c.corrLen / 2
	}
	tail := c.hist[n-m:]
	var e0 float64
	for _, v := range tail {
		e0 += float64(v) * float64(v)
	}
	if e0 == 0 {
		return maxLag
	}
	best, bestScore := maxLag, -2.0
	for lag := c.minLag; lag <= maxLag; lag++ {
		past := c.hist[n-m-lag : n-lag]
		var xy, yy float64
		for i, v := range tail {
			p := float64(past[i])
			xy += float64(v) * p
			yy += p * p
		}
		if yy == 0 {
			continue
		}
		// Normalized correlation, compared squared with its sign kept.
		score := xy * abs64(xy) / (yy * e0)
		if score > bestScore {
			best, bestScore = lag, score
		}
	}
	return best
}

func abs64(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
