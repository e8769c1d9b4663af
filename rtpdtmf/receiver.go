package rtpdtmf

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/g711"
	"github.com/dtmfkit/dtmf/rfc4733"
)

// Stats counts what a [Receiver] has seen since it was created or reset.
type Stats struct {
	// Packets is the number of RTP packets accepted (any payload type),
	// EventPackets the telephone-event packets among them.
	Packets, EventPackets int64
	// Lost is the number of packets given up as lost (never arrived within
	// the reorder window).
	Lost int64
	// Late counts packets that arrived after their place in the sequence
	// was passed (including duplicates of played packets); Duplicates
	// counts second copies of packets still held. Both are dropped.
	Late, Duplicates int64
	// Reordered counts packets that arrived after a later one and were put
	// back in order.
	Reordered int64
	// Discarded counts packets far out of sequence (RFC 3550 A.1) that did
	// not start a new sequence, and telephone-events with a timestamp far
	// from the stream's.
	Discarded int64
	// Restarts counts sequence-number jumps that restarted the stream;
	// Resets counts every clean restart of the stream state (sequence
	// restart, timestamp jump, new SSRC).
	Restarts, Resets int64
	// SSRCChanges counts packets that brought a new SSRC.
	SSRCChanges int64
	// ConcealedSamples is the lost audio filled by repetition,
	// SilenceSamples the gaps filled with silence (silence suppression,
	// losses longer than MaxConceal).
	ConcealedSamples, SilenceSamples int64
	// Rejected counts packets returned with an error.
	Rejected int64
}

type payloadEntry struct {
	ok       bool
	enc      Encoding
	channels uint8
}

// maxSilenceRun is the longest silence handed to the detector for one gap:
// far more than it takes to release a key (MinPause, at most 500 ms, is
// bridged only inside a tone; a released key needs ~60 ms of silence).
const maxSilenceRun = 600 * time.Millisecond

// payloadTable binds the payload types of cfg at its clock rate.
func payloadTable(cfg Config) (t [128]payloadEntry) {
	for _, pt := range cfg.PayloadTypes {
		rate := pt.ClockRate
		if rate == 0 {
			rate = cfg.ClockRate
		}
		if rate != cfg.ClockRate {
			t[pt.Number] = payloadEntry{} // a later entry at another rate unbinds the number
			continue
		}
		t[pt.Number] = payloadEntry{ok: true, enc: pt.Encoding, channels: uint8(max(pt.Channels, 1))}
	}
	return t
}

// silence is a read-only run of zeros to fill gaps with.
var silence [960]int16

// Receiver turns one RTP stream into key presses: in-band DTMF found by a
// [detector.Detector] in the audio, and RFC 4733 telephone-events, merged
// into one sequence of [Event] values.
//
// Packets may arrive in any order. They are put back in sequence within
// [Config.ReorderWindow] packets; duplicates and late packets are dropped;
// a lost packet's audio is concealed by repeating the last period of the
// signal (up to [Config.MaxConceal], then silence), and gaps in the
// timestamps without lost packets (silence suppression) are filled with
// silence. A timestamp jump beyond [Config.MaxGap], a sequence-number
// restart or a new SSRC resets the state cleanly: a key still down is
// released first.
//
// A Receiver is not safe for concurrent use: use one per stream (it
// follows one SSRC at a time). [NewReceiver] allocates all of its state but
// the copies of held payloads, which grow to the largest payload held;
// after that, [Receiver.Process] and [Receiver.ProcessPacket] allocate
// nothing unless they fail or dst lacks capacity.
type Receiver struct {
	cfg     Config
	rate    int
	types   [128]payloadEntry
	det     *detector.Detector
	seq     sequencer
	conceal *concealer
	te      eventIn
	merge   merger
	pkt     rtp.Packet
	pcm     []int16
	devs    []detector.Event
	raws    []Event
	stats   Stats

	timeout, silenceRun int64
	tl                  timeline

	ssrc      uint32
	haveSSRC  bool
	teSeen    bool  // the stream has carried telephone-events
	detBase   int64 // the position of the detector's sample 0
	evHorizon int64 // the furthest position a telephone-event reached
}

