package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/capture"
	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// captureUsage is the part of "dtmf decode -h" about packet captures.
const captureUsage = `
Packet captures. An input that is a pcap or pcapng capture (recognised by
its content, also gzip-compressed) is decoded stream by stream: every RTP
stream in it (UDP, RTP version 2, told apart by SSRC and addresses), its
audio (PCMU, PCMA, L16) through the detector with the flags above and its
RFC 4733 telephone-events. Payload types come from the SIP/SDP in the
capture; streams it does not describe use the static types (0 PCMU, 8 PCMA,
13 CN, 10 and 11 L16), telephone-event at 101 and each --pt binding:

  dtmf decode --pt 96=L16/16000 --pt 97=telephone-event call.pcapng

Each event also carries the stream ("ssrc", "src" and "dst" as "ip:port")
and, for "dtmf", how the key travelled ("source": "inband" or "rfc4733"); a
key sent both ways is reported once. With --timestamps, offset_ms counts
from the capture's first packet. The streams' events are merged in time
order. --collect runs one collection per stream, --collect-at counting
from the stream's first packet. A stream that cannot be decoded (SRTP, an
audio codec other than G.711 and L16) is an error of the input, reported
after the other streams' events; so is a capture holding no RTP stream.
With --webhook, the events carry the contract's fields (and offset_ms)
only. A capture file is read twice, so that SDP anywhere in it applies to
every packet; on stdin ("-", recognised by its first bytes as well) it is
read once and SDP applies from where it appears.
`

// captureOptions holds the flags of dtmf decode that apply to captures.
type captureOptions struct {
	payloadTypes payloadTypeFlag // --pt
}

// registerCaptureFlags adds the capture flags to dtmf decode's flag set.
func registerCaptureFlags(fset *flag.FlagSet, c *captureOptions) {
	fset.Var(&c.payloadTypes, "pt", "captures: bind a payload `type` the capture's SDP does not describe, N=ENCODING[/RATE[/CHANNELS]] with PCMU, PCMA, L16, telephone-event or CN (repeatable): 96=L16/8000, 101=telephone-event")
}

// payloadTypeFlag is the repeatable --pt flag.
type payloadTypeFlag []rtpdtmf.PayloadType

// String returns the bindings as they are written on the command line.
func (p *payloadTypeFlag) String() string {
	var b strings.Builder
	for i, t := range *p {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d=%s", t.Number, t.Encoding)
		if t.ClockRate != 0 {
			fmt.Fprintf(&b, "/%d", t.ClockRate)
		}
		if t.Channels > 1 {
			fmt.Fprintf(&b, "/%d", t.Channels)
		}
	}
	return b.String()
}

// Limits of a --pt binding: RTP's payload type field, and the clock rates
// package rtpdtmf accepts for a payload type (its streams decode 8 to
// 48 kHz).
const (
	maxPayloadType = 127
	minClockRate   = 1000
	maxClockRate   = 192000
)

