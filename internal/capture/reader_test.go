package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	src4 = netip.MustParseAddrPort("192.0.2.1:4000")
	dst4 = netip.MustParseAddrPort("198.51.100.2:5004")
	src6 = netip.MustParseAddrPort("[2001:db8::1]:4000")
	dst6 = netip.MustParseAddrPort("[2001:db8::2]:5004")
	t0   = time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
)

// ipUDP returns an IP packet (no link header) carrying a UDP datagram.
func ipUDP(t testing.TB, src, dst netip.AddrPort, payload []byte) []byte {
	t.Helper()
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	var ip gopacket.SerializableLayer
	if src.Addr().Is4() {
		s, d := src.Addr().As4(), dst.Addr().As4()
		l := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: s[:], DstIP: d[:]}
		require.NoError(t, udp.SetNetworkLayerForChecksum(l))
		ip = l
	} else {
		s, d := src.Addr().As16(), dst.Addr().As16()
		l := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: s[:], DstIP: d[:]}
		require.NoError(t, udp.SetNetworkLayerForChecksum(l))
		ip = l
	}
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ip, udp, gopacket.Payload(payload)))
	return append([]byte(nil), buf.Bytes()...)
}

// frame wraps an IP packet in the link header of link.
func frame(t testing.TB, link layers.LinkType, ip []byte) []byte {
	t.Helper()
	v6 := ip[0]>>4 == 6
	etype := uint16(0x0800)
	if v6 {
		etype = 0x86dd
	}
	var h []byte
	switch link {
	case layers.LinkTypeEthernet:
		h = append([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}, byte(etype>>8), byte(etype))
	case layers.LinkTypeLinuxSLL: // packet type, ARPHRD, address length, address (8), protocol
		h = binary.BigEndian.AppendUint16(h, 0)
		h = binary.BigEndian.AppendUint16(h, 772)
		h = binary.BigEndian.AppendUint16(h, 6)
		h = append(h, 0, 0, 0, 0, 0, 0, 0, 0)
		h = binary.BigEndian.AppendUint16(h, etype)
	case layers.LinkTypeLinuxSLL2: // protocol, reserved, ifindex, ARPHRD, packet type, address length, address (8)
		h = binary.BigEndian.AppendUint16(h, etype)
		h = append(h, 0, 0, 0, 0, 0, 1)
		h = binary.BigEndian.AppendUint16(h, 772)
		h = append(h, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0)
	case layers.LinkTypeNull: // host byte order family: AF_INET 2, AF_INET6 30 (macOS)
		fam := uint32(2)
		if v6 {
			fam = 30
		}
		h = binary.LittleEndian.AppendUint32(h, fam)
	case layers.LinkTypeLoop: // network byte order
		fam := uint32(2)
		if v6 {
			fam = 24
		}
		h = binary.BigEndian.AppendUint32(h, fam)
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, linkTypeRawBSD:
	default:
		t.Fatalf("no test framing for %v", link)
	}
	return append(h, ip...)
}

func writePcap(t testing.TB, link layers.LinkType, frames ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriterNanos(&b)
	require.NoError(t, w.WriteFileHeader(65535, link))
	for i, f := range frames {
		require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * 20 * time.Millisecond), CaptureLength: len(f), Length: len(f)}, f))
	}
	return b.Bytes()
}

func readAll(t testing.TB, data []byte) ([]Packet, error) {
	t.Helper()
	c, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []Packet
	for {
		p, err := c.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return out, err
		}
		p.Payload = append([]byte(nil), p.Payload...)
		out = append(out, p)
	}
}

func TestLinkTypes(t *testing.T) {
	for _, link := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2,
		layers.LinkTypeNull, layers.LinkTypeLoop, layers.LinkTypeRaw, linkTypeRawBSD} {
		t.Run(link.String(), func(t *testing.T) {
			data := writePcap(t, link, frame(t, link, ipUDP(t, src4, dst4, []byte("hello4"))), frame(t, link, ipUDP(t, src6, dst6, []byte("hello6"))))
			got, err := readAll(t, data)
			require.NoError(t, err)
			require.Len(t, got, 2)
			assert.Equal(t, Packet{Number: 1, Time: t0, Transport: UDP, Src: src4, Dst: dst4, Payload: []byte("hello4")}, got[0])
			assert.Equal(t, Packet{Number: 2, Time: t0.Add(20 * time.Millisecond), Transport: UDP, Src: src6, Dst: dst6, Payload: []byte("hello6")}, got[1])
		})
	}
	for _, link := range []layers.LinkType{layers.LinkTypeIPv4, layers.LinkTypeIPv6} {
		s, d := src4, dst4
		if link == layers.LinkTypeIPv6 {
			s, d = src6, dst6
		}
		got, err := readAll(t, writePcap(t, link, frame(t, link, ipUDP(t, s, d, []byte("x")))))
		require.NoError(t, err)
		require.Len(t, got, 1, link)
		assert.Equal(t, d, got[0].Dst)
	}
}

