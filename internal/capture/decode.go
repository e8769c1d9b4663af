package capture

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// Config sets up [Decode].
type Config struct {
	// Receiver is the template of each stream's receiver; its ClockRate
	// and PayloadTypes are set per stream.
	Receiver rtpdtmf.Config
	// PayloadTypes are the caller's bindings (a --pt flag) for streams the
	// capture's SDP does not describe; they override the static types.
	PayloadTypes []rtpdtmf.PayloadType
	// MaxStreams bounds the streams followed [count]; packets of further
	// streams are counted in [Result.DroppedStreams]. Default 1024.
	MaxStreams int
	// MaxEndpoints bounds the SDP media descriptions remembered. Default
	// 4096.
	MaxEndpoints int
}

// DefaultConfig returns the receiver defaults, no caller bindings, 1024
// streams and 4096 SDP endpoints.
func DefaultConfig() Config {
	return Config{Receiver: rtpdtmf.DefaultConfig(), MaxStreams: 1024, MaxEndpoints: 4096}
}

// Event is a key press on one stream of a capture.
type Event struct {
	rtpdtmf.Event
	// Offset is the key's start from the capture's first packet,
	// through the stream's RTP clock from its packets' capture times
	// (to within the network jitter of the stream's first packet).
	Offset time.Duration
}

// Stream is one RTP stream of a capture and what was found in it.
type Stream struct {
	// SSRC, Src and Dst identify the stream.
	SSRC     uint32
	Src, Dst netip.AddrPort
	// First and Last are the capture times of its first and last packets.
	First, Last time.Time
	// Packets counts its RTP packets.
	Packets int
	// End is the stream position [samples] its receiver reached: the
	// audio played, concealed and filled from its first packet, and at
	// least the end of its last event. 0 if it was not decoded.
	End int64
	// ClockRate is the RTP clock rate the stream was decoded at [Hz].
	ClockRate int
	// Formats are the payload formats the stream used, in order of first
	// use, named from the SDP or the static types ("" when unknown).
	Formats []PayloadFormat
	// FromSDP says that the payload types came from SDP in the capture.
	FromSDP bool
	// Encrypted says that the SDP put the stream under SRTP: its audio
	// cannot be decoded (telephone-events cannot either).
	Encrypted bool
	// Stats are the receiver's counters at the end of the stream.
	Stats rtpdtmf.Stats
	// Err is the first error a packet of the stream gave (such as an
	// unknown payload type), or nil.
	Err error
	// Events are the key presses, key-downs and key-ups in order.
	Events []Event

	rx        *rtpdtmf.Receiver
	opened    bool
	seen      [128]bool
	lastSeq   uint16
	confirmed bool
	anchor    time.Time // capture time of the packet whose timestamp is anchorTS
	anchorTS  uint32
}

// Result is what [Decode] found.
type Result struct {
	// Format is the capture's format.
	Format Format
	// Records counts the capture's records; Skipped those that were not
	// UDP or TCP over IP.
	Records, Skipped int
	// Start is the capture time of the first record.
	Start time.Time
	// Streams are the RTP streams, in order of their first packet. A
	// stream is listed once two of its packets had consecutive sequence
	// numbers, so that stray UDP that looks like RTP is left out.
	Streams []*Stream
	// DroppedStreams counts packets of streams beyond MaxStreams.
	DroppedStreams int
	// Endpoints counts the SDP media descriptions found.
	Endpoints int
}

type streamKey struct {
	ssrc     uint32
	src, dst netip.AddrPort
}

// decoder is the state of one Decode.
type decoder struct {
	cfg       Config
	res       *Result
	streams   map[streamKey]*Stream
	order     []*Stream
	endpoints map[netip.AddrPort]Media
	ports     map[uint16]netip.AddrPort
	pkt       rtp.Packet
	evs       []rtpdtmf.Event
}

