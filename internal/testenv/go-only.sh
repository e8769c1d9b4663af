#!/bin/bash
# Runs a command (default: go test ./...) in a fresh clone of the current repository as if
# the machine had Go alone: sox, espeak-ng, multimon-ng, ffmpeg, tshark, tcpdump,
# gst-launch-1.0 and the Asterisk sound files are hidden in a private mount namespace
# (needs root, as on these machines). DTMF_REQUIRE_TOOLS is unset.
#   internal/testenv/go-only.sh                 # go test ./...
#   internal/testenv/go-only.sh go run ./cmd/dtmf decode testdata/sample.wav
set -eu
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
git clone -q "$top" "$work/clone"
: > "$work/absent"; mkdir -p "$work/empty"
cmd=${*:-go test ./...}
cd "$work/clone"
set +e
env -u DTMF_REQUIRE_TOOLS unshare -m bash -c '
  for b in sox soxi play rec espeak-ng multimon-ng ffmpeg ffprobe tshark tcpdump gst-launch-1.0 fluidsynth; do
    p=$(command -v $b 2>/dev/null) && mount --bind "'"$work"'/absent" "$p"
  done
  [ -d /usr/share/asterisk ] && mount --bind "'"$work"'/empty" /usr/share/asterisk
  echo "(Go only: tools and the speech corpus hidden) $ '"$cmd"'"
  '"$cmd"
rc=$?
rm -rf "$work"
exit $rc