// TestPcapng: several interfaces of different link types in one file, and
// the blocks the reader drops (statistics) in between.
func TestPcapng(t *testing.T) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&b, pcapgo.NgInterface{LinkType: layers.LinkTypeEthernet, SnapLength: 65535, TimestampResolution: 9}, pcapgo.DefaultNgWriterOptions)
	require.NoError(t, err)
	sll, err := w.AddInterface(pcapgo.NgInterface{LinkType: layers.LinkTypeLinuxSLL2, SnapLength: 65535, TimestampResolution: 9})
	require.NoError(t, err)
	f0 := frame(t, layers.LinkTypeEthernet, ipUDP(t, src4, dst4, []byte("eth")))
	f1 := frame(t, layers.LinkTypeLinuxSLL2, ipUDP(t, src6, dst6, []byte("sll2")))
	require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(f0), Length: len(f0)}, f0))
	require.NoError(t, w.WriteInterfaceStats(0, pcapgo.NgInterfaceStatistics{PacketsReceived: 5}))
	require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Second), CaptureLength: len(f1), Length: len(f1), InterfaceIndex: sll}, f1))
	require.NoError(t, w.Flush())
	c, err := NewReader(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, PCAPNG, c.Format())
	got, err := readAll(t, b.Bytes())
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, []byte("eth"), got[0].Payload)
	assert.Equal(t, []byte("sll2"), got[1].Payload)
	assert.Equal(t, src6, got[1].Src)
	assert.Equal(t, t0.Add(time.Second), got[1].Time)
}

func TestGzip(t *testing.T) {
	data := writePcap(t, layers.LinkTypeEthernet, frame(t, layers.LinkTypeEthernet, ipUDP(t, src4, dst4, []byte("z"))))
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write(data)
	require.NoError(t, zw.Close())
	got, err := readAll(t, z.Bytes())
	require.NoError(t, err)
	require.Len(t, got, 1)
}

func TestNotACapture(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("RIFF"), []byte("RIFF....WAVEfmt "), {0x1f, 0x8b, 0, 0}, {0xa1, 0xb2}} {
		_, err := NewReader(bytes.NewReader(b))
		assert.ErrorIs(t, err, ErrFormat, "%q", b)
	}
}

// TestSkipped: non-UDP records and IP fragments are counted, not returned.
func TestSkipped(t *testing.T) {
	ip := ipUDP(t, src4, dst4, []byte("frag"))
	frag := append([]byte(nil), ip...)
	frag[6] |= 0x20 // more fragments
	arp := append([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06}, make([]byte, 28)...)
	data := writePcap(t, layers.LinkTypeEthernet, arp, frame(t, layers.LinkTypeEthernet, frag), frame(t, layers.LinkTypeEthernet, ip))
	c, err := NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	p, err := c.Next()
	require.NoError(t, err)
	assert.Equal(t, 3, p.Number, "frames keep their numbers")
	assert.Equal(t, 2, c.Skipped())
}

// TestTruncated: a capture cut anywhere inside its last record gives the
// records before it, then ErrTruncated.
func TestTruncated(t *testing.T) {
	f := frame(t, layers.LinkTypeEthernet, ipUDP(t, src4, dst4, []byte("payload")))
	pcap := writePcap(t, layers.LinkTypeEthernet, f, f, f)
	var ng bytes.Buffer
	w, err := pcapgo.NewNgWriter(&ng, layers.LinkTypeEthernet)
	require.NoError(t, err)
	for range 3 {
		require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(f), Length: len(f)}, f))
	}
	require.NoError(t, w.Flush())
	for name, data := range map[string][]byte{"pcap": pcap, "pcapng": ng.Bytes()} {
		full, err := readAll(t, data)
		require.NoError(t, err, name)
		require.Len(t, full, 3)
		recLen := (len(data) - headerLen(t, data)) / 3
		for cut := len(data) - recLen + 1; cut < len(data); cut++ {
			got, err := readAll(t, data[:cut])
			assert.ErrorIs(t, err, ErrTruncated, "%s cut at %d of %d", name, cut, len(data))
			assert.Len(t, got, 2, "%s cut at %d", name, cut)
		}
	}
}

