package capture

import (
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriterAllocs: after the first datagram, writing one allocates
// nothing (the layers and the serialisation buffer are reused), for IPv4
// and IPv6.
func TestWriterAllocs(t *testing.T) {
	w, err := NewWriter(io.Discard)
	require.NoError(t, err)
	payload := make([]byte, 172)
	for _, pair := range [][2]string{{"192.0.2.1:4000", "192.0.2.2:5000"}, {"[2001:db8::1]:4000", "[2001:db8::2]:5000"}} {
		src, dst := netip.MustParseAddrPort(pair[0]), netip.MustParseAddrPort(pair[1])
		at := time.Unix(1, 0)
		require.NoError(t, w.WriteUDP(at, src, dst, payload))
		allocs := testing.AllocsPerRun(100, func() {
			at = at.Add(20 * time.Millisecond)
			_ = w.WriteUDP(at, src, dst, payload)
		})
		assert.Zero(t, allocs, "%s", pair[0])
	}
}
