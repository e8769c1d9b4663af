package rtpdtmf

import (
	"encoding/binary"
	"fmt"
	"github.com/dtmfkit/dtmf/suppress"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// Suppressor is what a [Gateway] needs from a DTMF tone suppressor: the
// audio of one stream in, the same audio out a fixed Delay later with the
// key presses removed, and the key events the suppressor's detector found.
//
// Sample i of the output of Process is input sample i-Delay (the first
// Delay samples of a stream are silence). Event positions count input
// samples since the last Flush or Reset, as a [detector.Detector] counts
// them. Process must fill all of out (len(out) == len(in)) and must not
// retain either slice.
type Suppressor interface {
	// Delay returns the lookahead D [samples]: how far the output lags the
	// input. It must not change.
	Delay() int
	// Process consumes in, writes the next len(in) output samples into out
	// and appends the detector events in completes.
	Process(events []detector.Event, out, in []int16) []detector.Event
	// Flush ends the stream: it writes the last Delay output samples into
	// out (len(out) == Delay), appends the events still due (a key still
	// down is released) and leaves the suppressor as Reset.
	Flush(events []detector.Event, out []int16) []detector.Event
	// Reset starts a new stream, forgetting the held audio.
	Reset()
}

// GatewayConfig sets up a [Gateway]. Start from [DefaultGatewayConfig].
type GatewayConfig struct {
	// Receiver sets how input packets are put in order, decoded and
	// concealed, and the detector's config (SampleRate = ClockRate).
	Receiver Config
	// Sender sets how the telephone-events are sent; its ClockRate is set
	// to Receiver.ClockRate and its HoldBack applies.
	Sender SenderConfig
	// EventPayloadType is the payload type of the telephone-events sent,
	// 96 to 127; it must not be bound to audio in Receiver.PayloadTypes.
	// Default 101.
	EventPayloadType uint8
	// NewSuppressor makes the stream's suppressor for a detector config.
	// nil gives package suppress's, with its defaults (key presses
	// replaced by silence, 40 ms delay), unless KeepTones is set.
	NewSuppressor func(detector.Config) (Suppressor, error)
	// KeepTones forwards the audio unchanged (a pass-through with a delay
	// line of Lookahead) when NewSuppressor is nil: the far end then gets
	// the key presses both in-band and as telephone-events.
	KeepTones bool
	// Lookahead is the pass-through's delay [time], 0 to 200 ms. With at
	// least the Sender's HoldBack (60 ms), telephone-events go out exactly
	// with the audio they replace. Default 60 ms.
	Lookahead time.Duration
}

// DefaultGatewayConfig returns the receiver and sender defaults, event
// payload type 101 and package suppress's suppressor (the pass-through's
// lookahead, should KeepTones be set, is 60 ms).
func DefaultGatewayConfig() GatewayConfig {
	return GatewayConfig{Receiver: DefaultConfig(), Sender: DefaultSenderConfig(), EventPayloadType: DefaultEventPayloadType, Lookahead: 60 * time.Millisecond}
}

// pending is an output packet waiting for the delayed audio to reach it.
type pending struct {
	p   packet
	pos int64 // stream position of its first sample (or where it was)
	n   int   // audio samples
	buf []byte
}

// maxPending bounds the packets waiting for the delayed audio: a
// lookahead of 200 ms at 10 ms per packet, the reorder window and the
// non-audio packets between them.
const maxPending = 64

// Gateway forwards one RTP stream with its in-band key presses turned into
// RFC 4733 telephone-events: packets in (any order), packets out (in
// order), the audio passed through the [Suppressor] with its delay, the
// telephone-events inserted with the stream's SSRC and timestamps from the
// [Sender].
//
// Audio packets keep their timestamp, payload type, size and Marker bit;
// their payload is re-encoded from the suppressor's output (G.711 and L16
// are re-encoded losslessly). Sequence numbers are renumbered so that the
// inserted packets fit: each output packet takes the input's number plus
// the packets inserted so far, so losses on the input stay visible as gaps
// on the output. Packets the gateway does not decode (telephone-events
// already on the input, comfort noise, unknown payload types) are
// forwarded unchanged in their place; when the sender stops its audio
// while a key is down and sends only telephone-events, the gateway fills
// the gap with silence as the events show the time passing, so that they
// are not held until the audio resumes. Lost packets are concealed for the
// detector but not sent.
//
// A Gateway is not safe for concurrent use. [Gateway.Process] allocates
// nothing in steady state unless dst lacks capacity.
type Gateway struct {
	cfg     GatewayConfig
	types   [128]payloadEntry
	seq     sequencer
	tl      timeline
	conceal *concealer
	sup     Suppressor
	delay   int64
	snd     *Sender
	pkt     rtp.Packet
	stats   Stats

	ssrc     uint32
	haveSSRC bool
	inserted uint16 // packets inserted so far: output seq = input seq + inserted
	lastSeq  uint16 // the last output sequence number
	haveOut  bool
	supBase  int64 // the position of the suppressor's sample 0

	in, out  []int16 // decode and suppressor scratch
	cmp      []int16 // a waiting packet's input samples, to compare
	ring     []int16 // output samples by position & mask
	mask     int64
	produced int64 // the output is complete below this position
	devs     []detector.Event
	evs      []EventPacket

	pend         [maxPending]pending
	phead, plen  int
	arena        []byte
	refs         []outRef
	silenceRun   int64
	flushScratch []int16
	lastN        int64 // samples of the last audio packet
	muteLead     int64 // see catchUp
}

// outRef locates an output packet's payload in the arena.
type outRef struct{ index, off, n int }

// NewGateway returns a gateway for one stream, or an error wrapping
// [ErrConfig].
func NewGateway(cfg GatewayConfig) (*Gateway, error) {
	if err := cfg.Receiver.Validate(); err != nil {
		return nil, err
	}
	rate := cfg.Receiver.ClockRate
	cfg.Sender.ClockRate = rate
	if err := cfg.Sender.Validate(); err != nil {
		return nil, err
	}
	if cfg.Lookahead < 0 || cfg.Lookahead > 200*time.Millisecond {
		return nil, fmt.Errorf("%w: Lookahead %v: want a value in [0s, 200ms]", ErrConfig, cfg.Lookahead)
	}
	cfg.Receiver.PayloadTypes = append([]PayloadType(nil), cfg.Receiver.PayloadTypes...)
	types := payloadTable(cfg.Receiver)
	if cfg.EventPayloadType < 96 || cfg.EventPayloadType > 127 {
		return nil, fmt.Errorf("%w: EventPayloadType %d: want a dynamic type in [96, 127]", ErrConfig, cfg.EventPayloadType)
	}
	if e := types[cfg.EventPayloadType]; e.ok && e.enc != TelephoneEvent {
		return nil, fmt.Errorf("%w: EventPayloadType %d is bound to %v", ErrConfig, cfg.EventPayloadType, e.enc)
	}
	dc := cfg.Receiver.Detector
	dc.SampleRate = rate
	var sup Suppressor
	var err error
	switch {
	case cfg.NewSuppressor != nil:
		sup, err = cfg.NewSuppressor(dc)
	case cfg.KeepTones:
		sup, err = newPassThrough(dc, int(samples(cfg.Lookahead, rate)))
	default:
		sc := suppress.DefaultConfig()
		sc.Detector = dc
		sup, err = NewToneSuppressor(sc)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: suppressor: %w", ErrConfig, err)
	}
	snd, err := NewSender(cfg.Sender)
	if err != nil {
		return nil, err
	}
	delay := int64(sup.Delay())
	maxSamples := cfg.Receiver.MaxPayloadSize
	size := int64(1)
	for size < delay+2*int64(maxSamples)+1 {
		size <<= 1
	}
	g := &Gateway{
		cfg:          cfg,
		types:        types,
		conceal:      newConcealer(rate),
		sup:          sup,
		delay:        delay,
		snd:          snd,
		in:           make([]int16, maxSamples),
		out:          make([]int16, maxSamples),
		cmp:          make([]int16, maxSamples),
		ring:         make([]int16, size),
		mask:         size - 1,
		devs:         make([]detector.Event, 0, 8),
		evs:          make([]EventPacket, 0, 8),
		refs:         make([]outRef, 0, 8),
		silenceRun:   samples(maxSilenceRun, rate),
		muteLead:     samples(muteLead, rate),
		flushScratch: make([]int16, delay),
		tl:           timeline{maxGap: samples(cfg.Receiver.MaxGap, rate), maxConceal: samples(cfg.Receiver.MaxConceal, rate)},
	}
	g.seq.window = cfg.Receiver.ReorderWindow
	g.seq.stats = &g.stats
	g.produced = -delay
	return g, nil
}

// Delay returns the suppressor's delay [samples]: how long the output lags
// the input on the stream's clock.
func (g *Gateway) Delay() int { return int(g.delay) }

// Stats returns the input counters, as a [Receiver] counts them.
func (g *Gateway) Stats() Stats { return g.stats }

// Process parses one RTP packet (a UDP payload) and hands it to
// [Gateway.ProcessPacket].
func (g *Gateway) Process(dst []rtp.Packet, packet []byte) ([]rtp.Packet, error) {
	if err := g.pkt.Unmarshal(packet); err != nil {
		g.stats.Rejected++
		return dst, fmt.Errorf("%w: %w", ErrPacket, err)
	}
	return g.ProcessPacket(dst, &g.pkt)
}

// ProcessPacket takes one input packet and appends the packets now due to
// dst, in the order to send them. Their payloads point into the gateway's
// buffers and stay valid until the next call. p is not retained. A packet
// that is not RTP version 2 is dropped with an error wrapping [ErrPacket];
// one the gateway cannot decode is forwarded as it is, and returned with
// the error that says why.
func (g *Gateway) ProcessPacket(dst []rtp.Packet, p *rtp.Packet) ([]rtp.Packet, error) {
	if p.Version != 2 {
		g.stats.Rejected++
		return dst, fmt.Errorf("%w: version %d", ErrPacket, p.Version)
	}
	g.begin()
	if !g.haveSSRC || p.SSRC != g.ssrc {
		if g.haveSSRC {
			g.stats.SSRCChanges++
			for _, pl := range g.seq.flush() { // the old stream's held packets
				dst = g.play(dst, pl)
			}
			dst = g.endStream(dst)
			g.seq.reset()
		}
		g.ssrc, g.haveSSRC = p.SSRC, true
	}
	g.stats.Packets++
	g.tl.ref(p.Timestamp)
	pk, perr := classify(&g.types, p, g.cfg.Receiver.MaxPayloadSize)
	if perr != nil {
		g.stats.Rejected++
	}
	if pk.kind == kindEvent {
		g.stats.EventPackets++
	}
	for _, pl := range g.seq.push(pk) {
		dst = g.play(dst, pl)
	}
	return g.end(dst), perr
}

// Flush ends the stream: held packets are played, the delayed audio and
// the telephone-events still due are sent, and the gateway is ready for a
// new stream (its sequence numbering goes on).
func (g *Gateway) Flush(dst []rtp.Packet) []rtp.Packet {
	g.begin()
	for _, pl := range g.seq.flush() {
		dst = g.play(dst, pl)
	}
	dst = g.endStream(dst)
	g.seq.reset()
	g.haveSSRC = false
	return g.end(dst)
}

func (g *Gateway) begin() {
	g.arena = g.arena[:0]
	g.refs = g.refs[:0]
}

// end points the payloads of this call's packets into the arena, now that
// it no longer grows.
func (g *Gateway) end(dst []rtp.Packet) []rtp.Packet {
	for _, r := range g.refs {
		dst[r.index].Payload = g.arena[r.off : r.off+r.n]
	}
	return dst
}

func (g *Gateway) play(dst []rtp.Packet, pl played) []rtp.Packet {
	if pl.restart {
		dst = g.endStream(dst)
	}
	g.tl.lossPending += pl.lost
	p := pl.p
	if p.kind != kindAudio {
		switch p.kind {
		case kindSilence:
			g.tl.lossPending = 0
		case kindEvent:
			dst = g.catchUp(dst, p)
		}
		return g.queue(dst, p, g.tl.pos, 0)
	}
	n := len(p.payload)
	switch p.enc {
	case L16:
		n /= 2
	case l16Stereo:
		n /= 4
	}
	g.lastN = int64(n)
	gp := g.tl.join(p.ts, n)
	if gp.reset {
		dst = g.endStream(dst)
		gp = g.tl.join(p.ts, n)
	}
	g.snd.SetTimestamp(g.tl.pos, g.tl.nextTS)
	dst = g.fill(dst, gp)
	pcm := g.decode(p, n)
	pcm = pcm[gp.skip:]
	g.conceal.end()
	// The packet's first sample is at tl.pos minus the overlap skipped.
	dst = g.queue(dst, p, g.tl.pos-int64(gp.skip), n)
	g.conceal.push(pcm)
	return g.feed(dst, pcm)
}

// muteLead is how far past the audio a telephone-event must reach for the
// gateway to conclude that the sender has stopped sending audio while a
// key is down (as Asterisk and many phones do), beyond the last audio
// packet's own length. In sequence order, the audio before an event
// packet covers the time up to at most one packet before it was sent; a
// sender's event timer may run up to a packet ahead of its audio, and
// 60 ms is that packet (ptime is at most 60 ms in practice) with room to
// spare.
const muteLead = 60 * time.Millisecond

// catchUp moves the stream on, in silence, to where telephone-event
// packet p shows the sender's clock to be, less lastN + muteLead, when the
// audio has fallen that far behind without a loss: the sender has muted
// its audio. Without it, the packets and the delayed audio held for the
// suppressor would wait for the audio to resume and go out in a burst, a
// whole key press late. With it they wait for the sender's clock, as its
// event packets show it, to pass them by muteLead, a packet and the
// delay (the repeats of an event's final packet show no later time). The
// silence is what the gap would be filled with anyway once the audio
// resumes (a gap without loss is silence, see timeline.join).
func (g *Gateway) catchUp(dst []rtp.Packet, p packet) []rtp.Packet {
	if !g.tl.haveAudio || g.tl.lossPending > 0 {
		return dst // no clock yet, or the audio may be lost, not muted
	}
	n, _ := rfc4733.Count(p.payload) // checked by classify
	end := g.tl.posOf(p.ts)
	for i := range n {
		var ev rfc4733.Event
		_ = ev.Unmarshal(p.payload[4*i : 4*i+4]) // 4 bytes: cannot fail
		end += int64(ev.Duration)                // §2.5.1.5: packed events follow one another
	}
	ahead := end - g.tl.pos
	if ahead > g.tl.maxGap {
		return dst // not this stream's clock: the next audio decides
	}
	silence := ahead - g.lastN - g.muteLead
	if silence <= 0 {
		return dst
	}
	g.snd.SetTimestamp(g.tl.pos, g.tl.nextTS)
	return g.fill(dst, gap{silence: silence})
}

// queue adds an output packet to wait for the delayed audio.
func (g *Gateway) queue(dst []rtp.Packet, p packet, pos int64, n int) []rtp.Packet {
	if g.plen == maxPending {
		dst = g.emitHead(dst, true)
	}
	e := &g.pend[(g.phead+g.plen)%maxPending]
	e.buf = append(e.buf[:0], p.payload...)
	e.p, e.pos, e.n = p, pos, n
	e.p.payload = e.buf
	g.plen++
	return g.emit(dst)
}

// fill hands a gap to the suppressor, as the receiver does to its
// detector.
func (g *Gateway) fill(dst []rtp.Packet, gp gap) []rtp.Packet {
	g.stats.ConcealedSamples += gp.conceal
	g.stats.SilenceSamples += gp.silence
	for left := gp.conceal; left > 0; {
		m := min(left, int64(len(g.in)))
		g.conceal.fill(g.in[:m])
		dst = g.feed(dst, g.in[:m])
		left -= m
	}
	run := min(gp.silence, g.silenceRun)
	for left := run; left > 0; {
		m := min(left, int64(len(silence)))
		g.conceal.push(silence[:m])
		dst = g.feed(dst, silence[:m])
		left -= m
	}
	if rest := gp.silence - run; rest > 0 {
		// As in the receiver: past silenceRun, restart the suppressor
		// beyond the gap instead of feeding it the rest.
		dst = g.flushSuppressor(dst)
		g.tl.advance(rest)
		g.supBase = g.tl.pos
		g.produced = g.tl.pos - g.delay
		g.snd.SetTimestamp(g.tl.pos, g.tl.nextTS)
		g.conceal.reset()
	}
	return dst
}

// feed runs samples through the suppressor and sends what is now complete.
func (g *Gateway) feed(dst []rtp.Packet, pcm []int16) []rtp.Packet {
	for len(pcm) > 0 {
		m := min(len(pcm), len(g.out))
		from := len(g.devs)
		g.devs = g.sup.Process(g.devs, g.out[:m], pcm[:m])
		g.rebase(from)
		g.store(g.tl.pos-g.delay, g.out[:m])
		g.tl.advance(int64(m))
		g.produced = g.tl.pos - g.delay
		pcm = pcm[m:]
		dst = g.emit(dst)
	}
	return dst
}

// rebase puts the suppressor's events from index from on the stream's
// positions.
func (g *Gateway) rebase(from int) {
	for i := from; i < len(g.devs); i++ {
		d := &g.devs[i]
		d.Start += g.supBase
		d.At += g.supBase
		if d.Type == detector.KeyUp {
			d.End += g.supBase
		}
	}
}

// store writes output samples starting at position pos into the ring.
func (g *Gateway) store(pos int64, out []int16) {
	for i, v := range out {
		g.ring[(pos+int64(i))&g.mask] = v
	}
}

// flushSuppressor takes the suppressor's last Delay samples and events.
func (g *Gateway) flushSuppressor(dst []rtp.Packet) []rtp.Packet {
	from := len(g.devs)
	g.devs = g.sup.Flush(g.devs, g.flushScratch)
	g.rebase(from)
	g.store(g.tl.pos-g.delay, g.flushScratch)
	g.produced = g.tl.pos
	return g.emit(dst)
}

// emit sends the waiting packets whose audio is complete, with the
// telephone-events due at their end.
func (g *Gateway) emit(dst []rtp.Packet) []rtp.Packet {
	for g.plen > 0 {
		e := &g.pend[g.phead]
		if e.pos+int64(e.n) > g.produced {
			break
		}
		dst = g.emitHead(dst, false)
	}
	return dst
}

// emitHead sends the oldest waiting packet (early, with the audio not yet
// through the suppressor, if force: the queue is full).
func (g *Gateway) emitHead(dst []rtp.Packet, force bool) []rtp.Packet {
	e := &g.pend[g.phead]
	g.phead = (g.phead + 1) % maxPending
	g.plen--
	off := len(g.arena)
	if e.p.kind == kindAudio && !force && !g.unchanged(e) {
		g.encode(e)
	} else {
		g.arena = append(g.arena, e.p.payload...)
	}
	dst = g.send(dst, e.p.pt, e.p.marker, e.p.ts, off, len(g.arena)-off, e.p.seq, false)
	g.evs = g.snd.Process(g.evs[:0], g.devs, e.pos+int64(e.n), g.tl.pos)
	g.devs = g.devs[:0]
	return g.sendEvents(dst)
}

// send appends one output packet whose payload is arena[off:off+n].
func (g *Gateway) send(dst []rtp.Packet, pt uint8, marker bool, ts uint32, off, n int, inSeq uint16, inserted bool) []rtp.Packet {
	var seq uint16
	if inserted {
		seq = g.lastSeq + 1
		g.inserted++
	} else {
		seq = inSeq + g.inserted
	}
	if g.haveOut && int16(seq-g.lastSeq) <= 0 {
		seq = g.lastSeq + 1 // never go back, whatever the input did
	}
	g.lastSeq, g.haveOut = seq, true
	g.refs = append(g.refs, outRef{index: len(dst), off: off, n: n})
	return append(dst, rtp.Packet{Header: rtp.Header{Version: 2, Marker: marker, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: g.ssrc}})
}

// sendEvents appends the telephone-event packets in g.evs.
func (g *Gateway) sendEvents(dst []rtp.Packet) []rtp.Packet {
	for _, ev := range g.evs {
		off := len(g.arena)
		g.arena, _ = ev.Event.Append(g.arena) // the Sender's volume is in range
		dst = g.send(dst, g.cfg.EventPayloadType, ev.Marker, ev.Timestamp, off, len(g.arena)-off, 0, true)
	}
	return dst
}

// unchanged reports whether the suppressor left a waiting audio packet's
// samples as they came: then its payload goes out byte for byte (G.711
// has two codes for zero that re-encoding would merge).
func (g *Gateway) unchanged(e *pending) bool {
	pcm := g.decodeInto(g.cmp[:e.n], e.p)
	for i, v := range pcm {
		if g.ring[(e.pos+int64(i))&g.mask] != v {
			return false
		}
	}
	return true
}

// encode re-encodes a waiting audio packet from the output ring into the
// arena (the payload type's encoding; the second L16 channel is kept as
// it came).
func (g *Gateway) encode(e *pending) {
	for i := range e.n {
		v := g.ring[(e.pos+int64(i))&g.mask]
		switch e.p.enc {
		case PCMU:
			g.arena = append(g.arena, g711.LinearToULaw(v))
		case PCMA:
			g.arena = append(g.arena, g711.LinearToALaw(v))
		case L16:
			g.arena = binary.BigEndian.AppendUint16(g.arena, uint16(v))
		case l16Stereo:
			g.arena = binary.BigEndian.AppendUint16(g.arena, uint16(v))
			g.arena = append(g.arena, e.p.payload[4*i+2:4*i+4]...)
		}
	}
}

func (g *Gateway) decode(p packet, n int) []int16 { return g.decodeInto(g.in[:n], p) }

// decodeInto decodes p's len(pcm) samples into pcm.
func (g *Gateway) decodeInto(pcm []int16, p packet) []int16 {
	switch p.enc {
	case PCMU:
		g711.DecodeULaw(pcm, p.payload)
	case PCMA:
		g711.DecodeALaw(pcm, p.payload)
	case L16:
		for i := range pcm {
			pcm[i] = int16(binary.BigEndian.Uint16(p.payload[2*i:]))
		}
	case l16Stereo:
		for i := range pcm {
			pcm[i] = int16(binary.BigEndian.Uint16(p.payload[4*i:]))
		}
	}
	return pcm
}

// endStream sends everything the stream still owes (the delayed audio,
// the last telephone-events) and restarts the timeline.
func (g *Gateway) endStream(dst []rtp.Packet) []rtp.Packet {
	dst = g.flushSuppressor(dst)
	for g.plen > 0 {
		dst = g.emitHead(dst, false)
	}
	g.evs = g.snd.Process(g.evs[:0], g.devs, g.tl.pos, g.tl.pos)
	g.devs = g.devs[:0]
	dst = g.sendEvents(dst)
	g.evs = g.snd.Flush(g.evs[:0], g.tl.pos)
	dst = g.sendEvents(dst)
	g.tl.clear()
	g.conceal.reset()
	g.supBase = g.tl.pos
	g.produced = g.tl.pos - g.delay
	g.stats.Resets++
	return dst
}

// toneSuppressor adapts a [suppress.Suppressor], which rewrites frames in
// place, to [Suppressor].
type toneSuppressor struct{ s *suppress.Suppressor }

// NewToneSuppressor returns package suppress's suppressor for cfg as a
// gateway [Suppressor]: key presses replaced by silence or comfort noise in
// the forwarded audio, a fixed delay of about 40 ms. It fails as
// [suppress.New] does.
func NewToneSuppressor(cfg suppress.Config) (Suppressor, error) {
	s, err := suppress.New(cfg)
	if err != nil {
		return nil, err
	}
	return toneSuppressor{s}, nil
}

func (t toneSuppressor) Delay() int { return t.s.Delay() }

func (t toneSuppressor) Process(events []detector.Event, out, in []int16) []detector.Event {
	copy(out, in)
	return t.s.Process(events, out[:len(in)])
}

func (t toneSuppressor) Flush(events []detector.Event, out []int16) []detector.Event {
	return t.s.Flush(events, out)
}

func (t toneSuppressor) Reset() { t.s.Reset() }
