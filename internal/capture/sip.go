package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"

	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// PayloadFormat is one payload format of an SDP media line.
type PayloadFormat struct {
	// Type is the RTP payload type number.
	Type uint8
	// Name is the encoding name as the SDP gave it ("PCMU", "opus",
	// "telephone-event"), or the static type's name.
	Name string
	// ClockRate [Hz] and Channels, from a=rtpmap or the static type.
	ClockRate, Channels int
}

// Media is one audio stream described by SDP: where its endpoint receives
// RTP and how it numbers payload types.
type Media struct {
	// Addr is the connection address (c=) and port (m=).
	Addr netip.AddrPort
	// Formats lists the m= line's formats, in its order.
	Formats []PayloadFormat
	// Secure is set for SRTP profiles (RTP/SAVP, RTP/SAVPF): payloads are
	// encrypted and cannot be decoded.
	Secure bool
}

// PayloadTypes returns the formats this package can decode, as
// [rtpdtmf.PayloadType] values.
func (m Media) PayloadTypes() []rtpdtmf.PayloadType {
	var out []rtpdtmf.PayloadType
	for _, f := range m.Formats {
		if pt, ok := payloadType(f); ok {
			out = append(out, pt)
		}
	}
	return out
}

func payloadType(f PayloadFormat) (rtpdtmf.PayloadType, bool) {
	pt := rtpdtmf.PayloadType{Number: f.Type, ClockRate: f.ClockRate}
	switch strings.ToUpper(f.Name) {
	case "PCMU":
		pt.Encoding = rtpdtmf.PCMU
	case "PCMA":
		pt.Encoding = rtpdtmf.PCMA
	case "L16":
		pt.Encoding, pt.Channels = rtpdtmf.L16, f.Channels
	case "TELEPHONE-EVENT":
		pt.Encoding = rtpdtmf.TelephoneEvent
	case "CN":
		pt.Encoding = rtpdtmf.ComfortNoise
	default:
		return pt, false
	}
	if pt.Channels > 2 || f.Type > 127 || f.ClockRate < 1000 || f.ClockRate > 192000 {
		return pt, false
	}
	return pt, true
}

// staticFormats are the RTP/AVP static payload types (RFC 3551 §6) that an
// m= line may use without a=rtpmap.
var staticFormats = map[uint8]PayloadFormat{
	0:  {Type: 0, Name: "PCMU", ClockRate: 8000, Channels: 1},
	3:  {Type: 3, Name: "GSM", ClockRate: 8000, Channels: 1},
	4:  {Type: 4, Name: "G723", ClockRate: 8000, Channels: 1},
	8:  {Type: 8, Name: "PCMA", ClockRate: 8000, Channels: 1},
	9:  {Type: 9, Name: "G722", ClockRate: 8000, Channels: 1},
	10: {Type: 10, Name: "L16", ClockRate: 44100, Channels: 2},
	11: {Type: 11, Name: "L16", ClockRate: 44100, Channels: 1},
	13: {Type: 13, Name: "CN", ClockRate: 8000, Channels: 1},
	18: {Type: 18, Name: "G729", ClockRate: 8000, Channels: 1},
}

// Limits on what one SIP message can add.
const (
	maxSIPMessage = 65536
	maxMediaLines = 16
)

// ParseSIP returns the audio media of the SDP body of a SIP message (a
// request or response, SIP/2.0, with an SDP body or an SDP part of a
// multipart body), or nil if payload is not one. It never fails: what it
// cannot read it leaves out.
func ParseSIP(payload []byte) []Media {
	if len(payload) > maxSIPMessage || !isSIP(payload) {
		return nil
	}
	end := bytes.Index(payload, []byte("\r\n\r\n"))
	skip := 4
	if end < 0 {
		end, skip = bytes.Index(payload, []byte("\n\n")), 2
		if end < 0 {
			return nil
		}
	}
	body := payload[end+skip:]
	if !bytes.HasPrefix(body, []byte("v=0")) {
		i := bytes.Index(body, []byte("\nv=0"))
		if i < 0 {
			return nil
		}
		body = body[i+1:]
	}
	return ParseSDP(body)
}

// isSIP reports whether b starts with a SIP/2.0 status or request line.
func isSIP(b []byte) bool {
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	line = bytes.TrimRight(line, "\r")
	if bytes.HasPrefix(line, []byte("SIP/2.0 ")) {
		return true
	}
	return bytes.HasSuffix(line, []byte(" SIP/2.0")) && bytes.Count(line, []byte(" ")) == 2
}