// Set parses one N=ENCODING[/RATE[/CHANNELS]] binding. PCMU, PCMA and CN
// default to 8000 Hz, telephone-event to the stream's clock rate; L16 needs
// its rate.
func (p *payloadTypeFlag) Set(s string) error {
	num, spec, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("%q: want N=ENCODING[/RATE[/CHANNELS]], as 96=L16/8000", s)
	}
	n, err := strconv.ParseUint(num, 10, 8)
	if err != nil || n > maxPayloadType {
		return fmt.Errorf("%q: payload type %q: want 0 to %d", s, num, maxPayloadType)
	}
	parts := strings.Split(spec, "/")
	if len(parts) > 3 {
		return fmt.Errorf("%q: want N=ENCODING[/RATE[/CHANNELS]]", s)
	}
	t := rtpdtmf.PayloadType{Number: uint8(n)}
	switch strings.ToUpper(parts[0]) {
	case "PCMU":
		t.Encoding, t.ClockRate = rtpdtmf.PCMU, 8000
	case "PCMA":
		t.Encoding, t.ClockRate = rtpdtmf.PCMA, 8000
	case "CN":
		t.Encoding, t.ClockRate = rtpdtmf.ComfortNoise, 8000
	case "L16":
		t.Encoding = rtpdtmf.L16
	case "TELEPHONE-EVENT":
		t.Encoding = rtpdtmf.TelephoneEvent
	default:
		return fmt.Errorf("%q: encoding %q: want PCMU, PCMA, L16, telephone-event or CN", s, parts[0])
	}
	if len(parts) >= 2 {
		rate, err := strconv.Atoi(parts[1])
		if err != nil || rate < minClockRate || rate > maxClockRate {
			return fmt.Errorf("%q: clock rate %q: want %d to %d Hz", s, parts[1], minClockRate, maxClockRate)
		}
		t.ClockRate = rate
	} else if t.Encoding == rtpdtmf.L16 {
		return fmt.Errorf("%q: L16 needs its clock rate, as %d=L16/8000", s, n)
	}
	if len(parts) == 3 {
		ch, err := strconv.Atoi(parts[2])
		if err != nil || ch < 1 || ch > 2 || (ch == 2 && t.Encoding != rtpdtmf.L16) {
			return fmt.Errorf("%q: channels %q: want 1, or 2 for L16", s, parts[2])
		}
		t.Channels = ch
	}
	*p = append(*p, t)
	return nil
}

// gzipMagic is the start of a gzip stream (RFC 1952: ID1, ID2, CM=deflate).
var gzipMagic = [3]byte{0x1f, 0x8b, 8}

// isCapture reports whether head starts a pcap or pcapng capture or a gzip
// stream (package capture looks inside it).
func isCapture(head []byte) bool {
	if _, ok := capture.Sniff(head); ok {
		return true
	}
	return len(head) >= len(gzipMagic) && [3]byte(head[:3]) == gzipMagic
}

// sniffCapture looks at the start of an opened input. A regular file is
// read with ReadAt and returned as it is, so that a capture can be read
// twice (its SDP then applies to the packets before it too); anything else
// gets its first bytes put back in front of the rest.
func sniffCapture(f *os.File, st fs.FileInfo) (io.Reader, bool, error) {
	var head [4]byte
	if st.Mode().IsRegular() {
		n, err := f.ReadAt(head[:], 0)
		if err != nil && err != io.EOF {
			return nil, false, err
		}
		return f, isCapture(head[:n]), nil
	}
	n, err := io.ReadFull(f, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, false, err
	}
	return io.MultiReader(strings.NewReader(string(head[:n])), f), isCapture(head[:n]), nil
}

func init() { decodeCaptureFile = decodeCapture }

// captureLine is one event of a capture's stream, ready to be written.
type captureLine struct {
	ev     emit.Event
	offset time.Duration // from the capture's first packet
	source rtpdtmf.Source
}

// captureLane is one stream's events in the order they became known.
type captureLane struct {
	s     *capture.Stream
	lines []captureLine
	next  int
}

