package dtmf

import (
	"errors"
	"fmt"

	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/suppress"
)

var (
	// ErrConfig reports an invalid [ChannelConfig] field or argument; the
	// wrapped message names it, its value and the allowed range.
	ErrConfig = errors.New("dtmf: invalid config")
	// ErrClosed is returned by every method of a [Channel] after Hangup or
	// Close, except those two, which do nothing then.
	ErrClosed = errors.New("dtmf: channel closed")
)

// ChannelConfig sets up a [Channel].
type ChannelConfig struct {
	// Session is the call or stream id written as `session_uuid` in every
	// event: non-empty UTF-8.
	Session string
	// Detector configures the detector; the zero value means
	// [detector.DefaultConfig] (8 kHz).
	Detector detector.Config
	// Sink receives the events. It is not closed by the Channel: one sink
	// (an [emit.Async], or a webhook.Sink of package emit/webhook, say)
	// usually serves many channels.
	Sink emit.Sink
	// Extras adds fields beyond the contract to every event
	// ([emit.ExtraOffset], [emit.ExtraChannel]); 0 writes exactly the
	// contract's fields.
	Extras uint8
	// Channel is written as "channel" when Extras has emit.ExtraChannel;
	// ≥ 0.
	Channel int

	// OnKey, if set, receives every key event as the detector reports it:
	// KeyDown as soon as a press is confirmed (about 30 ms after it began),
	// KeyUp when it ends, with its duration; positions in samples from the
	// start of the stream (gaps included). It is called on the goroutine
	// that calls Process, before the collector sees the event, whether or
	// not a collection is running; it must not block, and the Event is a
	// copy it may keep.
	OnKey func(detector.Event)

	// Suppress, if set, removes the key presses from the audio the host
	// forwards (see package [suppress]; its Detector field is ignored:
	// the channel's Detector config is used). Process, ProcessULaw and
	// ProcessALaw then overwrite each frame in place with the audio to
	// forward, [Channel.Delay] samples late, every key press replaced by
	// silence or comfort noise; the events are the same as without it.
	// ProcessFloat32 is refused (the suppressor forwards 16-bit and G.711
	// frames). A suppressing channel costs about 3.6 KB of heap at 8 kHz
	// (measured over 2,000 channels), most of it the suppressor's delay
	// line.
	Suppress *suppress.Config

	// Explain, if set, receives the detector's evaluation of every
	// candidate, accepted or not (see [detector.Detector.Explain]): why a
	// digit was or was not found. It runs on the Process goroutine; the
	// Evaluation is reused, so copy what you keep. The events are the same
	// with or without it.
	Explain func(*detector.Evaluation)
}

// Channel runs the whole path for one audio channel: detector, collector
// and events. Feed it each frame of audio; it emits a `dtmf` event to the
// sink at every key release and one `digits.collected` event per
// collection, and returns the [collector.Signal]s the host must act on
// (stop the prompt on BargeIn, replay it on Retry).
//
// A Channel is not safe for concurrent use: call all its methods from the
// goroutine that processes the channel's audio. A host whose commands
// (Collect, PromptDone, Abort) arrive on another goroutine hands them over,
// for instance through a Go channel read between frames. NewChannel
// allocates the detector and collector; Collect allocates the collection's
// digit buffer; the per-frame methods allocate nothing (if the sink's Emit
// does not).
type Channel struct {
	det     *detector.Detector // nil with a suppressor, which holds it
	sx      *suppression       // nil without ChannelConfig.Suppress
	onKey   func(detector.Event)
	col     *collector.Collector
	sink    emit.Sink
	session string
	extras  uint8
	channel int
	rate    int64
	block   int // the detector's block size [samples]
	closed  bool
}

// suppression is a suppressing channel's suppressor and its event buffer
// (the suppressor's generic paths would make a stack array escape).
type suppression struct {
	s   *suppress.Suppressor
	evs []detector.Event
}

