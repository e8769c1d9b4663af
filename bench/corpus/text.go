package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// charsPerSecond is about how fast the TTS voices speak, used to size the
// text of a segment.
const charsPerSecond = 14

// localeDir holds the gettext catalogues (.mo) of the installed packages:
// translated messages in many languages, the text the TTS voices read.
const localeDir = "/usr/share/locale"

var (
	textMu    sync.Mutex
	textCache = map[string][]string{}
)

// textSegments returns n segments of about chars characters each of
// natural-language text in lang, taken from the messages of the gettext
// catalogues in localeDir/lang (for "en": their English msgids), cleaned of
// format directives, options and markup. It fails when the machine has too
// little text in that language.
func textSegments(lang string, n, chars int) ([]string, error) {
	textMu.Lock()
	defer textMu.Unlock()
	msgs, ok := textCache[lang]
	if !ok {
		var err error
		if msgs, err = catalogueText(lang); err != nil {
			return nil, err
		}
		textCache[lang] = msgs
	}
	var segs []string
	var b strings.Builder
	for _, m := range msgs {
		if len(segs) == n {
			break
		}
		b.WriteString(m)
		b.WriteByte(' ')
		if b.Len() >= chars {
			segs = append(segs, strings.TrimSpace(b.String()))
			b.Reset()
		}
	}
	if len(segs) < n {
		return nil, fmt.Errorf("only %d of %d text segments of %d characters in %s catalogues under %s", len(segs), n, chars, lang, localeDir)
	}
	return segs, nil
}

// catalogues in the order they are read: coreutils' messages are full
// sentences; the others add variety.
var preferredCatalogues = []string{"coreutils.mo", "tar.mo", "grep.mo", "sed.mo", "findutils.mo", "diffutils.mo", "bash.mo", "apt.mo", "dpkg.mo", "glib20.mo", "gtk20.mo"}

func catalogueText(lang string) ([]string, error) {
	src := lang
	if lang == "en" {
		src = "de" // English msgids of a complete catalogue set
	}
	dir := filepath.Join(localeDir, src, "LC_MESSAGES")
	var mos []string
	for _, name := range preferredCatalogues {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			mos = append(mos, filepath.Join(dir, name))
		}
	}
	if len(mos) == 0 {
		return nil, fmt.Errorf("no gettext catalogue for %s in %s", src, dir)
	}
	seen := map[string]bool{}
	var out []string
	for _, mo := range mos {
		po, err := output(context.Background(), "msgunfmt", "--no-wrap", mo)
		if err != nil {
			return nil, err
		}
		for _, m := range poStrings(po, lang == "en") {
			if t := cleanMessage(m); t != "" && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// poStrings returns the msgstr (or msgid) strings of a PO file.
func poStrings(po []byte, ids bool) []string {
	want := "msgstr "
	if ids {
		want = "msgid "
	}
	var out []string
	var cur strings.Builder
	in := false
	sc := bufio.NewScanner(bytes.NewReader(po))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, want):
			in = true
			cur.Reset()
			line = strings.TrimPrefix(line, want)
		case in && strings.HasPrefix(line, `"`):
		default:
			if in && cur.Len() > 0 {
				out = append(out, cur.String())
			}
			in = false
			continue
		}
		if s, err := strconv.Unquote(line); err == nil {
			cur.WriteString(s)
		}
	}
	if in && cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// cleanMessage turns a catalogue message into speakable text, or "".
func cleanMessage(m string) string {
	m = strings.NewReplacer("\n", " ", "\t", " ", "&", "", "_", " ").Replace(m)
	var words []string
	for _, w := range strings.Fields(m) {
		if strings.ContainsAny(w, `%\/<>{}[]|=@$#*~^`+"`") || strings.HasPrefix(w, "-") || strings.ContainsFunc(w, unicode.IsDigit) {
			continue
		}
		w = strings.Trim(w, `"'«»„“”‘’()`)
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) < 4 {
		return ""
	}
	t := strings.Join(words, " ")
	letters := 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters*10 < len([]rune(t))*7 {
		return ""
	}
	if r := []rune(t); !slices.Contains([]rune(".!?:;"), r[len(r)-1]) {
		t += "."
	}
	return t
}

// seedOf derives a generator seed from a name.
func seedOf(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}
