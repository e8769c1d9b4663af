// Package capture reads RTP streams out of packet captures (pcap and
// pcapng, recognised by content, optionally gzip-compressed) and decodes
// their key presses with package rtpdtmf; it also writes captures.
//
// # Reading
//
// [NewReader] reads records with gopacket's pcapgo and decodes only the
// layers needed (Ethernet with 802.1Q tags, Linux cooked SLL and SLL2,
// BSD loopback, raw IP, then IPv4 or IPv6, then UDP or TCP) with one
// gopacket.DecodingLayerParser and reused layer values: a packet costs no
// allocation. Fragmented IP packets are skipped.
//
// What a hostile file can make the reader allocate is bounded before
// pcapgo sees it: a classic pcap record is at most [MaxRecord] bytes
// whatever the header's snap length; pcapng blocks pass through a filter
// that rejects blocks longer than [MaxBlock] or whose captured length
// exceeds their block, limits interfaces to [MaxInterfaces] per section,
// and drops the blocks this package does not need (name resolution,
// statistics, decryption secrets, simple packets, custom blocks), which
// pcapgo would otherwise keep in memory for the whole file.
//
// # Streams
//
// [Decode] finds every RTP stream (UDP, RTP version 2, keyed by SSRC and
// both addresses), takes payload types from the SIP/SDP in the capture
// (a=rtpmap, including telephone-event; SIP over UDP or TCP, one segment
// per message), else from static types and caller-given mappings, and runs
// one [rtpdtmf.Receiver] per stream. A truncated capture is decoded as far
// as it goes, then the truncation is reported.
package capture