// maxEventsPerChunk bounds the events one call of the detector appends when
// the Channel feeds it at most one block (see [Detector.Process]: 2 per
// completed block). Frames are fed block by block into an array of this
// size on the stack, so that a Channel holds no event buffer: its memory is
// the detector's, the collector's and its own struct.
const maxEventsPerChunk = 2

// maxFlushEvents is room for the events of [detector.Detector.Flush] (the
// last block, a pending candidate and the release of a key): more would
// only grow the slice on the heap, at the end of a stream.
const maxFlushEvents = 8

// NewChannel returns a Channel for cfg, or an error wrapping [ErrConfig]
// (and the detector's error for a bad detector config).
func NewChannel(cfg ChannelConfig) (*Channel, error) {
	dc := cfg.Detector
	if dc == (detector.Config{}) {
		dc = detector.DefaultConfig()
	}
	probe := emit.Event{Kind: emit.KindDTMF, SessionUUID: cfg.Session, Digit: '1', Extras: cfg.Extras, Channel: cfg.Channel}
	switch err := probe.Validate(); {
	case cfg.Sink == nil:
		return nil, fmt.Errorf("%w: Sink is nil", ErrConfig)
	case err != nil:
		return nil, fmt.Errorf("%w: Session %q, Extras %#x, Channel %d: %w", ErrConfig, cfg.Session, cfg.Extras, cfg.Channel, err)
	}
	det, err := detector.New(dc)
	if err != nil {
		return nil, fmt.Errorf("%w: Detector: %w", ErrConfig, err)
	}
	block := det.BlockSize()
	var sx *suppression
	if cfg.Suppress != nil {
		sc := *cfg.Suppress
		sc.Detector = dc
		sup, err := suppress.New(sc)
		if err != nil {
			return nil, fmt.Errorf("%w: Suppress: %w", ErrConfig, err)
		}
		det = nil
		sup.Explain(cfg.Explain)
		sx = &suppression{s: sup, evs: make([]detector.Event, 0, maxFlushEvents)}
	} else if cfg.Explain != nil {
		det.Explain(cfg.Explain)
	}
	col, err := collector.New(dc.SampleRate)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return &Channel{
		det:     det,
		sx:      sx,
		onKey:   cfg.OnKey,
		col:     col,
		sink:    cfg.Sink,
		session: cfg.Session,
		extras:  cfg.Extras,
		channel: cfg.Channel,
		rate:    int64(dc.SampleRate),
		block:   block,
	}, nil
}

// SampleRate returns the input sample rate [Hz].
func (ch *Channel) SampleRate() int { return int(ch.rate) }

// Position returns the number of samples consumed since the channel
// started, gaps included: the clock of the collector.
func (ch *Channel) Position() int64 { return ch.col.Position() }

// Collecting reports whether a collection is running.
func (ch *Channel) Collecting() bool { return ch.col.Running() }

// Result returns the outcome of the last collection that ended, as also
// emitted to the sink.
func (ch *Channel) Result() collector.Result { return ch.col.Result() }

// Process consumes 16-bit linear PCM samples (any frame length), emits the
// events they complete and returns the signals they raised. The error is
// the first one a sink returned; processing goes on regardless, so the
// channel stays consistent. After Hangup or Close it returns [ErrClosed].
// With ChannelConfig.Suppress it overwrites pcm with the audio to forward.
// It allocates nothing (if the sink's Emit does not).
func (ch *Channel) Process(pcm []int16) (collector.Signal, error) {
	return ch.feed(linear, pcm, nil)
}

// ProcessULaw is [Channel.Process] for G.711 µ-law bytes (a PCMU payload).
func (ch *Channel) ProcessULaw(b []byte) (collector.Signal, error) {
	return ch.feed(ulaw, nil, b)
}

// ProcessALaw is [Channel.Process] for G.711 A-law bytes (a PCMA payload).
func (ch *Channel) ProcessALaw(b []byte) (collector.Signal, error) {
	return ch.feed(alaw, nil, b)
}

// coding is the encoding of a frame given to feed.
type coding uint8