// Decode reads a capture and decodes the key presses of every RTP stream in
// it. If r is an io.ReadSeeker the capture is read twice, so that SDP
// anywhere in it applies to all its packets; otherwise SDP applies from
// where it appears. It fails with an error wrapping [ErrFormat] on input
// that is not a capture. A capture that is truncated or corrupt is decoded
// as far as it goes: then the result is returned with an error wrapping
// [ErrTruncated] or [ErrCorrupt].
func Decode(r io.Reader, cfg Config) (*Result, error) {
	if err := cfg.Receiver.Validate(); err != nil {
		return nil, err
	}
	d := &decoder{
		cfg:       cfg,
		res:       &Result{},
		streams:   make(map[streamKey]*Stream),
		endpoints: make(map[netip.AddrPort]Media),
		ports:     make(map[uint16]netip.AddrPort),
		evs:       make([]rtpdtmf.Event, 0, 16),
	}
	if d.cfg.MaxStreams <= 0 {
		d.cfg.MaxStreams = 1024
	}
	if d.cfg.MaxEndpoints <= 0 {
		d.cfg.MaxEndpoints = 4096
	}
	if rs, ok := r.(io.ReadSeeker); ok {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err == nil {
			if err := d.pass(rs, false); err != nil && errors.Is(err, ErrFormat) {
				return nil, err
			}
			if _, err := rs.Seek(start, io.SeekStart); err != nil {
				return nil, fmt.Errorf("capture: rewinding for the second pass: %w", err)
			}
		}
	}
	err := d.pass(r, true)
	if errors.Is(err, ErrFormat) {
		return nil, err
	}
	for _, s := range d.order {
		if s.rx != nil {
			s.Stats = s.rx.Stats()
			s.End = s.rx.Position()
			d.evs = s.rx.Flush(d.evs[:0])
			for _, e := range d.evs {
				s.End = max(s.End, e.At, e.End)
			}
			d.add(s, d.evs)
		}
		if s.confirmed {
			d.res.Streams = append(d.res.Streams, s)
		}
	}
	d.res.Endpoints = len(d.endpoints)
	return d.res, err
}

