package rtpdtmf

import "github.com/dtmfkit/dtmf/detector"

// passThrough is the Suppressor a Gateway uses until a real one is
// plugged in: a detector and a delay line, the audio unchanged.
type passThrough struct {
	det  *detector.Detector
	line []int16 // the last Delay input samples, a ring
	head int
}

func newPassThrough(cfg detector.Config, delay int) (*passThrough, error) {
	det, err := detector.New(cfg)
	if err != nil {
		return nil, err
	}
	return &passThrough{det: det, line: make([]int16, delay)}, nil
}

func (p *passThrough) Delay() int { return len(p.line) }

func (p *passThrough) Process(events []detector.Event, out, in []int16) []detector.Event {
	if len(p.line) == 0 {
		copy(out, in)
	} else {
		for i, v := range in {
			out[i] = p.line[p.head]
			p.line[p.head] = v
			if p.head++; p.head == len(p.line) {
				p.head = 0
			}
		}
	}
	return p.det.Process(events, in)
}

func (p *passThrough) Flush(events []detector.Event, out []int16) []detector.Event {
	for i := range out {
		out[i] = p.line[p.head]
		if p.head++; p.head == len(p.line) {
			p.head = 0
		}
	}
	events = p.det.Flush(events)
	p.Reset()
	return events
}

func (p *passThrough) Reset() {
	p.det.Reset()
	clear(p.line)
	p.head = 0
}