const (
	linear coding = iota // 16-bit PCM, in pcm
	ulaw                 // µ-law bytes, in b
	alaw                 // A-law bytes, in b
)

// feed is the one path of Process, ProcessULaw and ProcessALaw: the frame
// (pcm or b, by c) goes to the detector or suppressor block by block, and
// each block's events to the collector and the sink. (One path, not a
// generic one: a type parameter would make the stack event array escape.)
func (ch *Channel) feed(c coding, pcm []int16, b []byte) (collector.Signal, error) {
	if ch.closed {
		return 0, ErrClosed
	}
	n := len(pcm)
	if c != linear {
		n = len(b)
	}
	var sig collector.Signal
	var first error
	for lo := 0; lo < n; {
		hi := lo + ch.chunk(n-lo)
		var buf [maxEventsPerChunk]detector.Event
		s, err := ch.keys(ch.run(&buf, c, pcm, b, lo, hi))
		sig, first = sig|s, firstErr(first, err)
		lo = hi
	}
	s, err := ch.advance(ch.position())
	return sig | s, firstErr(first, err)
}

// run runs samples [lo, hi) of the frame, at most one detector block,
// through the detector (its events into buf) or the suppressor (into its
// own buffer), and returns the events.
func (ch *Channel) run(buf *[maxEventsPerChunk]detector.Event, c coding, pcm []int16, b []byte, lo, hi int) []detector.Event {
	if x := ch.sx; x != nil {
		switch c {
		case linear:
			x.evs = x.s.Process(x.evs[:0], pcm[lo:hi])
		case ulaw:
			x.evs = x.s.ProcessULaw(x.evs[:0], b[lo:hi])
		default:
			x.evs = x.s.ProcessALaw(x.evs[:0], b[lo:hi])
		}
		return x.evs
	}
	switch c {
	case linear:
		return ch.det.Process(buf[:0], pcm[lo:hi])
	case ulaw:
		return ch.det.ProcessULaw(buf[:0], b[lo:hi])
	default:
		return ch.det.ProcessALaw(buf[:0], b[lo:hi])
	}
}

// ProcessFloat32 is [Channel.Process] for float samples in [-1, 1]. A NaN or
// infinite sample rejects the whole frame with the detector's error
// ([detector.ErrNonFinite]); nothing of it is consumed. A channel that
// suppresses (ChannelConfig.Suppress) refuses float frames with an error
// wrapping [ErrConfig].
func (ch *Channel) ProcessFloat32(x []float32) (collector.Signal, error) {
	if ch.closed {
		return 0, ErrClosed
	}
	if ch.sx != nil {
		return 0, errFloatSuppress
	}
	// The frame is fed block by block: check all of it first, so that a bad
	// sample late in it rejects it whole. v*0 is 0 for a finite v, NaN
	// otherwise.
	var z float32
	for _, v := range x {
		z += v * 0
	}
	if z != 0 {
		_, err := ch.det.ProcessFloat32(nil, x) // rejects it, naming the sample
		return 0, err
	}
	var sig collector.Signal
	var first error
	for len(x) > 0 {
		n := ch.chunk(len(x))
		var buf [maxEventsPerChunk]detector.Event
		evs, err := ch.det.ProcessFloat32(buf[:0], x[:n])
		if err != nil { // cannot happen: every sample is finite
			return sig, err
		}
		s, err := ch.keys(evs)
		sig, first = sig|s, firstErr(first, err)
		x = x[n:]
	}
	s, err := ch.advance(ch.position())
	return sig | s, firstErr(first, err)
}

// errFloatSuppress is ProcessFloat32's error on a suppressing channel.
var errFloatSuppress = fmt.Errorf("%w: ProcessFloat32 on a channel with Suppress: the suppressor forwards 16-bit or G.711 frames", ErrConfig)

// Delay returns the delay in samples between a sample going into a
// Process method and its forwarded version coming out of one: the
// suppressor's lookahead with ChannelConfig.Suppress (319 samples, 39.9 ms,
// at 8 kHz with the defaults), 0 without.
func (ch *Channel) Delay() int {
	if ch.sx == nil {
		return 0
	}
	return ch.sx.s.Delay()
}

