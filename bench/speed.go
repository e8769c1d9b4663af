package bench

import (
	"fmt"
	"math"
	"runtime"
	"time"
	"unsafe"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
)

// SpeedOptions configures [Speed].
type SpeedOptions struct {
	// SampleRate of the audio [Hz]; 8000 if zero.
	SampleRate int
	// Repeat is the number of timed passes over the audio; 10 if zero.
	Repeat int
	// Frame is the samples per Process call; 160 (20 ms at 8 kHz) if zero.
	Frame int
	// Pipeline times what a media server runs per channel instead of the
	// detector alone: the detector, a digit collector that always has a
	// collection running (collector.DefaultConfig, restarted when it ends;
	// each Start allocates its digit buffer), and contract JSON for every
	// key-up and collection result (emit), into a reused buffer.
	Pipeline bool
	// Config is the detector configuration (its SampleRate is replaced);
	// detector.DefaultConfig if zero.
	Config detector.Config
}

// SpeedResult is one [Speed] run, in the JSON shape `dtmf bench speed`
// prints.
type SpeedResult struct {
	// Bench names what was timed: "dtmf detector" or "dtmf pipeline".
	Bench string `json:"bench"`
	// Samples per pass, Repeat passes of Frame-sample calls at SampleRate.
	Samples    int `json:"samples"`
	Repeat     int `json:"repeat"`
	Frame      int `json:"frame"`
	SampleRate int `json:"sample_rate"`
	// AudioSeconds is the length of one pass of audio [s].
	AudioSeconds float64 `json:"audio_s"`
	// Seconds is the time all passes took [s], measured in-process.
	Seconds float64 `json:"seconds"`
	// NsPerSample is Seconds over all samples processed; BestNsPerSample
	// that of the fastest pass.
	NsPerSample     float64 `json:"ns_per_sample"`
	BestNsPerSample float64 `json:"best_ns_per_sample"`
	// ChannelsPerCore is how many real-time channels one core can carry:
	// 1e9 / (NsPerSample × SampleRate).
	ChannelsPerCore float64 `json:"channels_per_core"`
	// Allocations is the fewest heap allocations counted during any one
	// pass, and AllocationsTotal and AllocatedBytes the count and bytes over
	// all passes (runtime.MemStats Mallocs and TotalAlloc deltas). The
	// counters are process-wide: the runtime's own background work (the
	// scavenger growing its timer heap, 16 bytes) shows in some passes, an
	// allocation of the detector's would show in every one.
	Allocations      uint64 `json:"allocations"`
	AllocationsTotal uint64 `json:"allocations_total"`
	AllocatedBytes   uint64 `json:"allocated_bytes"`
	// Digits is the number of key presses found per pass.
	Digits int `json:"digits"`
	// DetectorBytes is the memory one channel's detector owns
	// ([detector.Detector.StateSize]).
	DetectorBytes int `json:"detector_bytes"`
	// CollectorBytes is the size of a collector.Collector struct and
	// Collections the collections it ended per pass (pipeline only).
	CollectorBytes int `json:"collector_bytes,omitempty"`
	Collections    int `json:"collections,omitempty"`
}