// NewReceiver returns a receiver for one stream, or an error wrapping
// [ErrConfig] naming the first invalid field of cfg.
func NewReceiver(cfg Config) (*Receiver, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dc := cfg.Detector
	dc.SampleRate = cfg.ClockRate
	det, err := detector.New(dc)
	if err != nil {
		return nil, fmt.Errorf("%w: Detector: %w", ErrConfig, err)
	}
	r := &Receiver{
		cfg:        cfg,
		rate:       cfg.ClockRate,
		det:        det,
		conceal:    newConcealer(cfg.ClockRate),
		pcm:        make([]int16, cfg.MaxPayloadSize),
		devs:       make([]detector.Event, 0, 8),
		raws:       make([]Event, 0, 8),
		timeout:    samples(cfg.EventTimeout, cfg.ClockRate),
		silenceRun: samples(maxSilenceRun, cfg.ClockRate),
		tl:         timeline{maxGap: samples(cfg.MaxGap, cfg.ClockRate), maxConceal: samples(cfg.MaxConceal, cfg.ClockRate)},
	}
	r.cfg.PayloadTypes = append([]PayloadType(nil), cfg.PayloadTypes...)
	r.types = payloadTable(cfg)
	r.merge.window = samples(cfg.DuplicateWindow, cfg.ClockRate)
	r.seq.window = cfg.ReorderWindow
	r.seq.stats = &r.stats
	return r, nil
}

// Config returns the receiver's configuration.
func (r *Receiver) Config() Config { return r.cfg }

// Stats returns the counters since the receiver was created or reset.
func (r *Receiver) Stats() Stats { return r.stats }

// Position returns the stream position: the samples handed to the detector
// (real, concealed and filled) since the stream began.
func (r *Receiver) Position() int64 { return r.tl.pos }

// Reset returns the receiver to the state of a fresh [NewReceiver] with the
// same config. Keys still down are discarded; call [Receiver.Flush] first
// to get them.
func (r *Receiver) Reset() {
	r.det.Reset()
	r.seq.reset()
	r.conceal.reset()
	r.merge.reset()
	r.te = eventIn{}
	r.stats = Stats{}
	r.ssrc, r.haveSSRC, r.teSeen = 0, false, false
	r.tl = timeline{maxGap: r.tl.maxGap, maxConceal: r.tl.maxConceal}
	r.detBase, r.evHorizon = 0, 0
}

// Process parses one RTP packet (a UDP payload) into the receiver's own
// [rtp.Packet] and hands it to [Receiver.ProcessPacket]. packet is not
// retained. A packet that cannot be parsed is dropped with an error
// wrapping [ErrPacket].
func (r *Receiver) Process(dst []Event, packet []byte) ([]Event, error) {
	if err := r.pkt.Unmarshal(packet); err != nil {
		r.stats.Rejected++
		return dst, fmt.Errorf("%w: %w", ErrPacket, err)
	}
	return r.ProcessPacket(dst, &r.pkt)
}

// ProcessPacket takes one RTP packet and appends the events it completes
// to dst, returning the extended slice. p is not retained (a payload that
// must wait for a missing packet is copied).
//
// A packet that is not RTP version 2 is dropped with an error wrapping
// [ErrPacket]. A packet of an unknown payload type, or whose payload does
// not fit its type, is returned with an error wrapping [ErrPayloadType] or
// [ErrPayload] but still takes its place in the sequence (so that it is
// not taken for a lost packet); events completed by the packets it
// releases are returned with the error.
func (r *Receiver) ProcessPacket(dst []Event, p *rtp.Packet) ([]Event, error) {
	if p.Version != 2 {
		r.stats.Rejected++
		return dst, fmt.Errorf("%w: version %d", ErrPacket, p.Version)
	}
	from := len(dst)
	if !r.haveSSRC || p.SSRC != r.ssrc {
		if r.haveSSRC {
			r.stats.SSRCChanges++
			for _, pl := range r.seq.flush() { // the old stream's held packets
				dst = r.play(dst, pl)
			}
			dst = r.endStream(dst)
			dst = r.finish(dst, from)
			from = len(dst)
			r.seq.reset()
		}
		r.ssrc, r.haveSSRC = p.SSRC, true
	}
	r.stats.Packets++
	r.tl.ref(p.Timestamp) // the stream's clock starts at the first packet to arrive
	pk, perr := classify(&r.types, p, r.cfg.MaxPayloadSize)
	if perr == nil && pk.kind == kindEvent {
		dst, perr = r.events(dst, p)
	}
	if perr != nil {
		r.stats.Rejected++
	}
	for _, pl := range r.seq.push(pk) {
		dst = r.play(dst, pl)
	}
	dst = r.tick(dst)
	return r.finish(dst, from), perr
}