// decodeCapture decodes the RTP streams of a capture and writes their
// events: a stream's in the order they became known, streams merged by
// offset. It returns the capture's error (truncated, corrupt) joined with
// the streams that could not be decoded, as one error.
func decodeCapture(r io.Reader, opt decodeOptions, session string, out *bufio.Writer) error {
	cfg := capture.DefaultConfig()
	cfg.Receiver.Detector = opt.cfg
	cfg.PayloadTypes = opt.capture.payloadTypes
	res, err := capture.Decode(r, cfg)
	if res == nil {
		return captureError(err)
	}
	var problems []string
	if err != nil {
		problems = append(problems, captureError(err).Error())
	}
	// A capture cut short ends at its last packet: a collection still
	// waiting then ends with status unknown, as for a WAV file cut short.
	var cut time.Time
	if err != nil {
		for _, s := range res.Streams {
			if s.Last.After(cut) {
				cut = s.Last
			}
		}
	}
	lanes := make([]*captureLane, 0, len(res.Streams))
	for _, s := range res.Streams {
		l := &captureLane{s: s}
		if p := streamProblem(s); p != "" {
			problems = append(problems, fmt.Sprintf("stream %s: %s", streamName(s), p))
		}
		if cerr := l.run(res.Start, cut, opt, session); cerr != nil {
			problems = append(problems, fmt.Sprintf("stream %s: %v", streamName(s), cerr))
		}
		lanes = append(lanes, l)
	}
	if len(res.Streams) == 0 && err == nil {
		problems = append(problems, fmt.Sprintf("no RTP stream in the capture (%d records, %d not UDP or TCP over IP)", res.Records, res.Skipped))
	}
	if res.DroppedStreams > 0 {
		problems = append(problems, fmt.Sprintf("more than %d streams: %d packets of further streams not decoded", cfg.MaxStreams, res.DroppedStreams))
	}
	if werr := writeCaptureLines(lanes, opt, out); werr != nil {
		return werr
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// captureError words an error of package capture for an error line.
func captureError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "capture: ")
	if errors.Is(err, capture.ErrTruncated) || errors.Is(err, capture.ErrCorrupt) {
		msg = "capture " + msg + "; the packets before were decoded"
	}
	return errors.New(msg)
}

// streamName names a stream in an error line.
func streamName(s *capture.Stream) string {
	return fmt.Sprintf("ssrc %#08x %s -> %s", s.SSRC, s.Src, s.Dst)
}

// streamProblem says why a stream's keys could not be looked for, or "".
// A stream some of whose packets were rejected is not a problem as long as
// some of its audio was decoded (stray packets of a foreign payload type);
// one whose every audio packet was rejected is.
func streamProblem(s *capture.Stream) string {
	switch {
	case s.Encrypted:
		return "SRTP (the SDP says RTP/SAVP): not decoded"
	case s.ClockRate == 0 && s.Err != nil:
		return strings.TrimPrefix(s.Err.Error(), "rtpdtmf: ")
	case s.Err != nil && s.Stats.Rejected >= int64(s.Packets)-s.Stats.EventPackets:
		msg := "no audio decoded: " + strings.TrimPrefix(s.Err.Error(), "rtpdtmf: ")
		if errors.Is(s.Err, rtpdtmf.ErrPayloadType) && !s.FromSDP {
			msg += " (bind it with --pt)"
		}
		return msg
	}
	return ""
}

// run turns the stream's events into lines, running the collection if
// --collect: the same rules as a WAV channel's (see [lane]), on the
// stream's clock, positions from its first packet. A capture that was cut
// short at time cut (zero if it was not) lets a collection still running
// wait only until then, and then ends it with status unknown.
func (l *captureLane) run(start, cut time.Time, opt decodeOptions, session string) error {
	s := l.s
	extras := uint8(0)
	if opt.timestamps {
		extras = emit.ExtraOffset
	}
	var col *collector.Collector
	startAt := int64(-1)
	if opt.collect != nil && s.ClockRate > 0 {
		var err error
		if col, err = collector.New(s.ClockRate); err != nil {
			return err
		}
		startAt = samplesIn(opt.collectAt, s.ClockRate)
	}
	result := func(sig collector.Signal) {
		if sig.Has(collector.Done) {
			r := col.Result()
			e := dtmf.ResultEvent(session, r)
			e.Extras = extras
			l.lines = append(l.lines, captureLine{ev: e, offset: l.offsetAt(start, r.End)})
		}
	}
	begin := func() error {
		sig, err := col.AdvanceTo(startAt)
		if err != nil {
			return err
		}
		result(sig)
		startAt = -1
		sig, err = col.Start(opt.commandUID, *opt.collect)
		result(sig)
		return err
	}
	for _, e := range s.Events {
		if col != nil {
			if startAt >= 0 && startAt <= e.At {
				if err := begin(); err != nil {
					return err
				}
			}
			de := detector.Event{Type: e.Type, Digit: e.Digit, Start: e.Start, End: e.End, At: max(e.At, col.Position()), DurationMS: e.DurationMS}
			sig, err := col.Key(de)
			if err != nil {
				return err
			}
			result(sig)
		}
		if e.Type == detector.KeyUp {
			ev := dtmf.KeyEvent(session, detector.Event{Type: detector.KeyUp, Digit: e.Digit, DurationMS: e.DurationMS})
			ev.Extras = extras
			l.lines = append(l.lines, captureLine{ev: ev, offset: e.Offset, source: e.Source})
		}
	}
	if col == nil {
		return nil
	}
	end := max(s.End, col.Position())
	var err error
	if startAt >= 0 {
		if startAt <= end {
			err = begin()
		} else {
			err = fmt.Errorf("--collect-at %v is past the end of the stream (%.3f s): no collection", opt.collectAt, float64(end)/float64(s.ClockRate))
		}
	}
	if col.Running() {
		// The stream ended while the collection waits: its timeouts run
		// out over silence, as for a WAV file (see [lane.runOut]); in a
		// capture cut short, only up to the cut.
		c := opt.collect
		limit := c.OverallTimeout
		if limit == 0 {
			limit = time.Duration(c.Tries) * max(c.FirstDigitTimeout, c.InterDigitTimeout)
		}
		limit += time.Second
		if !cut.IsZero() {
			limit = max(0, cut.Sub(s.Last))
		}
		sig, aerr := col.AdvanceTo(end + samplesIn(limit, s.ClockRate))
		result(sig)
		err = errors.Join(err, aerr)
		if !cut.IsZero() {
			result(col.Abort())
		}
	}
	result(col.Hangup())
	return err
}