// position returns the samples the detector has consumed.
func (ch *Channel) position() int64 {
	if ch.sx != nil {
		return ch.sx.s.Position()
	}
	return ch.det.Position()
}

// chunk returns how many of the n samples left to feed make up to the end
// of the detector's current block: fed that way, each call completes at
// most one block (so appends at most maxEventsPerChunk events) and whole
// blocks are analysed in place, without the detector's copy.
func (ch *Channel) chunk(n int) int {
	return min(n, ch.block-int(ch.position()%int64(ch.block)))
}

// Reset returns ch to the state [NewChannel] gave it, with the same
// config, for a new stream: position 0, nothing buffered. Audio still in
// the detector, a key still down and a running collection are discarded
// without an event (call [Channel.Hangup] or [Channel.Close] first to emit
// them); a closed channel is open again. The sink is kept, and so is the
// collector's compiled Pattern (a cache). Reset allocates nothing.
func (ch *Channel) Reset() {
	if ch.sx != nil {
		ch.sx.s.Reset()
	} else {
		ch.det.Reset()
	}
	ch.col.Reset()
	ch.closed = false
}

// silence is read-only zeros for Gap.
var silence [512]int16

// Gap tells the channel that samples of audio are missing (RTP loss, DTX,
// a paused stream): they are processed as silence, and the collector's
// timeouts run. A key whose tone resumes after a gap shorter than the
// detector's [detector.Config.MinPause] (30 ms by default) is one press:
// the gap is bridged, as a lost packet or two should be, and its `dtmf`
// event, at the release, counts the gap in its duration. A longer gap
// releases the key (its `dtmf` is emitted once the gap reaches MinPause),
// and a tone after it is a new press. samples must be ≥ 0. It allocates
// nothing.
func (ch *Channel) Gap(samples int64) (collector.Signal, error) {
	if ch.closed {
		return 0, ErrClosed
	}
	if samples < 0 {
		return 0, fmt.Errorf("%w: Gap of %d samples, want ≥ 0", ErrConfig, samples)
	}
	var sig collector.Signal
	var first error
	for samples > 0 {
		n := min(samples, int64(len(silence)))
		s, err := ch.Process(silence[:n])
		sig |= s
		first = firstErr(first, err)
		samples -= n
	}
	return sig, first
}

// firstErr returns the first non-nil error.
func firstErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// keys feeds the detector's events to the collector and emits what they
// produce.
func (ch *Channel) keys(evs []detector.Event) (collector.Signal, error) {
	var sig collector.Signal
	var first error
	for i := range evs {
		ev := &evs[i]
		if ch.onKey != nil {
			ch.onKey(*ev)
		}
		s, err := ch.col.Key(*ev)
		if err != nil { // the detector's events are ordered: a bug if seen
			first = firstErr(first, err)
			continue
		}
		sig |= s
		if s&collector.Done != 0 {
			first = firstErr(first, ch.emitResult())
		}
		if ev.Type == detector.KeyUp {
			first = firstErr(first, ch.emitKey(ev))
		}
	}
	return sig, first
}

// advance moves the collector's clock to pos (never back) and emits the
// result of a collection whose timeout that ends.
func (ch *Channel) advance(pos int64) (collector.Signal, error) {
	pos = max(pos, ch.col.Position())
	sig, err := ch.col.AdvanceTo(pos)
	if sig&collector.Done != 0 {
		err = firstErr(err, ch.emitResult())
	}
	return sig, err
}

// ms converts a position to milliseconds, rounded to nearest.
func (ch *Channel) ms(pos int64) int64 { return (pos*1000 + ch.rate/2) / ch.rate }

func (ch *Channel) emitKey(ev *detector.Event) error {
	e := KeyEvent(ch.session, *ev)
	e.Extras, e.Channel = ch.extras, ch.channel
	if ch.extras&emit.ExtraOffset != 0 {
		e.OffsetMS = ch.ms(ev.Start)
	}
	return ch.sink.Emit(e)
}

