package capture

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Writer writes UDP datagrams as a classic pcap capture (nanosecond
// timestamps, Ethernet link type, IPv4 or IPv6 headers with checksums).
// It is not safe for concurrent use. Its layer values are reused from one
// datagram to the next.
type Writer struct {
	w       *pcapgo.Writer
	buf     gopacket.SerializeBuffer
	eth     layers.Ethernet
	ip4     layers.IPv4
	ip6     layers.IPv6
	udp     layers.UDP
	payload gopacket.Payload
	stack   [4]gopacket.SerializableLayer
}

// NewWriter writes the capture's file header to w and returns a writer.
func NewWriter(w io.Writer) (*Writer, error) {
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(MaxRecord, layers.LinkTypeEthernet); err != nil {
		return nil, fmt.Errorf("capture: writing the pcap header: %w", err)
	}
	return &Writer{w: pw, buf: gopacket.NewSerializeBuffer()}, nil
}

// WriteUDP writes one datagram from src to dst captured at t. Both
// addresses must be of the same family. It fails on a write error or if
// the datagram does not fit a UDP packet.
func (w *Writer) WriteUDP(t time.Time, src, dst netip.AddrPort, payload []byte) error {
	if src.Addr().Is4() != dst.Addr().Is4() {
		return fmt.Errorf("capture: %v and %v are not of one address family", src, dst)
	}
	if len(payload) > 65507 {
		return fmt.Errorf("capture: a %d-byte UDP payload does not fit a datagram", len(payload))
	}
	eth, udp := &w.eth, &w.udp
	if eth.SrcMAC == nil {
		eth.SrcMAC, eth.DstMAC = net.HardwareAddr{2, 0, 0, 0, 0, 1}, net.HardwareAddr{2, 0, 0, 0, 0, 2}
	}
	*udp = layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	var ip gopacket.NetworkLayer
	var ipLayer gopacket.SerializableLayer
	if src.Addr().Is4() {
		eth.EthernetType = layers.EthernetTypeIPv4
		s4, d4 := src.Addr().As4(), dst.Addr().As4()
		w.ip4 = layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: append(w.ip4.SrcIP[:0], s4[:]...), DstIP: append(w.ip4.DstIP[:0], d4[:]...)}
		ip, ipLayer = &w.ip4, &w.ip4
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		s16, d16 := src.Addr().As16(), dst.Addr().As16()
		w.ip6 = layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: append(w.ip6.SrcIP[:0], s16[:]...), DstIP: append(w.ip6.DstIP[:0], d16[:]...)}
		ip, ipLayer = &w.ip6, &w.ip6
	}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	w.payload = payload
	w.stack = [4]gopacket.SerializableLayer{eth, ipLayer, udp, &w.payload}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(w.buf, opts, w.stack[:]...); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	data := w.buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}
	if err := w.w.WritePacket(ci, data); err != nil {
		return fmt.Errorf("capture: writing a packet: %w", err)
	}
	return nil
}