// l16Stereo marks two-channel L16 inside a packet.
const l16Stereo Encoding = 0xff

// classify reads what a packet carries from its payload type. A packet of
// an unknown type, or whose payload does not fit its type, is returned
// with kind none and an error wrapping ErrPayloadType or ErrPayload.
func classify(types *[128]payloadEntry, p *rtp.Packet, maxPayload int) (packet, error) {
	pk := packet{seq: p.SequenceNumber, ts: p.Timestamp, marker: p.Marker, pt: p.PayloadType, payload: p.Payload}
	pt := types[p.PayloadType&0x7f]
	switch {
	case !pt.ok:
		return pk, fmt.Errorf("%w: %d", ErrPayloadType, p.PayloadType)
	case len(p.Payload) > maxPayload:
		return pk, fmt.Errorf("%w: %d bytes of payload type %d, more than MaxPayloadSize %d", ErrPayload, len(p.Payload), p.PayloadType, maxPayload)
	case pt.enc == TelephoneEvent:
		if _, err := rfc4733.Count(p.Payload); err != nil {
			return pk, fmt.Errorf("%w: %w", ErrPayload, err)
		}
		pk.kind = kindEvent
	case pt.enc == ComfortNoise:
		pk.kind = kindSilence
	case pt.enc == L16 && len(p.Payload)%(2*int(pt.channels)) != 0:
		return pk, fmt.Errorf("%w: %d bytes of L16 with %d channels", ErrPayload, len(p.Payload), pt.channels)
	default:
		pk.kind, pk.enc = kindAudio, pt.enc
		if pt.channels == 2 {
			pk.enc = l16Stereo
		}
	}
	return pk, nil
}

// Flush ends the stream: held packets are played, a key still down (either
// mechanism) is released, held key-ups are reported, and the receiver is
// [Receiver.Reset] for a new stream.
func (r *Receiver) Flush(dst []Event) []Event {
	from := len(dst)
	for _, pl := range r.seq.flush() {
		dst = r.play(dst, pl)
	}
	dst = r.endStream(dst)
	dst = r.finish(dst, from)
	r.Reset()
	return dst
}

// now is the stream position as far as any packet has taken it.
func (r *Receiver) now() int64 { return max(r.tl.pos, r.evHorizon) }

// play handles one packet in sequence order.
func (r *Receiver) play(dst []Event, pl played) []Event {
	if pl.restart {
		dst = r.endStream(dst)
	}
	r.tl.lossPending += pl.lost
	switch pl.p.kind {
	case kindAudio:
		return r.playAudio(dst, pl.p)
	case kindSilence:
		r.tl.lossPending = 0 // the gap up to the next audio is silence
	}
	return dst
}

func (r *Receiver) playAudio(dst []Event, p packet) []Event {
	n := len(p.payload)
	switch p.enc {
	case L16:
		n /= 2
	case l16Stereo:
		n /= 4
	}
	g := r.tl.join(p.ts, n)
	if g.reset {
		dst = r.endStream(dst)
		g = r.tl.join(p.ts, n)
	}
	dst = r.fill(dst, g)
	pcm := r.decode(p.enc, p.payload, n)[g.skip:] // skip: overlaps audio already played
	r.conceal.end()
	return r.feed(dst, pcm, true)
}

// decode expands a payload of n samples into r.pcm.
func (r *Receiver) decode(enc Encoding, b []byte, n int) []int16 {
	pcm := r.pcm[:n]
	switch enc {
	case PCMU:
		g711.DecodeULaw(pcm, b)
	case PCMA:
		g711.DecodeALaw(pcm, b)
	case L16:
		for i := range pcm {
			pcm[i] = int16(binary.BigEndian.Uint16(b[2*i:]))
		}
	case l16Stereo:
		for i := range pcm {
			pcm[i] = int16(binary.BigEndian.Uint16(b[4*i:]))
		}
	}
	return pcm
}