func (ch *Channel) emitResult() error {
	r := ch.col.Result()
	e := ResultEvent(ch.session, r)
	e.Extras, e.Channel = ch.extras, ch.channel
	if ch.extras&emit.ExtraOffset != 0 {
		e.OffsetMS = ch.ms(r.End)
	}
	return ch.sink.Emit(e)
}

// Collect starts a collection identified by commandUID with cfg (see
// package [collector] for the rules), at the current position. A collection
// still running is aborted first: its `digits.collected` (status unknown) is
// emitted, and the returned signals concern the new collection only. With
// cfg.TypeAhead the new collection may report [collector.BargeIn] at once
// (do not play the prompt) or even [collector.Done] (its result is emitted).
// An invalid commandUID or cfg returns an error wrapping
// [collector.ErrConfig] and changes nothing; a sink's error is returned
// after the collection started. Collect allocates the digit buffer, and
// compiles cfg.Pattern if it is new.
func (ch *Channel) Collect(commandUID string, cfg collector.Config) (collector.Signal, error) {
	if ch.closed {
		return 0, ErrClosed
	}
	if ch.col.Running() { // check first: a bad command must not end the running one
		if commandUID == "" {
			return 0, fmt.Errorf("%w: command uid is empty", collector.ErrConfig)
		}
		if err := cfg.Validate(); err != nil {
			return 0, err
		}
	}
	var first error
	if ch.col.Abort()&collector.Done != 0 {
		first = ch.emitResult()
	}
	sig, err := ch.col.Start(commandUID, cfg)
	if err != nil {
		return 0, err
	}
	if sig&collector.Done != 0 {
		first = firstErr(first, ch.emitResult())
	}
	return sig, first
}

// PromptDone tells the collector that the current try's prompt finished
// playing: its first-digit timeout counts from now (see
// [collector.Collector.PromptDone]).
func (ch *Channel) PromptDone() error {
	if ch.closed {
		return ErrClosed
	}
	ch.col.PromptDone()
	return nil
}

// Abort ends the running collection, if any, with status unknown, and
// emits its result.
func (ch *Channel) Abort() error {
	if ch.closed {
		return ErrClosed
	}
	if ch.col.Abort()&collector.Done == 0 {
		return nil
	}
	return ch.emitResult()
}

// Hangup ends the channel because the call hung up or the stream ended:
// buffered audio is analysed (a key still down is released and its `dtmf`
// emitted), a collection still running ends with status failure, and the
// channel is closed. It returns the first sink error. Later calls, and
// Close, do nothing.
func (ch *Channel) Hangup() error { return ch.end(collector.ReasonHangup) }

// Close ends the channel without a hang-up, because the host shuts it down:
// as [Channel.Hangup], but a collection still running ends with status
// unknown, since its outcome cannot be known. Later calls, and Hangup, do
// nothing. Close does not close the sink.
func (ch *Channel) Close() error { return ch.end(collector.ReasonAbort) }

func (ch *Channel) end(why collector.Reason) error {
	if ch.closed {
		return nil
	}
	var buf [maxFlushEvents]detector.Event
	var evs []detector.Event
	if ch.sx != nil {
		// The forwarded tail is of no use once the call has ended.
		evs = ch.sx.s.Flush(ch.sx.evs[:0], nil)
	} else {
		evs = ch.det.Flush(buf[:0])
	}
	pos := ch.col.Position()
	for i := range evs {
		pos = max(pos, evs[i].At)
	}
	_, first := ch.keys(evs)
	_, err := ch.advance(pos)
	first = firstErr(first, err)
	var sig collector.Signal
	if why == collector.ReasonHangup {
		sig = ch.col.Hangup()
	} else {
		sig = ch.col.Abort()
	}
	if sig&collector.Done != 0 {
		first = firstErr(first, ch.emitResult())
	}
	ch.closed = true
	return first
}
