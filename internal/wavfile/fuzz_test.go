package wavfile

import (
	"bytes"
	"errors"
	"github.com/dtmfkit/dtmf/internal/testutil"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzReader feeds arbitrary bytes to the reader. Properties: it returns an
// error or audio, never panics; errors are one line and wrap the package's
// sentinels; the format is in range; no more samples come out than the
// input could hold, always whole frames; the result does not depend on
// how the input or the output is split; allocation stays bounded by the
// input size whatever the header claims; and PCM16 audio survives a
// write/read round trip. Seeds are in testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	f.Add(testutil.RIFF(testutil.Chunk("fmt ", testutil.FmtBody(codePCM, 1, 8000, 16, 2)), testutil.Chunk("data", testutil.PCM16Bytes(1, 2, 3))))
	f.Add(testutil.RIFF(testutil.Chunk("fmt ", testutil.ExtBody(codeFloat, 2, 8000, 32, 32, 0, testutil.KSGUIDTail)), testutil.RawChunk("data", 0xFFFFFFFF, make([]byte, 20))))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		format, pcm, err := readAllWith(bytes.NewReader(data), 4096)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<10+8*uint64(len(data)) {
			t.Fatalf("allocated %d bytes for %d bytes of input", alloc, len(data))
		}
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "wavfile: ") {
				t.Fatalf("bad error message %q", msg)
			}
			if !errors.Is(err, ErrNotWAV) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) &&
				!errors.Is(err, ErrTruncated) && !errors.Is(err, ErrNonFinite) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
		}
		if format == (Format{}) {
			if len(pcm) > 0 {
				t.Fatalf("samples without a format")
			}
			return
		}
		if !format.Encoding.valid() || format.Channels < 1 || format.Channels > MaxChannels ||
			format.SampleRate < 1 || format.SampleRate > MaxSampleRate {
			t.Fatalf("format out of range: %+v", format)
		}
		if len(pcm)%format.Channels != 0 {
			t.Fatalf("%d samples for %d channels", len(pcm), format.Channels)
		}
		if len(pcm)*format.Encoding.BytesPerSample() > len(data) {
			t.Fatalf("%d samples from %d bytes", len(pcm), len(data))
		}
		// Same result, byte by byte and with the smallest output buffer.
		format2, pcm2, err2 := readAllWith(iotest.OneByteReader(bytes.NewReader(data)), format.Channels)
		if format2 != format || !equalSamples(pcm, pcm2) || errText(err) != errText(err2) {
			t.Fatalf("split-dependent result: %v / %v", err, err2)
		}
		if format.Encoding == PCM16 && err == nil {
			var buf bytes.Buffer
			if werr := Write(&buf, PCM16, format.SampleRate, format.Channels, pcm); werr != nil {
				t.Fatalf("rewrite: %v", werr)
			}
			_, pcm3, rerr := ReadAll(&buf)
			if rerr != nil || !equalSamples(pcm, pcm3) {
				t.Fatalf("round trip changed the audio: %v", rerr)
			}
		}
	})
}

// readAllWith is ReadAll with a dst of n samples; it returns the format
// even if the audio ends with an error.
func readAllWith(r io.Reader, n int) (Format, []int16, error) {
	rd, err := NewReader(r)
	if err != nil {
		return Format{}, nil, err
	}
	var pcm []int16
	dst := make([]int16, n)
	for {
		k, err := rd.Read(dst)
		pcm = append(pcm, dst[:k]...)
		if err == io.EOF {
			return rd.Format(), pcm, nil
		}
		if err != nil {
			return rd.Format(), pcm, err
		}
	}
}

func equalSamples(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
