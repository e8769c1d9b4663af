package wavfile

// DataRead returns how many bytes of the data chunk the reader has taken
// from its input so far, delivered or still buffered. A caller that counts
// the bytes it hands the reader finds the data chunk's first byte at
// (count − DataRead), and so the bytes of any frame: dtmf mask patches a
// copy of the input in place that way.
func (r *Reader) DataRead() int64 { return r.read }

// AppendSamples appends pcm coded as enc, exactly as [Write] stores
// samples, to b and returns the extended slice. An invalid enc appends
// nothing.
func AppendSamples(b []byte, enc Encoding, pcm []int16) []byte {
	return appendSamples(b, enc, pcm)
}
