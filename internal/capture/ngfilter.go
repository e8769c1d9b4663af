package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Limits on what a pcapng file can make the reader hold.
const (
	// MaxRecord is the largest packet record accepted [bytes]: libpcap's
	// largest snap length (MAXIMUM_SNAPLEN).
	MaxRecord = 262144
	// MaxBlock is the largest pcapng block accepted [bytes]: a packet
	// record and 64 KiB of options.
	MaxBlock = MaxRecord + 65536
	// MaxInterfaces is the most interface descriptions accepted in one
	// pcapng section.
	MaxInterfaces = 256
)

// pcapng block types (draft-ietf-opsawg-pcapng).
const (
	ngSectionHeader   = 0x0a0d0d0a
	ngInterface       = 0x00000001
	ngObsoletePacket  = 0x00000002
	ngEnhancedPacket  = 0x00000006
	ngByteOrderMagic  = 0x1a2b3c4d
	ngBlockHeaderSize = 8
	// ngPacketFixed is the fixed part of an enhanced (or obsolete) packet
	// block: type, length, interface, timestamp (2), captured and
	// original length, trailing length.
	ngPacketFixed = 32
	ngCapLenAt    = 20
)

// ngFilter passes a pcapng stream through block by block: it checks each
// block's length before any of it reaches pcapgo, and drops the block
// types the decoder has no use for.
type ngFilter struct {
	r          *bufio.Reader
	order      binary.ByteOrder
	left       int // bytes of the current block still to pass on
	interfaces int
	err        error
	truncated  bool // the file ended inside a block
}

func newNgFilter(r *bufio.Reader) *ngFilter {
	return &ngFilter{r: r, order: binary.LittleEndian}
}

func (f *ngFilter) Read(p []byte) (int, error) {
	for f.left == 0 {
		if f.err != nil {
			return 0, f.err
		}
		if err := f.next(); err != nil {
			f.err = err
			return 0, err
		}
	}
	n, err := f.r.Read(p[:min(len(p), f.left)])
	f.left -= n
	if err == io.EOF && f.left > 0 {
		f.truncated = true
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// cut passes on the n bytes left of a block the file ends inside, then
// reports the truncation (pcapgo takes an error with no bytes at a block's
// start for a clean end).
func (f *ngFilter) cut(n int) error {
	f.truncated = true
	if n == 0 {
		return io.ErrUnexpectedEOF
	}
	f.left = n
	f.err = io.ErrUnexpectedEOF
	return nil
}

// next reads the next block's header and either lets the block through or
// skips it.
func (f *ngFilter) next() error {
	for {
		hdr, err := f.r.Peek(ngBlockHeaderSize)
		if err != nil {
			if err == io.EOF && len(hdr) == 0 {
				return io.EOF
			}
			return f.cut(len(hdr))
		}
		typ := f.order.Uint32(hdr)
		if binary.LittleEndian.Uint32(hdr) == ngSectionHeader {
			typ = ngSectionHeader // the same in either byte order
			magic, err := f.r.Peek(ngBlockHeaderSize + 4)
			if err != nil {
				return f.cut(len(magic))
			}
			switch {
			case binary.LittleEndian.Uint32(magic[8:]) == ngByteOrderMagic:
				f.order = binary.LittleEndian
			case binary.BigEndian.Uint32(magic[8:]) == ngByteOrderMagic:
				f.order = binary.BigEndian
			default:
				return fmt.Errorf("%w: pcapng section header with byte-order magic %x", ErrCorrupt, magic[8:])
			}
			f.interfaces = 0
		}
		length := int64(f.order.Uint32(hdr[4:]))
		if length < 12 || length%4 != 0 || length > MaxBlock {
			return fmt.Errorf("%w: pcapng block of type %#x with length %d (want a multiple of 4 in [12, %d])", ErrCorrupt, typ, length, MaxBlock)
		}
		switch typ {
		case ngSectionHeader:
		case ngInterface:
			if f.interfaces++; f.interfaces > MaxInterfaces {
				return fmt.Errorf("%w: more than %d pcapng interfaces in a section", ErrCorrupt, MaxInterfaces)
			}
		case ngEnhancedPacket, ngObsoletePacket:
			if length < ngPacketFixed {
				return fmt.Errorf("%w: pcapng packet block of %d bytes", ErrCorrupt, length)
			}
			fixed, err := f.r.Peek(ngCapLenAt + 4)
			if err != nil {
				return f.cut(len(fixed))
			}
			if capLen := int64(f.order.Uint32(fixed[ngCapLenAt:])); capLen > length-ngPacketFixed {
				return fmt.Errorf("%w: pcapng packet of %d bytes in a block of %d", ErrCorrupt, capLen, length)
			}
		default:
			if _, err := f.r.Discard(int(length)); err != nil {
				return f.cut(0)
			}
			continue
		}
		f.left = int(length)
		return nil
	}
}
