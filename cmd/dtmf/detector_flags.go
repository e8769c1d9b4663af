package main

import (
	"flag"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dtmfkit/dtmf/detector"
)

// detectorFlagTable gives every [detector.Config] field its command-line
// flag: the flag's name, the field's name and the help text (unit and
// range, as the field's doc gives them). SampleRate is --rate, which only
// raw input needs (a WAV header gives the rate). TestEveryConfigFieldHasAFlag
// fails when a field has no entry, so a new Config field is one line here.
var detectorFlagTable = []struct {
	name, field, usage string
}{
	{"rate", "SampleRate", "sample rate [Hz] of raw stdin, 8000 to 48000 (a WAV file's header gives its own)"},
	{"min-level", "MinLevel", "weakest accepted tone [dBm0], -50 to 0"},
	{"twist", "MaxNormalTwist", "how much weaker [dB] the high tone may be than the low, 0 to 20"},
	{"reverse-twist", "MaxReverseTwist", "how much stronger [dB] the high tone may be than the low, 0 to 20"},
	{"freq-tolerance", "FrequencyTolerance", "largest accepted frequency deviation [% of nominal], 1.5 to 5"},
	{"min-relative-peak", "MinRelativePeak", "how far [dB] each group's strongest tone must stand above its other three, 0 to 12"},
	{"min-energy-share", "MinEnergyShare", "least share of the signal's energy the two tones must hold, 0.1 to 0.95 (lower finds digits in more noise, admits more talk-off)"},
	{"max-second-harmonic", "MaxSecondHarmonic", "strongest a tone's second harmonic may be relative to it [dB], -15 to 0"},
	{"max-residual", "MaxResidual", "most left between 600 and 1500 Hz once the tones are taken out, relative to the weaker tone [dB per 100 Hz], -30 to 0"},
	{"max-third-tone", "MaxThirdTone", "strongest other component 600-2400 Hz may be, relative to the weaker tone [dB], -20 to 6"},
	{"max-prior-tone", "MaxPriorTone", "strongest either tone may already have sounded just before the onset, relative to its level in the key [dB], -30 to 0"},
	{"min-tone", "MinToneDuration", "shortest tone accepted as a key press, 10ms to 1s"},
	{"min-pause", "MinPause", "shortest gap that separates two presses, 5ms to 500ms (shorter ones are bridged)"},
}

// detectorFlags are the detector's flags of one FlagSet: --profile and one
// flag per [detector.Config] field. A command (decode, gateway, ...) calls
// [addDetectorFlags] before parsing and [detectorFlags.config] after.
type detectorFlags struct {
	profile string
	fields  []*configFlag
}

// configFlag is the flag of one Config field: a [flag.Value] that parses
// the field's type (float64, int or time.Duration) and remembers whether it
// was given, so that only the given ones override the profile.
type configFlag struct {
	name, field string
	kind        reflect.Type
	value       reflect.Value // the parsed value, of type kind
	set         bool
}

// typeName names the flag's argument in -h.
func (f *configFlag) typeName() string {
	switch f.kind {
	case reflect.TypeFor[time.Duration]():
		return "duration"
	case reflect.TypeFor[int]():
		return "int"
	}
	return "number"
}

func (f *configFlag) String() string {
	if f == nil || !f.value.IsValid() {
		return ""
	}
	return fmt.Sprint(f.value.Interface())
}

func (f *configFlag) Set(s string) error {
	var v any
	switch f.kind {
	case reflect.TypeFor[time.Duration]():
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("want a duration such as 30ms")
		}
		v = d
	case reflect.TypeFor[float64]():
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("want a number")
		}
		v = x
	case reflect.TypeFor[int]():
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		v = n
	default:
		return fmt.Errorf("field %s of type %v has no parser", f.field, f.kind)
	}
	f.value, f.set = reflect.ValueOf(v), true
	return nil
}

// profileNames lists the detector's named profiles, as
// [detector.ParseProfile] takes them.
func profileNames() []string {
	var names []string
	for p := detector.Profile(0); !strings.HasPrefix(p.String(), "Profile("); p++ {
		names = append(names, p.String())
	}
	return names
}

// addDetectorFlags defines --profile and the flags of detectorFlagTable on
// fset, their defaults those of [detector.DefaultConfig], but for the
// flags named in omit (a command whose inputs give the rate omits "rate";
// its field then keeps the profile's value). It panics if the table names
// a field Config does not have or one of a type it cannot parse: a
// programming error that every test of the command catches.
func addDetectorFlags(fset *flag.FlagSet, omit ...string) *detectorFlags {
	d := &detectorFlags{}
	fset.StringVar(&d.profile, "profile", detector.Balanced.String(),
		"start from this named set of thresholds: "+strings.Join(profileNames(), ", ")+
			" (see go doc detector.Profile); each detector flag given overrides its threshold")
	def := reflect.ValueOf(detector.DefaultConfig())
	for _, e := range detectorFlagTable {
		if slices.Contains(omit, e.name) {
			continue
		}
		fv := def.FieldByName(e.field)
		if !fv.IsValid() {
			panic("detectorFlagTable: detector.Config has no field " + e.field)
		}
		f := &configFlag{name: e.name, field: e.field, kind: fv.Type(), value: fv}
		if err := f.Set(f.String()); err != nil {
			panic("detectorFlagTable: " + err.Error())
		}
		f.set = false
		fset.Var(f, e.name, e.usage)
		d.fields = append(d.fields, f)
	}
	return d
}

// config returns the detector config the flags give: the profile's, with
// each flag given overriding its field, validated. An error names the flag
// (--min-energy-share 2: want a value in [0.1, 0.95]), not the Go field.
func (d *detectorFlags) config() (detector.Config, error) {
	cfg := detector.DefaultConfig()
	p, perr := detector.ParseProfile(d.profile)
	if perr == nil {
		cfg = p.Config()
	}
	v := reflect.ValueOf(&cfg).Elem()
	for _, f := range d.fields {
		if f.set {
			v.FieldByName(f.field).Set(f.value)
		}
	}
	if perr != nil { // cfg still holds the flags' values, for the caller's other checks
		return cfg, fmt.Errorf("--profile %q: want %s", d.profile, strings.Join(profileNames(), ", "))
	}
	if err := cfg.Validate(); err != nil {
		msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), detector.ErrConfig.Error()+": "), " :", ":")
		for _, f := range d.fields {
			if rest, ok := strings.CutPrefix(msg, f.field+" "); ok {
				return cfg, fmt.Errorf("--%s %s", f.name, rest)
			}
		}
		return cfg, fmt.Errorf("invalid detector setting: %s", msg)
	}
	return cfg, nil
}

// given reports whether the flag of Config field field was on the command
// line.
func (d *detectorFlags) given(field string) bool {
	for _, f := range d.fields {
		if f.field == field {
			return f.set
		}
	}
	return false
}
