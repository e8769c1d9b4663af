package wavfile

// AllEncodings lists every encoding, for the external tests
// (crosscheck_test.go, which needs package testenv, itself a user of this
// package).
var AllEncodings = allEncodings
