package capture

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Format is a capture file format.
type Format uint8

const (
	// PCAP is the classic libpcap format (any byte order, µs or ns).
	PCAP Format = 1 + iota
	// PCAPNG is the pcapng format.
	PCAPNG
)

// String returns "pcap" or "pcapng".
func (f Format) String() string {
	switch f {
	case PCAP:
		return "pcap"
	case PCAPNG:
		return "pcapng"
	}
	return "unknown"
}

// Magic numbers at the start of a capture.
const (
	pcapMicro    = 0xa1b2c3d4
	pcapNano     = 0xa1b23c4d
	gzipMagic    = 0x1f8b
	readerBuffer = 64 << 10
)

// Sniff reports the format of a capture from its first four bytes, or
// false. A gzip stream is reported as not recognised: [NewReader] opens it
// and looks inside.
func Sniff(head []byte) (Format, bool) {
	if len(head) < 4 {
		return 0, false
	}
	switch le, be := binary.LittleEndian.Uint32(head), binary.BigEndian.Uint32(head); {
	case le == pcapMicro || le == pcapNano || be == pcapMicro || be == pcapNano:
		return PCAP, true
	case le == ngSectionHeader:
		return PCAPNG, true
	}
	return 0, false
}

// Transport is the protocol above IP.
type Transport uint8

const (
	// UDP datagrams.
	UDP Transport = 1 + iota
	// TCP segments (one at a time: no stream reassembly).
	TCP
)

// Packet is one UDP datagram or TCP segment from a capture.
type Packet struct {
	// Number is the record's position in the capture, from 1, as
	// Wireshark numbers frames (skipped records count).
	Number int
	// Time is the capture timestamp.
	Time time.Time
	// Transport is UDP or TCP.
	Transport Transport
	// Src and Dst are the addresses and ports.
	Src, Dst netip.AddrPort
	// Payload is the UDP or TCP payload. It aliases the reader's buffer
	// and is valid until the next call to [Reader.Next].
	Payload []byte
}

// packetSource is what pcapgo's two readers have in common.
type packetSource interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// Reader reads the UDP and TCP packets of a capture. It is not safe for
// concurrent use. [NewReader] allocates its buffers; [Reader.Next]
// allocates nothing per packet.
type Reader struct {
	format  Format
	src     packetSource
	link    layers.LinkType // of a pcap file; pcapng carries one per packet
	ng      *ngFilter
	number  int
	skipped int

	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	sll2    layers.LinuxSLL2
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	udp     layers.UDP
	tcp     layers.TCP
	parsers map[gopacket.LayerType]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

// NewReader recognises a pcap or pcapng capture by its content (also
// inside gzip) and reads its header. It fails with an error wrapping
// [ErrFormat] for anything else, or with the header's error.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, readerBuffer)
	head, err := br.Peek(4)
	if len(head) >= 2 && binary.BigEndian.Uint16(head) == gzipMagic {
		zr, zerr := gzip.NewReader(br)
		if zerr != nil {
			return nil, fmt.Errorf("%w: gzip: %w", ErrFormat, zerr)
		}
		br = bufio.NewReaderSize(zr, readerBuffer)
		head, err = br.Peek(4)
	}
	format, ok := Sniff(head)
	if !ok {
		if err != nil && len(head) < 4 {
			return nil, fmt.Errorf("%w: %d bytes", ErrFormat, len(head))
		}
		return nil, fmt.Errorf("%w: starts with % x", ErrFormat, head)
	}
	c := &Reader{format: format}
	switch format {
	case PCAP:
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: pcap header: %w", ErrFormat, err)
		}
		// Records longer than MaxRecord are refused before they are
		// read, whatever snap length the header claims.
		pr.SetSnaplen(min(pr.Snaplen(), MaxRecord))
		c.src, c.link = pr, pr.LinkType()
	case PCAPNG:
		c.ng = newNgFilter(br)
		nr, err := pcapgo.NewNgReader(c.ng, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			if errors.Is(err, ErrCorrupt) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: pcapng header: %w", ErrFormat, err)
		}
		c.src = nr
	}
	c.init()
	return c, nil
}

func (c *Reader) init() {
	decoders := []gopacket.DecodingLayer{&c.eth, &c.dot1q, &c.sll, &c.sll2, &c.loop, &c.ip4, &c.ip6, &c.udp, &c.tcp}
	c.parsers = make(map[gopacket.LayerType]*gopacket.DecodingLayerParser)
	for _, first := range []gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2,
		layers.LayerTypeLoopback, layers.LayerTypeIPv4, layers.LayerTypeIPv6} {
		p := gopacket.NewDecodingLayerParser(first, decoders...)
		p.IgnoreUnsupported = true
		c.parsers[first] = p
	}
	c.decoded = make([]gopacket.LayerType, 0, 8)
}

