package detector

import (
	"fmt"
	"strings"
	"time"
)

// Profile names a documented set of thresholds for a kind of line. Media
// servers differ: an IVR behind music on hold wants talk-off first, a radio
// link or a noisy mobile line wants sensitivity. [DefaultConfig] is
// [Balanced]; [Profile.Config] returns a profile's config, whose fields may
// then be changed like any other.
type Profile uint8

const (
	// Balanced is the default: every standard receiver test passes, 99 % of
	// digits are found from 3 dB SNR in white noise and 97 % under speech
	// 6 dB below the tones, with about 0.5 false digits per hour of
	// recorded music or of speech on the project's talk-off corpus (see
	// the README's Results for the measured figures).
	Balanced Profile = iota
	// TalkOff favours rejecting speech and music over finding digits in
	// noise: the tones must hold 60 % of the energy, the residual and any
	// third tone must be 4 and 5 dB weaker than the defaults allow, a tone
	// already sounding before the onset 3 dB weaker, and tones must last
	// 30 ms. For IVRs that play music on hold or long prompts, where a
	// false digit sends the caller to the wrong menu.
	TalkOff
	// Sensitive favours finding digits in noise and under speech over
	// talk-off: the tones need hold only 35 % of the energy, the residual,
	// a third tone and a tone already sounding before the onset may be 4,
	// 3 and 4 dB stronger than the defaults allow, and the level floor is
	// -42 dBm0. For radio links, noisy mobile lines and recordings known
	// to hold digits.
	Sensitive
	numProfiles
)

var profileNames = [numProfiles]string{"balanced", "talkoff", "sensitive"}

// String returns "balanced", "talkoff" or "sensitive".
func (p Profile) String() string {
	if p < numProfiles {
		return profileNames[p]
	}
	return fmt.Sprintf("Profile(%d)", uint8(p))
}

// ParseProfile returns the profile of that name ("balanced" or "default",
// "talkoff", "sensitive"; any case), or an error wrapping [ErrConfig].
func ParseProfile(name string) (Profile, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "default" {
		return Balanced, nil
	}
	for i, s := range profileNames {
		if n == s {
			return Profile(i), nil
		}
	}
	return 0, fmt.Errorf("%w: profile %q: want one of %s", ErrConfig, name, strings.Join(profileNames[:], ", "))
}

// Config returns the profile's config at 8000 Hz; an unknown profile gives
// [DefaultConfig].
func (p Profile) Config() Config {
	c := DefaultConfig()
	switch p {
	case TalkOff:
		c.MinEnergyShare = 0.6
		c.MaxResidual = -16
		c.MaxThirdTone = -8
		c.MaxPriorTone = -11
		c.MinToneDuration = 30 * time.Millisecond
	case Sensitive:
		c.MinEnergyShare = 0.35
		c.MaxResidual = -8
		c.MaxThirdTone = 0
		c.MaxPriorTone = -4
		c.MinLevel = -42
	}
	return c
}
