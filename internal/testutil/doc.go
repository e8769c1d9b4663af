// Package testutil is the module's shared test support: builders of RIFF/WAV
// bytes (well-formed or deliberately broken), seeded test samples, and the
// event contract's JSON Schema compiled from the repository's own copy
// (testdata/spec). Only tests import it. Missing tools and corpora are
// handled by package testenv, not here.
//
// It depends on the standard library and the JSON Schema validator only,
// so that any package's in-package tests can import it (package wavfile's
// included).
package testutil
