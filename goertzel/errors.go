package goertzel

import "errors"

var (
	// ErrFrequency reports a target frequency that is not strictly between 0
	// and half the sample rate, or is NaN or infinite.
	ErrFrequency = errors.New("goertzel: invalid frequency")
	// ErrSampleRate reports a sample rate that is not a positive finite number.
	ErrSampleRate = errors.New("goertzel: invalid sample rate")
	// ErrBlockSize reports a block size outside [1, MaxBlockSize], or a block
	// longer than the bank's block size.
	ErrBlockSize = errors.New("goertzel: invalid block size")
	// ErrFrequencyCount reports a bank with no frequencies or more than
	// MaxFrequencies.
	ErrFrequencyCount = errors.New("goertzel: invalid number of frequencies")
)