// Speed times a detector over pcm, Repeat times from a fresh state, in
// Frame-sample calls, and counts what it allocates and finds. Every pass must
// find the same number of presses. It fails with an error wrapping
// [ErrOptions] for empty audio or invalid options. It allocates the
// detector, and with Pipeline an event buffer, before timing.
func Speed(pcm []int16, o SpeedOptions) (SpeedResult, error) {
	if o.SampleRate == 0 {
		o.SampleRate = 8000
	}
	if o.Repeat == 0 {
		o.Repeat = 10
	}
	if o.Frame == 0 {
		o.Frame = 160
	}
	if o.Config == (detector.Config{}) {
		o.Config = detector.DefaultConfig()
	}
	switch {
	case len(pcm) == 0:
		return SpeedResult{}, fmt.Errorf("%w: no audio", ErrOptions)
	case o.Repeat < 1 || o.Repeat > 1e6:
		return SpeedResult{}, fmt.Errorf("%w: repeat %d, want 1 to 1000000", ErrOptions, o.Repeat)
	case o.Frame < 1 || o.Frame > 1<<20:
		return SpeedResult{}, fmt.Errorf("%w: frame %d, want 1 to 1048576 samples", ErrOptions, o.Frame)
	}
	o.Config.SampleRate = o.SampleRate
	d, err := detector.New(o.Config)
	if err != nil {
		return SpeedResult{}, err
	}
	res := SpeedResult{
		Bench: "dtmf detector", Samples: len(pcm), Repeat: o.Repeat, Frame: o.Frame,
		SampleRate: o.SampleRate, AudioSeconds: float64(len(pcm)) / float64(o.SampleRate),
		DetectorBytes: d.StateSize(),
	}
	if o.Pipeline {
		res.Bench = "dtmf pipeline"
	}
	ev := make([]detector.Event, 0, 2*(o.Frame/d.BlockSize()+2))
	var p *pipeline
	if o.Pipeline {
		if p, err = newPipeline(o.SampleRate); err != nil {
			return res, err
		}
		res.CollectorBytes = int(unsafe.Sizeof(collector.Collector{}))
	}
	var total time.Duration
	best := time.Duration(math.MaxInt64)
	var before, after, start runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&start)
	res.Allocations = math.MaxUint64
	for pass := range o.Repeat {
		runtime.ReadMemStats(&before)
		n := 0
		t0 := time.Now()
		for i := 0; i < len(pcm); i += o.Frame {
			ev = d.Process(ev[:0], pcm[i:min(i+o.Frame, len(pcm))])
			n += keyUps(ev)
			if p != nil {
				if err := p.frame(ev, d.Position()); err != nil {
					return res, err
				}
			}
		}
		pos := d.Position()
		ev = d.Flush(ev[:0])
		n += keyUps(ev)
		if p != nil {
			// Flush's key-up lies beyond the audio: let the clock reach it.
			for i := range ev {
				pos = max(pos, ev[i].At)
			}
			if err := p.frame(ev, pos); err != nil {
				return res, err
			}
			if err := p.end(); err != nil {
				return res, err
			}
		}
		dt := time.Since(t0)
		runtime.ReadMemStats(&after)
		res.Allocations = min(res.Allocations, after.Mallocs-before.Mallocs)
		total += dt
		best = min(best, dt)
		if pass == 0 {
			res.Digits = n
		} else if n != res.Digits {
			return res, fmt.Errorf("bench: pass %d found %d presses, pass 1 found %d: the detector is not deterministic", pass+1, n, res.Digits)
		}
	}
	res.AllocationsTotal = after.Mallocs - start.Mallocs
	res.AllocatedBytes = after.TotalAlloc - start.TotalAlloc
	res.Seconds = total.Seconds()
	all := float64(len(pcm)) * float64(o.Repeat)
	res.NsPerSample = float64(total.Nanoseconds()) / all
	res.BestNsPerSample = float64(best.Nanoseconds()) / float64(len(pcm))
	res.ChannelsPerCore = 1e9 / (res.NsPerSample * float64(o.SampleRate))
	if p != nil {
		res.Collections = p.collections / o.Repeat
	}
	return res, nil
}

func keyUps(ev []detector.Event) int {
	n := 0
	for i := range ev {
		if ev[i].Type == detector.KeyUp {
			n++
		}
	}
	return n
}

// pipeline is what a media server does with detector events besides
// detecting: feed them to a digit collector that always has a collection
// running (restarted as soon as one ends), and encode every key-up and every
// collection result as contract JSON into a reused buffer.
type pipeline struct {
	c           *collector.Collector
	cfg         collector.Config
	buf         []byte
	collections int
}

func newPipeline(rate int) (*pipeline, error) {
	c, err := collector.New(rate)
	if err != nil {
		return nil, err
	}
	p := &pipeline{c: c, cfg: collector.DefaultConfig(), buf: make([]byte, 0, 4096)}
	_, err = c.Start("bench", p.cfg)
	return p, err
}

// frame handles the events of one frame and advances the collector's clock
// to pos.
func (p *pipeline) frame(ev []detector.Event, pos int64) error {
	for i := range ev {
		sig, err := p.c.Key(ev[i])
		if err != nil {
			return err
		}
		if ev[i].Type == detector.KeyUp {
			e := dtmf.KeyEvent("bench", ev[i])
			p.buf = e.AppendJSON(p.buf[:0])
		}
		if err := p.signal(sig); err != nil {
			return err
		}
	}
	sig, err := p.c.AdvanceTo(pos)
	if err != nil {
		return err
	}
	return p.signal(sig)
}

func (p *pipeline) signal(sig collector.Signal) error {
	if !sig.Has(collector.Done) {
		return nil
	}
	e := dtmf.ResultEvent("bench", p.c.Result())
	p.buf = e.AppendJSON(p.buf[:0])
	p.collections++
	_, err := p.c.Start("bench", p.cfg)
	return err
}

// end closes the stream: the running collection is hung up (its result
// encoded) and the clock reset for the next pass.
func (p *pipeline) end() error {
	if p.c.Hangup().Has(collector.Done) {
		e := dtmf.ResultEvent("bench", p.c.Result())
		p.buf = e.AppendJSON(p.buf[:0])
		p.collections++
	}
	p.c.Reset()
	_, err := p.c.Start("bench", p.cfg)
	return err
}
