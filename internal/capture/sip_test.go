package capture

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/rtpdtmf"
)

func sipMessage(first, contentType, body string) []byte {
	h := first + "\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776\r\nCall-ID: a84b4c76e66710\r\nCSeq: 1 INVITE\r\n"
	if contentType != "" {
		h += "Content-Type: " + contentType + "\r\n"
	}
	h += "Content-Length: " + itoa(len(body)) + "\r\n\r\n"
	return []byte(h + body)
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		if n /= 10; n == 0 {
			return s
		}
	}
}

const offerSDP = "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
	"m=audio 4000 RTP/AVP 8 96 0 13\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\n" +
	"m=video 4002 RTP/AVP 97\r\na=rtpmap:97 H264/90000\r\n"

func TestParseSIP(t *testing.T) {
	media := ParseSIP(sipMessage("INVITE sip:bob@example.com SIP/2.0", "application/sdp", offerSDP))
	require.Len(t, media, 1, "video is left out")
	m := media[0]
	assert.Equal(t, netip.MustParseAddrPort("192.0.2.1:4000"), m.Addr)
	assert.False(t, m.Secure)
	assert.Equal(t, []PayloadFormat{
		{Type: 8, Name: "PCMA", ClockRate: 8000, Channels: 1},
		{Type: 96, Name: "telephone-event", ClockRate: 8000, Channels: 1},
		{Type: 0, Name: "PCMU", ClockRate: 8000, Channels: 1},
		{Type: 13, Name: "CN", ClockRate: 8000, Channels: 1},
	}, m.Formats)
	assert.Equal(t, []rtpdtmf.PayloadType{
		{Number: 8, Encoding: rtpdtmf.PCMA, ClockRate: 8000},
		{Number: 96, Encoding: rtpdtmf.TelephoneEvent, ClockRate: 8000},
		{Number: 0, Encoding: rtpdtmf.PCMU, ClockRate: 8000},
		{Number: 13, Encoding: rtpdtmf.ComfortNoise, ClockRate: 8000},
	}, m.PayloadTypes())
}

func TestParseSIPVariants(t *testing.T) {
	tests := []struct {
		name string
		msg  []byte
		want []netip.AddrPort
	}{
		{"answer", sipMessage("SIP/2.0 200 OK", "application/sdp", strings.ReplaceAll(offerSDP, "4000", "5004")), []netip.AddrPort{netip.MustParseAddrPort("192.0.2.1:5004")}},
		{"media-level address wins", sipMessage("SIP/2.0 183 Session Progress", "application/sdp",
			"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 7000 RTP/AVP 0\r\nc=IN IP4 203.0.113.9\r\n"), []netip.AddrPort{netip.MustParseAddrPort("203.0.113.9:7000")}},
		{"IPv6 and LF line ends", []byte("INVITE sip:x SIP/2.0\nContent-Type: application/sdp\n\nv=0\nc=IN IP6 2001:db8::5\nm=audio 6000 RTP/AVP 0\n"),
			[]netip.AddrPort{netip.MustParseAddrPort("[2001:db8::5]:6000")}},
		{"multipart", sipMessage("INVITE sip:x SIP/2.0", "multipart/mixed;boundary=b1",
			"--b1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nc=IN IP4 192.0.2.7\r\nm=audio 8000 RTP/AVP 0\r\n--b1\r\nContent-Type: application/isup\r\n\r\nm=audio 1 RTP/AVP 0\r\n--b1--\r\n"),
			[]netip.AddrPort{netip.MustParseAddrPort("192.0.2.7:8000")}},
		{"hold address left out", sipMessage("INVITE sip:x SIP/2.0", "application/sdp", "v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 8000 RTP/AVP 0\r\n"), nil},
		{"no body", sipMessage("BYE sip:x SIP/2.0", "", ""), nil},
		{"not SIP", []byte("HTTP/1.1 200 OK\r\n\r\nv=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 1 RTP/AVP 0\r\n"), nil},
		{"not text", []byte{0x80, 0, 1, 2, 3}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []netip.AddrPort
			for _, m := range ParseSIP(tt.msg) {
				got = append(got, m.Addr)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseSDPSecureAndRtpmap(t *testing.T) {
	media := ParseSDP([]byte("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/SAVP 96 97 98\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:97 L16/16000\r\na=rtpmap:98 telephone-event/48000\r\na=rtpmap:bad\r\n"))
	require.Len(t, media, 1)
	assert.True(t, media[0].Secure)
	assert.Equal(t, []rtpdtmf.PayloadType{
		{Number: 97, Encoding: rtpdtmf.L16, ClockRate: 16000, Channels: 1},
		{Number: 98, Encoding: rtpdtmf.TelephoneEvent, ClockRate: 48000},
	}, media[0].PayloadTypes(), "opus is not decoded")
	assert.Equal(t, "opus", media[0].Formats[0].Name)
}

func FuzzParseSIP(f *testing.F) {
	f.Add(sipMessage("INVITE sip:bob@example.com SIP/2.0", "application/sdp", offerSDP))
	f.Add([]byte("SIP/2.0 200 OK\n\nv=0\nc=IN IP6 ::1\nm=audio 1/2 RTP/AVP 0 96\na=rtpmap:96 L16/8000/2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		media := ParseSIP(b)
		if len(media) > maxMediaLines {
			t.Fatalf("%d media lines", len(media))
		}
		for _, m := range media {
			if !m.Addr.IsValid() || m.Addr.Port() == 0 || m.Addr.Addr().IsUnspecified() {
				t.Fatalf("bad address %v", m.Addr)
			}
			for _, pt := range m.PayloadTypes() {
				cfg := rtpdtmf.DefaultConfig()
				cfg.PayloadTypes = []rtpdtmf.PayloadType{pt}
				if err := cfg.Validate(); err != nil {
					t.Fatalf("an SDP payload type the receiver rejects: %v", err)
				}
			}
		}
	})
}
