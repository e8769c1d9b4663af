package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/rfc4733"
	"github.com/dtmfkit/dtmf/rtpdtmf"
)

const gatewayUsage = `usage: dtmf gateway [flags] IN.pcap OUT.pcap

Shows what a media server with this library would send: every G.711 (PCMU,
PCMA) or L16 RTP stream of the capture IN goes through an rtpdtmf.Gateway,
which removes the key presses from the audio and sends them as RFC 4733
telephone-events in the same stream (same SSRC, timestamps, renumbered
sequence), and the result is written to OUT as a pcap capture:

  dtmf gen --digits 159# keys.wav
  gst-launch-1.0 filesrc location=keys.wav ! wavparse ! audioconvert ! \
    audioresample ! audio/x-raw,rate=8000,channels=1 ! mulawenc ! \
    rtppcmupay ! udpsink host=127.0.0.1 port=5004   # under tcpdump -w in.pcap
  dtmf gateway in.pcap out.pcap
  tshark -r out.pcap -d udp.port==5004,rtp \
    -o rtpevent.event_payload_type_value:101 -Y rtpevent

IN may be pcap or pcapng (recognised by content, also gzip-compressed).
Payload types come from the SIP/SDP in the capture as far as it has been
read (and the SDP's telephone-event type is then the one sent, unless
--event-pt is given), else from the static types, telephone-event at 101
and --pt. Each output packet is written at the capture time of the input
packet after which the gateway sent it, with the stream's addresses; the
gateway's delay (40 ms) shows in the audio's content, not in its timing.
The packets still due when the capture ends (the delayed audio, key-ups)
follow the stream's last packet one packet time apart. Telephone-events
the input already carries are forwarded in their place, after the delayed
audio before them: from a sender that stops its audio during a key they
go out when its audio resumes. Other streams and
other UDP datagrams (SIP, RTCP) are copied unchanged; packets that are not
UDP over IP (TCP, ARP, ...) are left out and counted. OUT is classic pcap
with Ethernet framing, nanosecond timestamps and fresh checksums, whatever
IN's link type.

One line per RTP stream on stdout says what was done with it (the keys
are those of the telephone-events on the output: the ones the gateway
inserted and any the input already carried):

  ssrc 0x1234abcd 127.0.0.1:40000 -> 127.0.0.1:5004 PCMU: 300 packets in, 318 out, keys "159#" out as telephone-event 101

Exit status: 0 on success, 1 if IN is unreadable, truncated or corrupt (the
packets before the problem are written) or OUT cannot be written, 2 for a
usage error.

Flags:
`

// gatewayOptions holds the parsed flags of dtmf gateway.
type gatewayOptions struct {
	eventPT      int
	eventPTSet   bool
	keepTones    bool
	payloadTypes payloadTypeFlag
	detector     detector.Config // --profile and the detector flags; SampleRate set per stream
}

// Limits of --event-pt: the dynamic payload types (RFC 3551 §3), as
// rtpdtmf.GatewayConfig requires.
const (
	minEventPT = 96
	maxEventPT = 127
)

// runGateway implements dtmf gateway.
func runGateway(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var opt gatewayOptions
	fset := flag.NewFlagSet("dtmf gateway", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.IntVar(&opt.eventPT, "event-pt", rtpdtmf.DefaultEventPayloadType, fmt.Sprintf("payload `type` of the telephone-events sent, %d to %d; if not given, a stream's SDP telephone-event type, else", minEventPT, maxEventPT))
	fset.BoolVar(&opt.keepTones, "keep-tones", false, "leave the key presses in the forwarded audio as well (default: replaced by silence)")
	fset.Var(&opt.payloadTypes, "pt", "bind a payload `type` the capture's SDP does not describe, N=ENCODING[/RATE[/CHANNELS]] as for dtmf decode (repeatable)")
	det := addDetectorFlags(fset)
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "dtmf gateway: "+format+" (run \"dtmf gateway -h\" for usage)\n", a...)
		return 2
	}
	files, err := parseInterspersed(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, gatewayUsage, fset)
		return 0
	}
	if err != nil {
		return usageErr("%v", err)
	}
	fset.Visit(func(f *flag.Flag) { opt.eventPTSet = opt.eventPTSet || f.Name == "event-pt" })
	if len(files) != 2 {
		return usageErr("want IN.pcap and OUT.pcap, got %d arguments", len(files))
	}
	if opt.eventPT < minEventPT || opt.eventPT > maxEventPT {
		return usageErr("--event-pt %d: want %d to %d", opt.eventPT, minEventPT, maxEventPT)
	}
	if files[0] == files[1] {
		return usageErr("IN and OUT are the same file")
	}
	if opt.detector, err = det.config(); err != nil {
		return usageErr("%v", err)
	}
	out := bufio.NewWriter(stdout)
	err = gatewayFiles(files[0], files[1], opt, out)
	if ferr := out.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("writing the summary: %w", ferr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dtmf gateway: %s\n", describe(err))
		return 1
	}
	return 0
}

