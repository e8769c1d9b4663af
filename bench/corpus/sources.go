package main

import "github.com/dtmfkit/dtmf/internal/talkoff"

// A source is the unit of the split: a package or album, a language and
// voice, a MIDI instrument family. About one source in three of each kind is
// held out, chosen by this table before anything was measured on it: the
// detector is judged on material it was never tuned on.
type source struct {
	id       string
	kind     string // talkoff.KindMusic or KindSpeech
	genre    string // music
	language string // speech, BCP 47
	voice    string
	packages []string
	licence  string
	heldOut  bool
	make     producer
}

// Producers: how a source becomes items.
type producer interface {
	plan(s *source, c *config) ([]item, error)
}

const (
	gplv2          = "GPL-2+"
	ccbysa3        = "CC-BY-SA-3.0"
	asteriskSounds = "CC-BY-SA-3.0 (Asterisk core sounds, Digium)"
)

// sources is the whole corpus. Music files are decoded from the packages
// as shipped; tracker modules are played by ffmpeg's libopenmpt; MIDI is
// rendered by fluidsynth with fluid-soundfont-gm (MIT), reverb and chorus on.
func sources() []source {
	m := talkoff.KindMusic
	sp := talkoff.KindSpeech
	return []source{
		// Recorded music.
		{id: "wesnoth-1.16-music", kind: m, genre: "orchestral", packages: []string{"wesnoth-1.16-music"}, licence: gplv2,
			make: files{dirs: []string{"/usr/share/games/wesnoth/1.16/data/core/music"}, exts: []string{".ogg"}}},
		{id: "ufoai-music", kind: m, genre: "orchestral", packages: []string{"ufoai-music"}, licence: "GPL-2+, CC-BY-3.0, CC-BY-SA-3.0 or public domain (per track, see its copyright file)", heldOut: true,
			make: files{zip: "/usr/share/games/ufoai/base/0music.pk3", exts: []string{".ogg"}}},
		{id: "nexuiz-music", kind: m, genre: "rock-pop", packages: []string{"nexuiz-music"}, licence: gplv2,
			make: files{zip: "/usr/share/games/nexuiz/data/music.pk3", exts: []string{".ogg"}}},
		{id: "warzone2100-music", kind: m, genre: "rock-pop", packages: []string{"warzone2100-music"}, licence: gplv2, heldOut: true,
			make: files{dirs: []string{"/usr/share/games/warzone2100/music"}, exts: []string{".opus"}}},
		{id: "asc-music", kind: m, genre: "rock-pop", packages: []string{"asc-music"}, licence: gplv2,
			make: files{dirs: []string{"/usr/share/games/asc/music"}, exts: []string{".mp3", ".ogg"}}},
		{id: "singularity-music", kind: m, genre: "electronic", packages: []string{"singularity-music"}, licence: ccbysa3,
			make: files{dirs: []string{"/usr/share/games/singularity/music"}, exts: []string{".ogg"}}},
		{id: "hyperrogue-music", kind: m, genre: "electronic", packages: []string{"hyperrogue-music"}, licence: "CC-BY-SA-3.0 / CC-BY-SA-4.0 (per track)", heldOut: true,
			make: files{dirs: []string{"/usr/share/hyperrogue/music"}, exts: []string{".ogg"}}},
		{id: "drascula-music", kind: m, genre: "game-score", packages: []string{"drascula-music"}, licence: "Drascula licence (BSD-like, DFSG-free)",
			make: files{dirs: []string{"/usr/share/scummvm/drascula/audio"}, exts: []string{".ogg"}}},

		// Tracker modules.
		{id: "tecnoballz-data", kind: m, genre: "tracker", packages: []string{"tecnoballz-data"}, licence: "GPL-3+",
			make: files{dirs: []string{"/usr/share/games/tecnoballz/musics"}, exts: []string{".mod"}, perFileCap: 360}},
		{id: "pingus-data", kind: m, genre: "tracker", packages: []string{"pingus-data"}, licence: gplv2, heldOut: true,
			make: files{dirs: []string{"/usr/share/games/pingus/data/music"}, exts: []string{".it", ".s3m", ".xm", ".mod"}, perFileCap: 360}},
		{id: "bomberclone-data", kind: m, genre: "tracker", packages: []string{"bomberclone-data"}, licence: "GPL-2",
			make: files{dirs: []string{"/usr/share/games/bomberclone/music"}, exts: []string{".xm", ".mod"}, perFileCap: 360}},
		{id: "biniax2-data", kind: m, genre: "tracker", packages: []string{"biniax2-data"}, licence: "zlib",
			make: files{dirs: []string{"/usr/share/games/biniax2/music"}, exts: []string{".it"}, perFileCap: 360}},
		{id: "njam-data+fb-music-high", kind: m, genre: "tracker", packages: []string{"njam-data", "fb-music-high"}, licence: gplv2, heldOut: true,
			make: files{dirs: []string{"/usr/share/games/njam/data", "/usr/share/games/frozen-bubble/snd"}, exts: []string{".xm", ".s3m"}, perFileCap: 360}},

		// MIDI files shipped by Debian, rendered with the GM soundfont.
		{id: "openttd-openmsx", kind: m, genre: "midi-game", packages: []string{"openttd-openmsx", "fluid-soundfont-gm"}, licence: "GPL-2",
			make: files{dirs: []string{"/usr/share/games/openttd/baseset/openmsx"}, exts: []string{".mid"}, midi: true, perFileCap: 360}},
		{id: "planetblupi-music-midi", kind: m, genre: "midi-game", packages: []string{"planetblupi-music-midi", "fluid-soundfont-gm"}, licence: "GPL-3+", heldOut: true,
			make: files{dirs: []string{"/usr/share/planetblupi/music"}, exts: []string{".mid"}, midi: true, perFileCap: 360}},

		// MIDI generated here (midi.go): solo instruments close to pure
		// tones, plain music and chords near DTMF pairs. One source per
		// instrument family.
		{id: "midi-pipe", kind: m, genre: "midi-solo", packages: []string{"fluidsynth", "fluid-soundfont-gm"}, licence: "generated; soundfont MIT",
			make: generated{family: "pipe"}},
		{id: "midi-mallet-keys", kind: m, genre: "midi-solo", packages: []string{"fluidsynth", "fluid-soundfont-gm"}, licence: "generated; soundfont MIT", heldOut: true,
			make: generated{family: "mallet-keys"}},
		{id: "midi-organ", kind: m, genre: "midi-solo", packages: []string{"fluidsynth", "fluid-soundfont-gm"}, licence: "generated; soundfont MIT",
			make: generated{family: "organ"}},
		{id: "midi-voice", kind: m, genre: "midi-solo", packages: []string{"fluidsynth", "fluid-soundfont-gm"}, licence: "generated; soundfont MIT", heldOut: true,
			make: generated{family: "voice"}},
		{id: "midi-orchestral-solo", kind: m, genre: "midi-solo", packages: []string{"fluidsynth", "fluid-soundfont-gm"}, licence: "generated; soundfont MIT",
			make: generated{family: "orchestral-solo"}},
		{id: "midi-synth", kind: m, genre: "midi-solo", packages: []string{"fluidsynth", "fluid-soundfont-gm"}, licence: "generated; soundfont MIT",
			make: generated{family: "synth"}},

		// Recorded IVR prompts.
		{id: "asterisk-en_US_f_Allison", kind: sp, language: "en-US", voice: "Allison (f)", packages: []string{"asterisk-core-sounds-en-wav"}, licence: asteriskSounds,
			make: prompts{dir: "/usr/share/asterisk/sounds/en_US_f_Allison"}},
		{id: "asterisk-es_MX_f_Allison", kind: sp, language: "es-MX", voice: "Allison (f)", packages: []string{"asterisk-core-sounds-es-wav"}, licence: asteriskSounds,
			make: prompts{dir: "/usr/share/asterisk/sounds/es_MX_f_Allison"}},
		{id: "asterisk-fr_CA_f_June", kind: sp, language: "fr-CA", voice: "June (f)", packages: []string{"asterisk-core-sounds-fr-wav"}, licence: asteriskSounds, heldOut: true,
			make: prompts{dir: "/usr/share/asterisk/sounds/fr_CA_f_June"}},
		{id: "asterisk-it_IT_f_Menardi", kind: sp, language: "it-IT", voice: "Menardi (f)", packages: []string{"asterisk-core-sounds-it-wav", "asterisk-prompt-it-menardi-wav"}, licence: "CC-BY-SA-3.0",
			make: prompts{dir: "/usr/share/asterisk/sounds/it_IT_f_Menardi"}},
		{id: "asterisk-it_IT_m_Carlo", kind: sp, language: "it-IT", voice: "Carlo (m)", packages: []string{"asterisk-core-sounds-it-wav"}, licence: asteriskSounds, heldOut: true,
			make: prompts{dir: "/usr/share/asterisk/sounds/it_IT_m_Carlo"}},
		{id: "asterisk-ru_RU_f_IvrvoiceRU", kind: sp, language: "ru-RU", voice: "IvrvoiceRU (f)", packages: []string{"asterisk-core-sounds-ru-wav"}, licence: asteriskSounds,
			make: prompts{dir: "/usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU"}},
		{id: "asterisk-prompt-es-co", kind: sp, language: "es-CO", voice: "es-co (f, GSM 06.10 as shipped)", packages: []string{"asterisk-prompt-es-co"}, licence: "GPL-2+", heldOut: true,
			make: prompts{dir: "/usr/share/asterisk/sounds/es", gsm: true}},
		{id: "asterisk-prompt-fr-armelle", kind: sp, language: "fr-FR", voice: "Armelle (f, GSM 06.10 as shipped)", packages: []string{"asterisk-prompt-fr-armelle"}, licence: "GPL-2+",
			make: prompts{dir: "/usr/share/asterisk/sounds/fr", gsm: true}},

		// Festival voices, text from the machine's gettext catalogues.
		{id: "festival-kal_diphone", kind: sp, language: "en-US", voice: "kal (m)", packages: []string{"festival", "festvox-kallpc16k"}, licence: "festvox: free (see copyright)",
			make: festival{voice: "kal_diphone", lang: "en"}},
		{id: "festival-ked_diphone", kind: sp, language: "en-US", voice: "ked (m)", packages: []string{"festival", "festvox-kdlpc16k"}, licence: "festvox: free (see copyright)", heldOut: true,
			make: festival{voice: "ked_diphone", lang: "en"}},
		{id: "festival-cmu_us_slt_arctic_hts", kind: sp, language: "en-US", voice: "slt (f)", packages: []string{"festival", "festvox-us-slt-hts"}, licence: "festvox/CMU ARCTIC: free (see copyright)",
			make: festival{voice: "cmu_us_slt_arctic_hts", lang: "en"}},
		{id: "festival-lp_diphone", kind: sp, language: "it-IT", voice: "lp (f)", packages: []string{"festival", "festvox-italp16k"}, licence: "festvox-it: free (see copyright)",
			make: festival{voice: "lp_diphone", lang: "it", charset: "ISO-8859-15"}},
		{id: "festival-pc_diphone", kind: sp, language: "it-IT", voice: "pc (m)", packages: []string{"festival", "festvox-itapc16k"}, licence: "festvox-it: free (see copyright)", heldOut: true,
			make: festival{voice: "pc_diphone", lang: "it", charset: "ISO-8859-15"}},
		{id: "festival-msu_ru_nsh_clunits", kind: sp, language: "ru-RU", voice: "nsh (m)", packages: []string{"festival", "festvox-ru"}, licence: "festvox-ru: free (see copyright)",
			make: festival{voice: "msu_ru_nsh_clunits", lang: "ru"}},
		{id: "festival-czech_dita", kind: sp, language: "cs-CZ", voice: "dita (f)", packages: []string{"festival", "festvox-czech-dita"}, licence: "festvox-czech: free (see copyright)",
			make: festival{voice: "czech_dita", lang: "cs", charset: "ISO-8859-2"}},
		{id: "festival-upc_ca_ona_hts", kind: sp, language: "ca-ES", voice: "ona (f)", packages: []string{"festival", "festvox-ca-ona-hts"}, licence: "festvox-ca: free (see copyright)", heldOut: true,
			make: festival{voice: "upc_ca_ona_hts", lang: "ca", charset: "ISO-8859-15"}},
		{id: "festival-suo_fi_lj_diphone", kind: sp, language: "fi-FI", voice: "lj (m)", packages: []string{"festival", "festvox-suopuhe-lj"}, licence: "festvox-suopuhe: free (see copyright)",
			make: festival{voice: "suo_fi_lj_diphone", lang: "fi", charset: "ISO-8859-15"}},
	}
}

