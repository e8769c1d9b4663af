package main

import (
	"flag"
	"io"
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/internal/wavfile"
)

// TestEveryConfigFieldHasAFlag: every field of detector.Config has exactly
// one flag in detectorFlagTable, decode defines it, its default is the
// field's default, and giving it changes that field and no other. A new
// Config field fails here until it has its line in the table.
func TestEveryConfigFieldHasAFlag(t *testing.T) {
	typ := reflect.TypeFor[detector.Config]()
	byField := map[string]string{}
	for _, e := range detectorFlagTable {
		_, dup := byField[e.field]
		assert.False(t, dup, "field %s has two flags", e.field)
		byField[e.field] = e.name
		_, ok := typ.FieldByName(e.field)
		assert.True(t, ok, "flag --%s names field %s, which detector.Config lacks", e.name, e.field)
	}
	fset := flag.NewFlagSet("x", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	d := addDetectorFlags(fset)
	def := reflect.ValueOf(detector.DefaultConfig())
	for i := range typ.NumField() {
		field := typ.Field(i)
		name, ok := byField[field.Name]
		if !assert.True(t, ok, "detector.Config.%s has no flag: add a line to detectorFlagTable", field.Name) {
			continue
		}
		f := fset.Lookup(name)
		require.NotNil(t, f, "--%s is defined", name)
		assert.Equal(t, reflect.ValueOf(detector.DefaultConfig()).Field(i).Interface(), f.Value.(*configFlag).value.Interface(), "--%s default", name)
		assert.NotEmpty(t, f.Usage, "--%s has help", name)

		// A valid value other than the default, within every field's range.
		// A float field tries a little below its default, then a little
		// above: one of them is in range.
		var args []string
		switch field.Type {
		case reflect.TypeFor[time.Duration]():
			args = []string{"40ms"}
		case reflect.TypeFor[int]():
			args = []string{"16000"}
		case reflect.TypeFor[float64]():
			x := def.Field(i).Float()
			args = []string{strconv.FormatFloat(x-0.05*math.Abs(x)-0.01, 'f', 4, 64), strconv.FormatFloat(x+0.05*math.Abs(x)+0.01, 'f', 4, 64)}
		default:
			t.Fatalf("field %s of type %v: configFlag.Set needs a case for it", field.Name, field.Type)
		}
		var cfg detector.Config
		var err error
		var arg string
		for _, arg = range args {
			for _, g := range d.fields {
				g.set = false
			}
			require.NoError(t, fset.Set(name, arg), "--%s %s", name, arg)
			if cfg, err = d.config(); err == nil {
				break
			}
		}
		require.NoError(t, err, "--%s %v", name, args)
		got := reflect.ValueOf(cfg)
		for j := range typ.NumField() {
			if j == i {
				assert.NotEqual(t, def.Field(j).Interface(), got.Field(j).Interface(), "--%s %s changes %s", name, arg, field.Name)
			} else {
				assert.Equal(t, def.Field(j).Interface(), got.Field(j).Interface(), "--%s changes only %s, not %s", name, field.Name, typ.Field(j).Name)
			}
		}
	}
	for _, g := range d.fields {
		g.set = false
	}
	for _, name := range detectorFlagNames() {
		assert.NotNil(t, fset.Lookup(name), name)
	}
}

// TestDecodeProfile: --profile selects a named profile, and a detector flag
// overrides it field by field. The sample's presses are at -12 to -7
// dBm0 and 84 to 120 ms: talkoff's 30 ms minimum keeps them all, and
// --min-tone 105ms on top of it keeps the 110, 118 and 120 ms ones.
func TestDecodeProfile(t *testing.T) {
	pcm := loadSample(t)
	f := writeWAV(t, t.TempDir(), "x.wav", wavfile.PCM16, 8000, 1, pcm)
	tr := loadTruth(t)
	for _, p := range profileNames() {
		code, out, errOut := decodeRun(t, nil, "--profile", p, f)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, tr.Digits, digitsOf(parseLines(t, out)), p)
	}
	code, out, errOut := decodeRun(t, nil, "--profile", "TalkOff", "--min-tone", "105ms", f)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "52#", digitsOf(parseLines(t, out)))

	fset := flag.NewFlagSet("x", flag.ContinueOnError)
	d := addDetectorFlags(fset)
	require.NoError(t, fset.Parse([]string{"--profile", "sensitive", "--max-residual", "-20"}))
	cfg, err := d.config()
	require.NoError(t, err)
	want := detector.Sensitive.Config()
	want.MaxResidual = -20
	assert.Equal(t, want, cfg, "the profile, then the flags given")
}