// offsetAt maps a stream position to an offset from the capture's first
// packet, through the last event that starts at or before it (whose
// offset is anchored on the capture times), else through the stream's
// first packet.
func (l *captureLane) offsetAt(start time.Time, pos int64) time.Duration {
	s := l.s
	base, from := s.First.Sub(start), int64(0)
	for _, e := range s.Events {
		if e.Start <= pos {
			base, from = e.Offset, e.Start
		}
	}
	return base + time.Duration(pos-from)*time.Second/time.Duration(s.ClockRate)
}

// writeCaptureLines writes the lanes' lines, merged by offset (the earlier
// stream first on a tie), each lane's in its own order.
func writeCaptureLines(lanes []*captureLane, opt decodeOptions, out *bufio.Writer) error {
	var buf []byte
	for {
		var best *captureLane
		for _, l := range lanes {
			if l.next < len(l.lines) && (best == nil || l.lines[l.next].offset < best.lines[best.next].offset) {
				best = l
			}
		}
		if best == nil {
			return nil
		}
		ln := best.lines[best.next]
		best.next++
		e := ln.ev
		if e.Extras&emit.ExtraOffset != 0 {
			e.OffsetMS = max(0, (ln.offset + time.Millisecond/2).Milliseconds())
		}
		if err := e.Validate(); err != nil {
			return err
		}
		if opt.sink != nil {
			if err := opt.sink.Emit(e); errors.Is(err, emit.ErrInvalidEvent) {
				return err
			}
			continue
		}
		buf = appendStreamFields(e.AppendJSON(buf[:0]), best.s, ln.source)
		buf = append(buf, '\n')
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
}

// appendStreamFields replaces the closing brace of the event JSON b with
// the stream's fields: "ssrc", "src", "dst" and, if known, "source".
func appendStreamFields(b []byte, s *capture.Stream, source rtpdtmf.Source) []byte {
	b = b[:len(b)-1]
	b = append(b, `,"ssrc":`...)
	b = strconv.AppendUint(b, uint64(s.SSRC), 10)
	b = append(b, `,"src":`...)
	b = strconv.AppendQuote(b, s.Src.String())
	b = append(b, `,"dst":`...)
	b = strconv.AppendQuote(b, s.Dst.String())
	if source != 0 {
		b = append(b, `,"source":`...)
		b = strconv.AppendQuote(b, source.String())
	}
	return append(b, '}')
}
