#!/bin/bash
# build.sh [flags]: builds the talk-off corpus of issue 8 from Debian
# packages: real recorded music (orchestral, rock/pop, electronic, game
# scores), tracker modules, MIDI files and generated MIDI pieces rendered
# with fluidsynth, and speech (Asterisk IVR prompts in six languages,
# espeak-ng in 18 languages at several pitches, festival voices), each at
# -15 and -25 dBm0 and through AMR-NB 12.2 and Opus 12 kbit/s.
#
# The audio goes to ${DTMF_CORPUS:-$HOME/.cache/dtmf-corpus} (or -out DIR),
# never into the repository, with manifest.json listing every file. Items
# already built are skipped: run it again to resume. Flags are those of
# `go run ./bench/corpus -h` (-j, -cap, -only, -list, ...).
#
# Run as root on Debian 12 to install the packages; otherwise it prints the
# apt-get command for the missing ones and stops.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

packages=(
    # tools
    ffmpeg sox libsox-fmt-all libopencore-amrnb0 fluidsynth fluid-soundfont-gm
    espeak-ng festival gettext unzip libc-bin golang-go
    # recorded music
    wesnoth-1.16-music ufoai-music nexuiz-music warzone2100-music asc-music
    singularity-music hyperrogue-music drascula-music
    # tracker modules and MIDI files
    tecnoballz-data pingus-data bomberclone-data biniax2-data njam-data fb-music-high
    openttd-openmsx planetblupi-music-midi
    # speech
    asterisk-core-sounds-en-wav asterisk-core-sounds-es-wav asterisk-core-sounds-fr-wav
    asterisk-core-sounds-it-wav asterisk-core-sounds-ru-wav asterisk-prompt-it-menardi-wav
    asterisk-prompt-es-co asterisk-prompt-fr-armelle
    festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts festvox-italp16k festvox-itapc16k
    festvox-ru festvox-czech-dita festvox-ca-ona-hts festvox-suopuhe-lj
)

missing=()
for p in "${packages[@]}"; do
    [ "$p" = golang-go ] && command -v go >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "build.sh: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "build.sh: missing Debian packages; run as root:" >&2
        echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
        exit 2
    fi
fi
cd "$repo"
exec go run ./bench/corpus "$@"