// gatewayFiles reads the capture in, writes the gateway's capture to out
// and the streams' summary to summary.
func gatewayFiles(in, outName string, opt gatewayOptions, summary *bufio.Writer) error {
	f, err := openInput(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := capture.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %s", displayName(in), strings.TrimPrefix(err.Error(), "capture: "))
	}
	o, err := os.Create(outName)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(o)
	g := newGatewayRun(opt)
	w, err := capture.NewWriter(bw)
	if err == nil {
		err = g.run(r, w)
	}
	if ferr := bw.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("%s: %w", displayName(outName), ferr)
	}
	if cerr := o.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("%s: %w", displayName(outName), cerr)
	}
	g.summarize(summary)
	return err
}

// gwStream is one RTP stream of the input.
type gwStream struct {
	ssrc     uint32
	src, dst netip.AddrPort
	format   string // encoding of its audio, "" until known
	gw       *rtpdtmf.Gateway
	eventPT  uint8
	why      string // why it is copied unchanged, if it is
	waiting  bool   // for its first audio packet
	in, out  int
	rejected int
	keys     []byte
	last     time.Time
	ptime    time.Duration // of its last audio packet
	perMS    int           // audio payload bytes per ms
	audioPT  uint8         // the payload type of its first audio packet
}

// gatewayRun is the state of one dtmf gateway.
type gatewayRun struct {
	opt       gatewayOptions
	streams   map[streamID]*gwStream
	order     []*gwStream
	endpoints map[netip.AddrPort]capture.Media
	pkt       rtp.Packet
	outs      []rtp.Packet
	buf       []byte
	left      int // records not copied (not UDP over IP)
	copied    int // UDP datagrams copied unchanged
	overflow  int // packets of streams beyond maxGatewayStreams, copied
	lastTime  time.Time
}

type streamID struct {
	ssrc     uint32
	src, dst netip.AddrPort
}

// maxGatewayStreams bounds the gateways one run keeps (72 KB each, see
// package rtpdtmf): further streams are copied unchanged.
const maxGatewayStreams = 1024

func newGatewayRun(opt gatewayOptions) *gatewayRun {
	return &gatewayRun{
		opt:       opt,
		streams:   make(map[streamID]*gwStream),
		endpoints: make(map[netip.AddrPort]capture.Media),
		buf:       make([]byte, 0, 1500),
	}
}

// looksRTP is a first look at a UDP payload: RTP version 2, a whole
// header, and not RTCP (packet types 200 to 204).
func looksRTP(b []byte) bool {
	return len(b) >= 12 && b[0]>>6 == 2 && !(b[1] >= 200 && b[1] <= 204)
}

