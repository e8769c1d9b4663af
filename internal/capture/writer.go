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
// It is not safe for concurrent use.
type Writer struct {
	w   *pcapgo.Writer
	buf gopacket.SerializeBuffer
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
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	var ip gopacket.NetworkLayer
	if src.Addr().Is4() {
		eth.EthernetType = layers.EthernetTypeIPv4
		s4, d4 := src.Addr().As4(), dst.Addr().As4()
		ip = &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: s4[:], DstIP: d4[:]}
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		s16, d16 := src.Addr().As16(), dst.Addr().As16()
		ip = &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: s16[:], DstIP: d16[:]}
	}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(w.buf, opts, eth, ip.(gopacket.SerializableLayer), udp, gopacket.Payload(payload)); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	data := w.buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}
	if err := w.w.WritePacket(ci, data); err != nil {
		return fmt.Errorf("capture: writing a packet: %w", err)
	}
	return nil
}