// pass reads the capture once: SIP always, RTP if decode.
func (d *decoder) pass(r io.Reader, decode bool) error {
	c, err := NewReader(r)
	if err != nil {
		return err
	}
	d.res.Format = c.Format()
	first := true
	for {
		p, err := c.Next()
		if err != nil {
			if decode {
				d.res.Records, d.res.Skipped = c.number, c.Skipped()
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
		if first {
			d.res.Start, first = p.Time, false
		}
		if media := ParseSIP(p.Payload); media != nil {
			d.sdp(media)
			continue
		}
		if decode && p.Transport == UDP {
			d.rtp(p)
		}
	}
}

// sdp remembers where each medium receives and how it numbers types.
func (d *decoder) sdp(media []Media) {
	for _, m := range media {
		if _, known := d.endpoints[m.Addr]; !known && len(d.endpoints) >= d.cfg.MaxEndpoints {
			continue
		}
		d.endpoints[m.Addr] = m
		d.ports[m.Addr.Port()] = m.Addr
	}
}

// isRTP is a cheap first look at a UDP payload: version 2, a whole header,
// and not RTCP (packet types 200-204 put 72-76 in the payload type field).
func isRTP(b []byte) bool {
	if len(b) < 12 || b[0]>>6 != 2 {
		return false
	}
	return !(b[1] >= 200 && b[1] <= 204)
}

func (d *decoder) rtp(p Packet) {
	if !isRTP(p.Payload) || d.pkt.Unmarshal(p.Payload) != nil {
		return
	}
	key := streamKey{ssrc: d.pkt.SSRC, src: p.Src, dst: p.Dst}
	s := d.streams[key]
	if s == nil {
		if len(d.streams) >= d.cfg.MaxStreams {
			d.res.DroppedStreams++
			return
		}
		s = &Stream{SSRC: key.ssrc, Src: p.Src, Dst: p.Dst, First: p.Time, lastSeq: d.pkt.SequenceNumber - 2}
		d.streams[key] = s
		d.order = append(d.order, s)
	}
	s.Packets++
	s.Last = p.Time
	if d.pkt.SequenceNumber == s.lastSeq+1 {
		s.confirmed = true
	}
	s.lastSeq = d.pkt.SequenceNumber
	if !s.opened {
		s.opened = true
		d.open(s)
	}
	if s.rx == nil {
		return // encrypted, or a clock rate the detector cannot take
	}
	pt := d.pkt.PayloadType
	if !s.seen[pt] {
		s.seen[pt] = true
		s.Formats = append(s.Formats, d.format(s, pt))
	}
	before := s.rx.Stats().Resets
	var err error
	d.evs, err = s.rx.ProcessPacket(d.evs[:0], &d.pkt)
	if err != nil && s.Err == nil {
		s.Err = err
	}
	if s.anchor.IsZero() {
		s.anchor, s.anchorTS = p.Time, d.pkt.Timestamp
	}
	d.add(s, d.evs) // a reset's key-ups belong to the clock before it
	if s.rx.Stats().Resets != before {
		s.anchor, s.anchorTS = p.Time, d.pkt.Timestamp
	}
}

// media returns the SDP that describes a stream: its destination's, else
// its source's (symmetric RTP), else by port alone (NAT), or false.
func (d *decoder) media(s *Stream) (Media, bool) {
	for _, a := range []netip.AddrPort{s.Dst, s.Src} {
		if m, ok := d.endpoints[a]; ok {
			return m, true
		}
	}
	for _, a := range []netip.AddrPort{s.Dst, s.Src} {
		if full, ok := d.ports[a.Port()]; ok {
			return d.endpoints[full], true
		}
	}
	return Media{}, false
}

// open creates a stream's receiver from its payload types and the first
// packet's clock rate.
func (d *decoder) open(s *Stream) {
	var types []rtpdtmf.PayloadType
	if m, ok := d.media(s); ok {
		s.FromSDP, s.Encrypted = true, m.Secure
		if s.Encrypted {
			return
		}
		types = m.PayloadTypes()
	} else {
		types = append(rtpdtmf.StaticPayloadTypes(), rtpdtmf.PayloadType{Number: rtpdtmf.DefaultEventPayloadType, Encoding: rtpdtmf.TelephoneEvent})
		types = append(types, d.cfg.PayloadTypes...)
	}
	rate := 8000
	for _, t := range types {
		if t.Number == d.pkt.PayloadType && t.ClockRate != 0 {
			rate = t.ClockRate
		}
	}
	cfg := d.cfg.Receiver
	cfg.ClockRate = rate
	cfg.PayloadTypes = types
	rx, err := rtpdtmf.NewReceiver(cfg)
	if err != nil {
		s.Err = err // a clock rate the detector cannot take
		return
	}
	s.rx, s.ClockRate = rx, rate
}

// format names a payload type as the stream's receiver knows it.
func (d *decoder) format(s *Stream, pt uint8) PayloadFormat {
	if m, ok := d.media(s); ok {
		for _, f := range m.Formats {
			if f.Type == pt {
				return f
			}
		}
		return PayloadFormat{Type: pt}
	}
	for _, t := range d.cfg.PayloadTypes {
		if t.Number == pt {
			return PayloadFormat{Type: pt, Name: t.Encoding.String(), ClockRate: t.ClockRate, Channels: max(t.Channels, 1)}
		}
	}
	if f, ok := staticFormats[pt]; ok {
		return f
	}
	if pt == rtpdtmf.DefaultEventPayloadType {
		return PayloadFormat{Type: pt, Name: "telephone-event", ClockRate: s.ClockRate, Channels: 1}
	}
	return PayloadFormat{Type: pt}
}

// add records a stream's events with their offsets.
func (d *decoder) add(s *Stream, evs []rtpdtmf.Event) {
	for _, e := range evs {
		at := s.anchor.Add(time.Duration(int64(int32(e.Timestamp-s.anchorTS)) * int64(time.Second) / int64(s.ClockRate)))
		s.Events = append(s.Events, Event{Event: e, Offset: at.Sub(d.res.Start)})
	}
}