// espeakLanguages: one source per language; every third held out.
var espeakLanguages = []struct{ voice, lang, bcp string }{
	{"en-us", "en", "en-US"}, {"de", "de", "de-DE"}, {"fr-fr", "fr", "fr-FR"},
	{"es", "es", "es-ES"}, {"it", "it", "it-IT"}, {"pt", "pt", "pt-PT"},
	{"nl", "nl", "nl-NL"}, {"pl", "pl", "pl-PL"}, {"cs", "cs", "cs-CZ"},
	{"ru", "ru", "ru-RU"}, {"sv", "sv", "sv-SE"}, {"fi", "fi", "fi-FI"},
	{"hu", "hu", "hu-HU"}, {"tr", "tr", "tr-TR"}, {"el", "el", "el-GR"},
	{"ro", "ro", "ro-RO"}, {"uk", "uk", "uk-UA"}, {"vi", "vi", "vi-VN"},
}

func espeakSources() []source {
	var out []source
	for i, l := range espeakLanguages {
		out = append(out, source{
			id: "espeak-ng-" + l.voice, kind: talkoff.KindSpeech, language: l.bcp, voice: "espeak-ng " + l.voice,
			packages: []string{"espeak-ng", "espeak-ng-data"}, licence: "generated (espeak-ng GPL-3+); text from gettext catalogues",
			heldOut: i%3 == 2, make: espeak{voice: l.voice, lang: l.lang},
		})
	}
	return out
}