// Format returns the capture's format.
func (c *Reader) Format() Format { return c.format }

// Skipped returns how many records were not UDP or TCP over IP (other
// protocols, IP fragments, unknown link types, undecodable headers).
func (c *Reader) Skipped() int { return c.skipped }

// Next returns the next UDP or TCP packet. At the end of the capture it
// returns io.EOF; a capture that ends inside a record gives an error
// wrapping [ErrTruncated], and an impossible record one wrapping
// [ErrCorrupt]; the packets before it were returned.
func (c *Reader) Next() (Packet, error) {
	for {
		data, ci, err := c.src.ZeroCopyReadPacketData()
		if err != nil {
			if err == io.EOF && ci.CaptureLength > 0 {
				err = io.ErrUnexpectedEOF // a record header without its data
			}
			return Packet{}, c.wrap(err)
		}
		c.number++
		link := c.link
		if c.format == PCAPNG && len(ci.AncillaryData) > 0 {
			link, _ = ci.AncillaryData[0].(layers.LinkType)
		}
		if p, ok := c.decode(link, data); ok {
			p.Number, p.Time = c.number, ci.Timestamp
			return p, nil
		}
		c.skipped++
	}
}

func (c *Reader) wrap(err error) error {
	switch {
	case err == io.EOF && !(c.ng != nil && c.ng.truncated):
		return io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF), c.ng != nil && c.ng.truncated:
		return fmt.Errorf("%w after record %d", ErrTruncated, c.number)
	case errors.Is(err, ErrCorrupt):
		return fmt.Errorf("after record %d: %w", c.number, err)
	}
	return fmt.Errorf("%w: after record %d: %w", ErrCorrupt, c.number, err)
}

// decode parses one record of the given link type.
func (c *Reader) decode(link layers.LinkType, data []byte) (Packet, bool) {
	var first gopacket.LayerType
	switch link {
	case layers.LinkTypeEthernet:
		first = layers.LayerTypeEthernet
	case layers.LinkTypeLinuxSLL:
		first = layers.LayerTypeLinuxSLL
	case layers.LinkTypeLinuxSLL2:
		first = layers.LayerTypeLinuxSLL2
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		first = layers.LayerTypeLoopback
	case layers.LinkTypeIPv4:
		first = layers.LayerTypeIPv4
	case layers.LinkTypeIPv6:
		first = layers.LayerTypeIPv6
	case layers.LinkTypeRaw, linkTypeRawBSD, linkTypeRawOpenBSD:
		if len(data) == 0 {
			return Packet{}, false
		}
		switch data[0] >> 4 {
		case 4:
			first = layers.LayerTypeIPv4
		case 6:
			first = layers.LayerTypeIPv6
		default:
			return Packet{}, false
		}
	default:
		return Packet{}, false
	}
	if err := c.parsers[first].DecodeLayers(data, &c.decoded); err != nil {
		return Packet{}, false
	}
	var p Packet
	var src, dst netip.Addr
	for _, t := range c.decoded {
		switch t {
		case layers.LayerTypeIPv4:
			src, dst = addr4(c.ip4.SrcIP), addr4(c.ip4.DstIP)
		case layers.LayerTypeIPv6:
			src, dst = addr16(c.ip6.SrcIP), addr16(c.ip6.DstIP)
		case layers.LayerTypeUDP:
			p.Transport, p.Payload = UDP, c.udp.Payload
			p.Src, p.Dst = netip.AddrPortFrom(src, uint16(c.udp.SrcPort)), netip.AddrPortFrom(dst, uint16(c.udp.DstPort))
		case layers.LayerTypeTCP:
			p.Transport, p.Payload = TCP, c.tcp.Payload
			p.Src, p.Dst = netip.AddrPortFrom(src, uint16(c.tcp.SrcPort)), netip.AddrPortFrom(dst, uint16(c.tcp.DstPort))
		}
	}
	return p, p.Transport != 0 && src.IsValid()
}

// DLT_RAW as some systems number it (libpcap maps 12 and 14 to 101).
const (
	linkTypeRawBSD     layers.LinkType = 12
	linkTypeRawOpenBSD layers.LinkType = 14
)

func addr4(ip []byte) netip.Addr {
	if len(ip) != 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(ip))
}

func addr16(ip []byte) netip.Addr {
	if len(ip) != 16 {
		return netip.Addr{}
	}
	return netip.AddrFrom16([16]byte(ip))
}
