package wavfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// Write a stereo µ-law file, then stream it back frame by frame.
func Example() {
	pcm := []int16{0, 1000, -1000, 2000, 8000, -8000} // 3 frames, L R L R L R
	var file bytes.Buffer
	if err := wavfile.Write(&file, wavfile.ULaw, 8000, 2, pcm); err != nil {
		fmt.Println(err)
		return
	}
	r, err := wavfile.NewReader(&file)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := r.Format()
	fmt.Println(f.Encoding, f.SampleRate, "Hz", f.Channels, "channels")
	frame := make([]int16, f.Channels)
	for {
		n, err := r.Read(frame)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(frame[:n])
	}
	// Output:
	// ulaw 8000 Hz 2 channels
	// [0 988]
	// [-988 1980]
	// [7932 -7932]
}

// A file cut short keeps its audio: the complete frames come first, then
// an error saying what is missing.
func ExampleReadAll_truncated() {
	var file bytes.Buffer
	_ = wavfile.Write(&file, wavfile.PCM16, 8000, 1, []int16{1, 2, 3, 4})
	cut := file.Bytes()[:file.Len()-3] // lose one and a half samples
	_, pcm, err := wavfile.ReadAll(bytes.NewReader(cut))
	fmt.Println(pcm)
	fmt.Println(err)
	fmt.Println(errors.Is(err, wavfile.ErrTruncated))
	// Output:
	// [1 2]
	// wavfile: truncated: data chunk declares 8 bytes, input ends after 5
	// true
}

// Record a stream of unknown length: frames are appended as they come and
// Close fills in the header's sizes.
func ExampleNewWriter() {
	f, err := os.CreateTemp("", "rec-*.wav")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	w, err := wavfile.NewWriter(f, wavfile.ALaw, 8000, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	frame := make([]int16, 160) // 20 ms
	for range 50 {              // one second
		if err := w.WritePCM(frame); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		fmt.Println(err)
		return
	}
	format, pcm, err := wavfile.ReadAll(f)
	fmt.Println(format.Encoding, format.SampleRate, len(pcm), err)
	// Output:
	// alaw 8000 8000 <nil>
}
