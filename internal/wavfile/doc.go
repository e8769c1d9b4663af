// Package wavfile reads and writes RIFF/WAVE audio files as 16-bit linear
// samples, streaming through fixed-size buffers.
//
// # Reading
//
// [NewReader] parses the header of a WAV file from any [io.Reader] (a file,
// a pipe, stdin) and [Reader.Read] delivers its audio as interleaved int16
// frames. The reader decodes:
//
//   - PCM (format code 1): 8-bit unsigned, 16-, 24- and 32-bit signed;
//   - IEEE float (format code 3), 32-bit;
//   - G.711 µ-law (format code 7) and A-law (format code 6), 8-bit;
//   - WAVE_FORMAT_EXTENSIBLE (0xFFFE) whose sub-format GUID is one of the
//     above, with any valid-bits value up to the container size;
//
// at any sample rate from 1 Hz to [MaxSampleRate] and 1 to [MaxChannels]
// channels. Samples wider than 16 bits are rounded to the nearest 16-bit
// value (halves upward, as sox does); float samples are scaled by 32768,
// rounded the same way and saturated to the 16-bit range, and a NaN or infinite sample is an error ([ErrNonFinite])
// naming its frame and channel, never a silent zero. µ-law and A-law
// samples are expanded with the G.711 tables. Anything else — 12-bit or
// 64-bit samples, ADPCM, GSM, MP3, unknown codes or sub-formats — is
// rejected with [ErrUnsupported] naming the format.
//
// Chunks other than fmt and data (LIST, fact, cue, bext…) are skipped,
// including the pad byte that follows an odd-sized chunk. Nothing is ever
// allocated from a size read from the header: chunks are skipped and data
// read through one fixed buffer, so a hostile header cannot make the reader
// allocate more than a few kilobytes.
//
// # Damaged and unfinished recordings
//
// Recorders that are killed before they finish leave a data size of 0 or
// 0xFFFFFFFF in the header; like sox and ffmpeg, the reader then takes the
// data to run to the end of the input. The RIFF size is ignored for the same
// reason. A data chunk that declares more bytes than the input holds (a file
// cut short by a crash, a full disk or an interrupted copy) is decoded as
// far as it goes: [Reader.Read] delivers every complete frame and then
// reports [ErrTruncated] instead of [io.EOF], saying how many bytes were
// declared and how many were found, so that callers can use the audio and
// still tell the user that the file is incomplete. Input that ends inside a
// sample frame, or a declared data size that is not a whole number of
// frames, is reported the same way after the last complete frame.
//
// # Writing
//
// [Write] writes a complete file in one call; [Writer] writes a file of
// unknown length to an [io.WriteSeeker] and fills in the sizes on
// [Writer.Close]. Both take interleaved int16 samples and store them in any
// [Encoding].
package wavfile