// fill hands a gap to the detector: concealment, then silence.
func (r *Receiver) fill(dst []Event, g gap) []Event {
	r.stats.ConcealedSamples += g.conceal
	r.stats.SilenceSamples += g.silence
	for left := g.conceal; left > 0; {
		m := min(left, int64(len(r.pcm)))
		r.conceal.fill(r.pcm[:m])
		dst = r.feed(dst, r.pcm[:m], false)
		left -= m
	}
	rest := g.silence
	run := min(rest, r.silenceRun)
	for left := run; left > 0; {
		m := min(left, int64(len(silence)))
		dst = r.feed(dst, silence[:m], true)
		left -= m
	}
	if rest > run {
		// Past silenceRun the detector has released every key and sees
		// nothing: restart it beyond the gap rather than feed it the
		// rest (a gap of MaxGap would cost as much as MaxGap of audio).
		r.devs = r.det.Flush(r.devs[:0])
		dst = r.inband(dst)
		r.tl.advance(rest - run)
		r.detBase = r.tl.pos
		r.conceal.reset()
	}
	return dst
}

// feed hands samples to the detector and merges what it reports.
func (r *Receiver) feed(dst []Event, pcm []int16, history bool) []Event {
	if history {
		r.conceal.push(pcm)
	}
	r.devs = r.det.Process(r.devs[:0], pcm)
	r.tl.advance(int64(len(pcm)))
	return r.inband(dst)
}

// inband merges the detector events in r.devs.
func (r *Receiver) inband(dst []Event) []Event {
	for _, de := range r.devs {
		ev := Event{
			Type: de.Type, Digit: de.Digit, Source: InBand,
			Start: r.detBase + de.Start, At: r.detBase + de.At,
		}
		if de.Type == detector.KeyUp {
			ev.End = r.detBase + de.End
		} else {
			ev.Level = float32(10 * math.Log10(math.Pow(10, float64(de.LowLevel)/10)+math.Pow(10, float64(de.HighLevel)/10)))
		}
		ev.Timestamp = r.tl.tsOf(ev.Start)
		dst = r.merge.add(dst, ev, r.teSeen, r.now())
	}
	return dst
}

// events handles a telephone-event packet on arrival: the RFC 4733 rules
// make it robust to reordering, and its key-down should not wait.
func (r *Receiver) events(dst []Event, p *rtp.Packet) ([]Event, error) {
	n, _ := rfc4733.Count(p.Payload) // checked by classify
	r.stats.EventPackets++
	r.teSeen = true
	ts := p.Timestamp
	for i := range n {
		var ev rfc4733.Event
		_ = ev.Unmarshal(p.Payload[4*i : 4*i+4]) // 4 bytes: cannot fail
		pos := r.tl.posOf(ts)
		if d := pos - r.now(); d > r.tl.maxGap || d < -r.tl.maxGap {
			r.stats.Discarded++
			return dst, nil
		}
		r.raws = r.te.event(r.raws[:0], ev, ts, pos, p.Marker && i == 0, r.now())
		if r.te.have {
			r.evHorizon = max(r.evHorizon, r.te.extent())
		}
		dst = r.mergeRaw(dst)
		ts += uint32(ev.Duration) // §2.5.1.5: packed events follow one another
	}
	return dst, nil
}

// mergeRaw merges the telephone-event reports in r.raws.
func (r *Receiver) mergeRaw(dst []Event) []Event {
	for _, ev := range r.raws {
		dst = r.merge.add(dst, ev, r.tl.haveAudio, r.now())
	}
	return dst
}

// tick ends a telephone-event that has gone quiet and releases held
// key-ups whose time has come.
func (r *Receiver) tick(dst []Event) []Event {
	now := r.now()
	r.raws = r.te.expire(r.raws[:0], now, r.timeout)
	dst = r.mergeRaw(dst)
	return r.merge.tick(dst, now)
}

// endStream releases every key (both mechanisms), reports held key-ups and
// resets the stream's timeline; the sequence state is the caller's.
func (r *Receiver) endStream(dst []Event) []Event {
	now := r.now()
	if r.te.active {
		r.raws = r.te.end(r.raws[:0], now)
		dst = r.mergeRaw(dst)
	}
	r.devs = r.det.Flush(r.devs[:0])
	dst = r.inband(dst)
	dst = r.merge.flush(dst, max(now, r.now()))
	r.detBase = r.tl.pos
	r.te = eventIn{}
	r.conceal.reset()
	r.tl.clear()
	r.stats.Resets++
	return dst
}

// finish completes the events appended since from: SSRC and duration.
func (r *Receiver) finish(dst []Event, from int) []Event {
	rate := int64(r.rate)
	for i := from; i < len(dst); i++ {
		e := &dst[i]
		e.SSRC = r.ssrc
		if e.Type == detector.KeyUp {
			e.DurationMS = int(((e.End-e.Start)*1000 + rate/2) / rate)
		}
	}
	return dst
}