// headerLen returns the length of a capture's header: 24 for pcap, the
// section and interface blocks for pcapng.
func headerLen(t testing.TB, data []byte) int {
	if f, _ := Sniff(data); f == PCAP {
		return 24
	}
	n := 0
	for range 2 { // SHB, IDB
		n += int(binary.LittleEndian.Uint32(data[n+4:]))
	}
	return n
}

// TestHostileLengths: headers and records that claim gigabytes are
// rejected before they are read, and cost the reader little memory.
func TestHostileLengths(t *testing.T) {
	var pcap bytes.Buffer
	pcap.Write(writePcap(t, layers.LinkTypeEthernet)) // file header only
	binary.LittleEndian.PutUint32(pcap.Bytes()[16:], 0xffffffff)
	rec := make([]byte, 16)
	binary.LittleEndian.PutUint32(rec[8:], 0xfffffff0)
	binary.LittleEndian.PutUint32(rec[12:], 0xfffffff0)
	pcap.Write(rec)
	pcap.Write(make([]byte, 1000))

	var ng bytes.Buffer
	w, err := pcapgo.NewNgWriter(&ng, layers.LinkTypeEthernet)
	require.NoError(t, err)
	require.NoError(t, w.Flush())
	hdr := len(ng.Bytes())
	epb := make([]byte, 32+8)
	binary.LittleEndian.PutUint32(epb[0:], ngEnhancedPacket)
	binary.LittleEndian.PutUint32(epb[4:], 40)
	binary.LittleEndian.PutUint32(epb[20:], 0x7ffffff0) // captured length
	binary.LittleEndian.PutUint32(epb[24:], 0x7ffffff0)
	binary.LittleEndian.PutUint32(epb[36:], 40)
	bigCap := append(append([]byte(nil), ng.Bytes()...), epb...)
	bigCap = append(bigCap, make([]byte, 1<<20)...)

	hugeBlock := append([]byte(nil), ng.Bytes()[:hdr]...)
	hugeBlock = binary.LittleEndian.AppendUint32(hugeBlock, 0x0bad)
	hugeBlock = binary.LittleEndian.AppendUint32(hugeBlock, 0xfffffff0)
	hugeBlock = append(hugeBlock, make([]byte, 1<<20)...)

	manyIfaces := append([]byte(nil), ng.Bytes()[:hdr]...)
	idb := ng.Bytes()[int(binary.LittleEndian.Uint32(ng.Bytes()[4:])):hdr]
	for range MaxInterfaces + 1 {
		manyIfaces = append(manyIfaces, idb...)
	}

	for name, data := range map[string][]byte{"pcap record": pcap.Bytes(), "pcapng captured length": bigCap, "pcapng block": hugeBlock, "pcapng interfaces": manyIfaces} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := readAll(t, data)
		runtime.ReadMemStats(&after)
		assert.ErrorIs(t, err, ErrCorrupt, name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(2<<20), "%s: bytes allocated", name)
	}
}

func TestNextZeroAllocations(t *testing.T) {
	f := frame(t, layers.LinkTypeEthernet, ipUDP(t, src4, dst4, make([]byte, 172)))
	frames := make([][]byte, 300)
	for i := range frames {
		frames[i] = f
	}
	for _, data := range [][]byte{writePcap(t, layers.LinkTypeEthernet, frames...), pcapngOf(t, frames...)} {
		c, err := NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		for range 10 {
			_, err := c.Next()
			require.NoError(t, err)
		}
		allocs := testing.AllocsPerRun(200, func() {
			if _, err := c.Next(); err != nil {
				panic(err)
			}
		})
		assert.Zero(t, allocs, c.Format())
	}
}

func pcapngOf(t testing.TB, frames ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriter(&b, layers.LinkTypeEthernet)
	require.NoError(t, err)
	for i, f := range frames {
		require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * 20 * time.Millisecond), CaptureLength: len(f), Length: len(f)}, f))
	}
	require.NoError(t, w.Flush())
	return b.Bytes()
}

func TestWriterRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b)
	require.NoError(t, err)
	require.NoError(t, w.WriteUDP(t0, src4, dst4, []byte("four")))
	require.NoError(t, w.WriteUDP(t0.Add(time.Millisecond), src6, dst6, []byte("six")))
	assert.Error(t, w.WriteUDP(t0, src4, dst6, nil), "mixed families")
	got, err := readAll(t, b.Bytes())
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, Packet{Number: 1, Time: t0, Transport: UDP, Src: src4, Dst: dst4, Payload: []byte("four")}, got[0])
	assert.Equal(t, Packet{Number: 2, Time: t0.Add(time.Millisecond), Transport: UDP, Src: src6, Dst: dst6, Payload: []byte("six")}, got[1])
}
