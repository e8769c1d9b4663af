//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// fifoWait is how long decode waits for something to write to a named pipe
// given as input before reporting it and going on with the other inputs.
const fifoWait = 2 * time.Second

// openInput opens a file to decode. Opening a named pipe blocks until
// something writes to it; one that nothing writes to must not hang a batch
// (dtmf decode dir/*) forever, so a pipe gets fifoWait to find its writer.
func openInput(name string) (*os.File, error) {
	if st, err := os.Stat(name); err == nil && st.Mode()&os.ModeNamedPipe != 0 {
		return openFIFO(name, fifoWait)
	}
	return os.Open(name)
}

func openFIFO(name string, wait time.Duration) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(name)
		done <- opened{f, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.f, o.err
	case <-timer.C:
	}
	// Release the blocked open by being its writer for an instant: a
	// non-blocking open for writing succeeds once a reader is waiting.
	if w, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
	}
	if o := <-done; o.f != nil {
		o.f.Close()
	}
	return nil, fmt.Errorf("named pipe: nothing wrote to it within %v", wait)
}