// run copies the capture through, the gateway streams' packets replaced by
// the gateways' output. It returns the reader's error (truncated, corrupt)
// or the first write error.
func (g *gatewayRun) run(r *capture.Reader, w *capture.Writer) error {
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			g.left += r.Skipped()
			return errors.Join(readError(err), g.flush(w))
		}
		g.lastTime = p.Time
		if p.Transport != capture.UDP {
			g.left++
			continue
		}
		if media := capture.ParseSIP(p.Payload); media != nil {
			for _, m := range media {
				if len(g.endpoints) < maxGatewayStreams*4 {
					g.endpoints[m.Addr] = m
				}
			}
		}
		s := g.stream(p)
		if s == nil || s.gw == nil {
			g.copied++
			if err := w.WriteUDP(p.Time, p.Src, p.Dst, p.Payload); err != nil {
				return err
			}
			continue
		}
		s.in++
		s.last = p.Time
		if n := len(g.pkt.Payload); n > 0 && g.pkt.PayloadType == s.audioPT {
			s.ptime = time.Duration(n) * time.Millisecond / time.Duration(s.perMS)
		}
		var perr error
		g.outs, perr = s.gw.ProcessPacket(g.outs[:0], &g.pkt)
		if perr != nil {
			s.rejected++
		}
		if err := g.write(w, s, p.Time, g.outs); err != nil {
			return err
		}
	}
	g.left += r.Skipped()
	return g.flush(w)
}

// readError words a capture reading error.
func readError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "capture: ")
	if errors.Is(err, capture.ErrTruncated) || errors.Is(err, capture.ErrCorrupt) {
		msg = "input capture " + msg + "; the packets before were written"
	}
	return errors.New(msg)
}

// stream returns the gateway stream of an RTP packet (parsed into g.pkt),
// creating it on its first packet, or nil if p is not RTP.
func (g *gatewayRun) stream(p capture.Packet) *gwStream {
	if !looksRTP(p.Payload) || g.pkt.Unmarshal(p.Payload) != nil {
		return nil
	}
	id := streamID{ssrc: g.pkt.SSRC, src: p.Src, dst: p.Dst}
	if s := g.streams[id]; s != nil {
		if s.gw == nil && s.waiting && s.in < maxWaitPackets {
			g.open(s) // its audio may start now
		}
		if s.gw == nil {
			s.in++
			s.out++
		}
		return s
	}
	if len(g.streams) >= maxGatewayStreams {
		g.overflow++
		return nil
	}
	s := &gwStream{ssrc: id.ssrc, src: id.src, dst: id.dst}
	g.streams[id] = s
	g.order = append(g.order, s)
	g.open(s)
	if s.gw == nil {
		s.in, s.out = 1, 1
	}
	return s
}

// maxWaitPackets is how many packets a stream that starts with
// telephone-events or comfort noise may take to show its audio (a second
// at 20 ms a packet) before it is copied unchanged for good.
const maxWaitPackets = 50

// open chooses a stream's payload types (SDP, else static, 101 and --pt)
// and makes its gateway if the packet in g.pkt is G.711 or L16 audio. A
// stream whose packet is a known type but not audio is left waiting
// (copied meanwhile), and open is tried again on its next packet.
func (g *gatewayRun) open(s *gwStream) {
	s.waiting = false
	var types []rtpdtmf.PayloadType
	eventPT := uint8(g.opt.eventPT)
	m, fromSDP := g.media(s)
	if fromSDP {
		if m.Secure {
			s.why = "SRTP"
			return
		}
		types = m.PayloadTypes()
		for _, t := range types {
			if t.Encoding == rtpdtmf.TelephoneEvent && !g.opt.eventPTSet && t.Number >= minEventPT {
				eventPT = t.Number
			}
		}
	} else {
		types = append(rtpdtmf.StaticPayloadTypes(), rtpdtmf.PayloadType{Number: rtpdtmf.DefaultEventPayloadType, Encoding: rtpdtmf.TelephoneEvent})
		types = append(types, g.opt.payloadTypes...)
	}
	pt := g.pkt.PayloadType
	var audio *rtpdtmf.PayloadType
	for i := range types {
		if types[i].Number == pt {
			audio = &types[i]
		}
	}
	switch {
	case audio == nil:
		s.why = fmt.Sprintf("payload type %d unknown", pt)
		return
	case audio.Encoding != rtpdtmf.PCMU && audio.Encoding != rtpdtmf.PCMA && audio.Encoding != rtpdtmf.L16:
		s.why = fmt.Sprintf("no audio in its first %d packets, only %s", maxWaitPackets, audio.Encoding)
		s.waiting = true
		return
	}
	s.format = audio.Encoding.String()
	cfg := rtpdtmf.DefaultGatewayConfig()
	cfg.Receiver.ClockRate = 8000
	if audio.ClockRate != 0 {
		cfg.Receiver.ClockRate = audio.ClockRate
	}
	s.perMS = max(1, cfg.Receiver.ClockRate/1000)
	if audio.Encoding == rtpdtmf.L16 {
		s.perMS *= 2 * max(1, audio.Channels)
	}
	// The event type sent must not be bound to audio; a binding of it to
	// telephone-event (the input's own events) stays.
	cfg.Receiver.PayloadTypes = slices.DeleteFunc(types, func(t rtpdtmf.PayloadType) bool {
		return t.Number == eventPT && t.Encoding != rtpdtmf.TelephoneEvent
	})
	cfg.EventPayloadType = eventPT
	cfg.KeepTones = g.opt.keepTones
	cfg.Receiver.Detector = g.opt.detector
	gw, err := rtpdtmf.NewGateway(cfg)
	if err != nil {
		s.why = strings.TrimPrefix(err.Error(), "rtpdtmf: ")
		return
	}
	s.gw, s.eventPT, s.audioPT = gw, eventPT, pt
}

