#!/bin/bash
# make_long.sh [OUT.raw] [SECONDS]: writes the throughput test file, raw
# s16le 8000 Hz mono, exactly SECONDS long (default 3600): every prompt of
# Debian's asterisk-core-sounds-en-wav (en_US_f_Allison, all *.wav in byte
# order of their paths, about 25 minutes) with a burst of the 16 keys
# "1234567890*#ABCD" (80 ms tone, 80 ms pause, each tone -10 dBFS peak,
# 100 ms of silence before the burst) after every 20th prompt, repeated and
# cut to length. Deterministic: the same packages give the same bytes.
# Default OUT: ${DTMF_PEERS_BIN:-$HOME/.cache/dtmf-peers}/long_1h_8k.raw
set -euo pipefail
out=${1:-${DTMF_PEERS_BIN:-$HOME/.cache/dtmf-peers}/long_1h_8k.raw}
seconds=${2:-3600}
prompts=/usr/share/asterisk/sounds/en_US_f_Allison
keys='1234567890*#ABCD'
if [ ! -d "$prompts" ]; then echo "make_long.sh: apt-get install asterisk-core-sounds-en-wav" >&2; exit 2; fi
command -v sox >/dev/null || { echo "make_long.sh: apt-get install sox" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
raw=(-t raw -e signed -b 16 -L -c 1 -r 8000)
amp=0.316228 # -10 dBFS peak per tone

tone() { # key -> low high [Hz]
    local row col
    case $1 in 1|2|3|A) row=697;; 4|5|6|B) row=770;; 7|8|9|C) row=852;; *) row=941;; esac
    case $1 in 1|4|7|'*') col=1209;; 2|5|8|0) col=1336;; 3|6|9|'#') col=1477;; *) col=1633;; esac
    echo "$row $col"
}

sox -D -n "${raw[@]}" "$work/burst.raw" trim 0 0.1
for ((k = 0; k < ${#keys}; k++)); do
    read -r lo hi < <(tone "${keys:k:1}")
    sox -D -n "${raw[@]}" - synth 0.08 sine "$lo" sine "$hi" remix "1v$amp,2v$amp" pad 0 0.08 >> "$work/burst.raw"
done

: > "$work/pass.raw"
n=0
while IFS= read -r -d '' f; do
    sox -D -V1 "$f" "${raw[@]}" - >> "$work/pass.raw"
    n=$((n + 1))
    if ((n % 20 == 0)); then cat "$work/burst.raw" >> "$work/pass.raw"; fi
done < <(find "$prompts" -type f -name '*.wav' -print0 | LC_ALL=C sort -z)

bytes=$((seconds * 16000))
pass=$(stat -c %s "$work/pass.raw")
mkdir -p "$(dirname "$out")"
: > "$out.tmp"
while [ "$(stat -c %s "$out.tmp")" -lt "$bytes" ]; do cat "$work/pass.raw" >> "$out.tmp"; done
truncate -s "$bytes" "$out.tmp"
mv "$out.tmp" "$out"
echo "make_long.sh: wrote $out ($seconds s); one pass is $((pass / 16000)) s with $((n / 20)) bursts of ${#keys} keys" >&2
