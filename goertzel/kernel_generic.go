//go:build !amd64 || purego

package goertzel

// accumulate is the pure-Go kernel on this platform.
func accumulate(acc *[accWidth]float32, rows []float32, x []int16) {
	accumulateGeneric(acc, rows, x)
}

// transform computes one group's reduced sums of x into r.
func transform(r *[rowWidth]float32, rows []float32, x []int16) {
	transformGeneric(r, rows, x)
}

// transform8 is transform8Generic here.
func transform8(dst *[lanes]complex64, pow *[lanes]float32, rows []float32, x []int16, gate float32) (energy float32, ok bool) {
	return transform8Generic(dst, pow, rows, x, gate)
}

// kernelName names the kernel in use, for benchmarks and diagnostics.
func kernelName() string { return "generic" }