// ParseSDP returns the audio media lines of an SDP body (RFC 4566),
// stopping at a multipart boundary line. Media without a usable
// connection address or port are left out.
func ParseSDP(body []byte) []Media {
	var out []Media
	var session netip.Addr
	var cur *Media
	var curAddr netip.Addr
	var port uint16
	var rtpmap map[uint8]PayloadFormat
	flush := func() {
		if cur == nil {
			return
		}
		addr := curAddr
		if !addr.IsValid() {
			addr = session
		}
		if addr.IsValid() && !addr.IsUnspecified() && port != 0 {
			for i, f := range cur.Formats {
				if m, ok := rtpmap[f.Type]; ok {
					cur.Formats[i] = m
				}
			}
			cur.Addr = netip.AddrPortFrom(addr, port)
			out = append(out, *cur)
		}
		cur = nil
	}
	for len(body) > 0 {
		var line []byte
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			line, body = body, nil
		}
		line = bytes.TrimRight(line, "\r")
		if bytes.HasPrefix(line, []byte("--")) {
			break // the next part of a multipart body
		}
		if len(line) < 2 || line[1] != '=' {
			continue
		}
		val := string(line[2:])
		switch line[0] {
		case 'c':
			a := parseConnection(val)
			if cur == nil {
				session = a
			} else {
				curAddr = a
			}
		case 'm':
			flush()
			if len(out) >= maxMediaLines {
				return out
			}
			cur, curAddr, port, rtpmap = parseMedia(val)
		case 'a':
			if cur != nil && strings.HasPrefix(val, "rtpmap:") {
				if f, ok := parseRtpmap(val[len("rtpmap:"):]); ok {
					rtpmap[f.Type] = f
				}
			}
		}
	}
	flush()
	return out
}

// parseConnection reads "IN IP4 192.0.2.1" or "IN IP6 2001:db8::1" (a
// multicast /ttl suffix is dropped).
func parseConnection(v string) netip.Addr {
	f := strings.Fields(v)
	if len(f) != 3 || f[0] != "IN" {
		return netip.Addr{}
	}
	host, _, _ := strings.Cut(f[2], "/")
	a, err := netip.ParseAddr(host)
	if err != nil || (f[1] == "IP4") != a.Is4() {
		return netip.Addr{}
	}
	return a
}

// parseMedia reads "audio 49170 RTP/AVP 0 8 101"; other media come back
// nil.
func parseMedia(v string) (*Media, netip.Addr, uint16, map[uint8]PayloadFormat) {
	f := strings.Fields(v)
	if len(f) < 4 || f[0] != "audio" || !strings.Contains(f[2], "RTP/") {
		return nil, netip.Addr{}, 0, nil
	}
	portStr, _, _ := strings.Cut(f[1], "/")
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, netip.Addr{}, 0, nil
	}
	m := &Media{Secure: strings.Contains(f[2], "SAVP")}
	for _, s := range f[3:] {
		n, err := strconv.ParseUint(s, 10, 7)
		if err != nil {
			continue
		}
		format, ok := staticFormats[uint8(n)]
		if !ok {
			format = PayloadFormat{Type: uint8(n)}
		}
		m.Formats = append(m.Formats, format)
	}
	return m, netip.Addr{}, uint16(port), make(map[uint8]PayloadFormat)
}

// parseRtpmap reads "101 telephone-event/8000" or "96 L16/16000/2".
func parseRtpmap(v string) (PayloadFormat, bool) {
	num, enc, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return PayloadFormat{}, false
	}
	n, err := strconv.ParseUint(num, 10, 7)
	if err != nil {
		return PayloadFormat{}, false
	}
	parts := strings.Split(strings.TrimSpace(enc), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" {
		return PayloadFormat{}, false
	}
	rate, err := strconv.Atoi(parts[1])
	if err != nil || rate <= 0 {
		return PayloadFormat{}, false
	}
	ch := 1
	if len(parts) == 3 {
		if ch, err = strconv.Atoi(parts[2]); err != nil || ch < 1 {
			return PayloadFormat{}, false
		}
	}
	return PayloadFormat{Type: uint8(n), Name: parts[0], ClockRate: rate, Channels: ch}, true
}
