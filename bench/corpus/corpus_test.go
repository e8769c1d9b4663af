package main

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendVLQ(t *testing.T) {
	for v, want := range map[int][]byte{
		0: {0}, 0x7f: {0x7f}, 0x80: {0x81, 0}, 0x3fff: {0xff, 0x7f}, 0x4000: {0x81, 0x80, 0}, 0x200000: {0x81, 0x80, 0x80, 0},
	} {
		assert.Equal(t, want, appendVLQ(nil, v), "%#x", v)
	}
}

func TestNearDTMFNotes(t *testing.T) {
	// The equal-tempered notes of issue 8's failures: A♯5 + E6 ≈ 0,
	// F5 + E6 ≈ 2, G5 + D6 ≈ 4.
	assert.Equal(t, []int{77}, nearDTMFNotes(697)) // F5 698.5 Hz
	assert.Equal(t, []int{79}, nearDTMFNotes(770)) // G5 784.0 Hz
	assert.Equal(t, []int{82}, nearDTMFNotes(941)) // A♯5 932.3 Hz
	assert.Equal(t, []int{86, 87}, nearDTMFNotes(1209))
	assert.Equal(t, []int{88}, nearDTMFNotes(1336)) // E6 1318.5 Hz
	for _, f := range append(dtmfLow[:], dtmfHigh[:]...) {
		assert.NotEmpty(t, nearDTMFNotes(f), "every DTMF tone has a note within 3.5 %%: %v Hz", f)
	}
}

// midiNotes walks a format-0 file written by smf and returns the number of
// note-ons and note-offs, failing on anything malformed.
func midiNotes(t *testing.T, b []byte) (ons, offs, lastMS int) {
	t.Helper()
	require.True(t, bytes.HasPrefix(b, []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xf4MTrk")))
	n := int(binary.BigEndian.Uint32(b[18:22]))
	trk := b[22:]
	require.Len(t, trk, n)
	ms := 0
	for i := 0; i < len(trk); {
		d := 0
		for {
			c := trk[i]
			i++
			d = d<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		ms += d
		switch st := trk[i]; st & 0xf0 {
		case 0x90:
			ons++
			require.NotZero(t, trk[i+2], "note-on velocity")
			i += 3
		case 0x80:
			offs++
			i += 3
		case 0xb0, 0xe0:
			i += 3
		case 0xc0:
			i += 2
		case 0xf0:
			require.Equal(t, byte(0xff), st)
			if trk[i+1] == 0x2f {
				require.Equal(t, len(trk), i+3, "end of track is last")
				return ons, offs, ms
			}
			i += 3 + int(trk[i+2])
		default:
			t.Fatalf("status %#x at %d", st, i)
		}
	}
	t.Fatal("no end of track")
	return
}

func TestComposePiece(t *testing.T) {
	in := instrument{"flute", 73}
	a, secs := composePiece(in, 1, 120)
	again, secs2 := composePiece(in, 1, 120)
	assert.Equal(t, a, again, "same seed, same file")
	assert.Equal(t, secs, secs2)
	other, _ := composePiece(in, 2, 120)
	assert.NotEqual(t, a, other)
	require.GreaterOrEqual(t, len(secs), 3)
	assert.Equal(t, []string{SectionPlain, SectionDyads, SectionContext}, []string{secs[0].Kind, secs[1].Kind, secs[2].Kind})
	for i, s := range secs {
		assert.Less(t, s.StartMS, s.EndMS)
		if i > 0 {
			assert.Equal(t, secs[i-1].EndMS, s.StartMS, "sections tile the piece")
		}
	}
	ons, offs, ms := midiNotes(t, a)
	assert.Equal(t, ons, offs, "every note ends")
	assert.Greater(t, ons, 100)
	assert.InDelta(t, 120000, ms, 45000, "about the length asked for")
}

func TestCleanMessage(t *testing.T) {
	for in, want := range map[string]string{
		"Try '%s --help' for more information.":    "Try for more information.",
		"write error: No space left on device\n":   "write error: No space left on device.",
		"invalid number of bytes: %s":              "invalid number of bytes:",
		"  -a, --all    do not ignore entries":     "do not ignore entries.",
		"Le fichier « %s » n'a pas pu être ouvert": "Le fichier n'a pas pu être ouvert.",
		"%d of %d": "",
	} {
		assert.Equal(t, want, cleanMessage(in), "%q", in)
	}
}

func TestPOStrings(t *testing.T) {
	po := []byte("msgid \"\"\nmsgstr \"header\"\n\nmsgid \"one\"\nmsgstr \"\"\n\"eins \"\n\"zwei\"\n\nmsgid \"x\"\nmsgstr \"y\\n\"\n")
	assert.Equal(t, []string{"header", "eins zwei", "y\n"}, poStrings(po, false))
	assert.Equal(t, []string{"one", "x"}, poStrings(po, true))
}