// media returns the SDP that describes a stream, as package capture
// matches it: its destination's, else its source's (symmetric RTP).
func (g *gatewayRun) media(s *gwStream) (capture.Media, bool) {
	for _, a := range []netip.AddrPort{s.dst, s.src} {
		if m, ok := g.endpoints[a]; ok {
			return m, true
		}
	}
	return capture.Media{}, false
}

// write writes a gateway's output packets at time t.
func (g *gatewayRun) write(w *capture.Writer, s *gwStream, t time.Time, pkts []rtp.Packet) error {
	for i := range pkts {
		p := &pkts[i]
		if p.PayloadType == s.eventPT && p.Marker {
			var ev rfc4733.Event
			if ev.Unmarshal(p.Payload) == nil {
				if d, ok := rfc4733.Digit(ev.Code); ok {
					s.keys = append(s.keys, d)
				}
			}
		}
		n := p.MarshalSize()
		if cap(g.buf) < n {
			g.buf = make([]byte, n)
		}
		b := g.buf[:n]
		if _, err := p.MarshalTo(b); err != nil {
			return fmt.Errorf("stream %#08x: %w", s.ssrc, err)
		}
		s.out++
		if err := w.WriteUDP(t, s.src, s.dst, b); err != nil {
			return err
		}
	}
	return nil
}

// flush ends every gateway stream: its last packets follow its last input
// packet one packet time apart, and never before the capture's last
// packet written, so that the output stays in time order.
func (g *gatewayRun) flush(w *capture.Writer) error {
	for _, s := range g.order {
		if s.gw == nil {
			continue
		}
		g.outs = s.gw.Flush(g.outs[:0])
		step := s.ptime
		if step <= 0 {
			step = 20 * time.Millisecond
		}
		t := s.last
		for i := range g.outs {
			t = t.Add(step)
			if t.Before(g.lastTime) {
				t = g.lastTime
			}
			if err := g.write(w, s, t, g.outs[i:i+1]); err != nil {
				return err
			}
			g.lastTime = t
		}
	}
	return nil
}

// summarize writes one line per RTP stream.
func (g *gatewayRun) summarize(w io.Writer) {
	for _, s := range g.order {
		name := fmt.Sprintf("ssrc %#08x %s -> %s", s.ssrc, s.src, s.dst)
		if s.gw == nil {
			fmt.Fprintf(w, "%s: %d packets copied unchanged (%s)\n", name, s.in, s.why)
			continue
		}
		fmt.Fprintf(w, "%s %s: %d packets in, %d out, keys %q out as telephone-event %d", name, s.format, s.in, s.out, s.keys, s.eventPT)
		if s.rejected > 0 {
			fmt.Fprintf(w, "; %d packets not decoded, forwarded as they were", s.rejected)
		}
		fmt.Fprintln(w)
	}
	if g.overflow > 0 {
		fmt.Fprintf(w, "more than %d streams: %d packets of further streams copied unchanged\n", maxGatewayStreams, g.overflow)
	}
	if g.left > 0 {
		fmt.Fprintf(w, "%d records not UDP over IP left out\n", g.left)
	}
}
