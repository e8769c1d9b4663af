//go:build tools

package deps

import (
	_ "github.com/go-audio/wav"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/stretchr/testify/assert"
	_ "golang.org/x/sys/cpu"
	_ "gonum.org/v1/gonum/dsp/fourier"
	_ "gonum.org/v1/plot"
)
