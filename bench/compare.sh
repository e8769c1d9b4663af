#!/bin/bash
# usage: bench/compare.sh [FILE.raw] [RUNS=5] [PASSES=10]
#
# Speed of this module's detector against spandsp's dtmf_rx and
# multimon-ng on the same file, in the same run: alternates `dtmf bench
# speed` (detector alone and --pipeline) with `spandsp-dtmf --bench` (both
# timed in-process, PASSES passes per run) and one multimon-ng process over
# the file (wall time; it has no bench mode), RUNS times each, and prints
# the medians as a Markdown table with the machine and commit.
#
# FILE defaults to ${DTMF_PEERS_BIN:-~/.cache/dtmf-peers}/long_1h_8k.raw (where
# make_long.sh writes it): 1 hour of the
# asterisk-core-sounds-en-wav prompts with 976 DTMF presses, made by the
# peers' make_long.sh if missing. The peers (spandsp wrapper, make_long.sh)
# are optional: PEERS (default bench/peers) may point elsewhere; without
# them only this module's figures are printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/bench/peers}
file=${1:-${DTMF_PEERS_BIN:-$HOME/.cache/dtmf-peers}/long_1h_8k.raw}
runs=${2:-5}
passes=${3:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$file" ]; then
  if [ -x "$peers/make_long.sh" ]; then
    "$peers/make_long.sh" "$file"
  else
    echo "compare.sh: $file missing and no $peers/make_long.sh to make it" >&2
    exit 2
  fi
fi
have_spandsp=0
if [ -x "$peers/spandsp-dtmf" ] && { [ ! -x "$peers/build.sh" ] || "$peers/build.sh" >/dev/null 2>&1; }; then have_spandsp=1; fi
have_multimon=0
if command -v multimon-ng >/dev/null && command -v sox >/dev/null; then
  have_multimon=1
  # multimon-ng reads 22050 Hz: convert once, outside the timing.
  sox -V1 -t raw -r 8000 -e signed -b 16 -c 1 "$file" -t raw -r 22050 -e signed -b 16 -c 1 "$tmp/22k.raw"
fi

(cd "$root" && go build -o "$tmp/dtmf" ./cmd/dtmf)
for i in $(seq "$runs"); do
  "$tmp/dtmf" bench speed --repeat "$passes" "$file" >> "$tmp/detector.jsonl"
  "$tmp/dtmf" bench speed --repeat "$passes" --pipeline "$file" >> "$tmp/pipeline.jsonl"
  if [ $have_spandsp = 1 ]; then
    "$peers/spandsp-dtmf" --bench "$passes" "$file" 2>/dev/null >> "$tmp/spandsp.jsonl"
  fi
  if [ $have_multimon = 1 ]; then
    # One process run over the whole file (no in-process timer): wall time.
    t0=$(date +%s%N)
    multimon-ng -q -c -a DTMF -t raw "$tmp/22k.raw" > "$tmp/multimon.out"
    t1=$(date +%s%N)
    printf '{"ns_per_sample":%s,"digits":%s}\n' \
      "$(awk -v ns=$((t1 - t0)) -v n=$(( $(stat -c %s "$file") / 2 )) 'BEGIN {printf "%.3f", ns / n}')" \
      "$(grep -c '^DTMF: ' "$tmp/multimon.out" || true)" >> "$tmp/multimon.jsonl"
  fi
done

# field FILE KEY: the values of a numeric JSON field, one per line.
field() { grep -o "\"$2\":[0-9.e+-]*" "$1" | cut -d: -f2; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
row() { # name file ns-key best-key digits-key allocs bytes
  local ns best digits
  ns=$(field "$2" "$3" | median)
  best=$(field "$2" "$4" | sort -g | head -1)
  digits=$(field "$2" "$5" | sort -u | tr '\n' ' ')
  printf '| %s | %.2f | %.2f | %s | %s | %s | %s |\n' "$1" "$ns" "$best" \
    "$(awk -v n="$ns" 'BEGIN {printf "%d", 1e9 / (n * 8000)}')" "$6" "$digits" "$7"
}

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || true)
commit=${COMMIT:-$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)}
echo "File: \`$file\` ($(( $(stat -c %s "$file") / 16000 )) s of 8 kHz audio); $runs runs × $passes passes each, alternating; medians."
echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores; $(go version | cut -d' ' -f3); commit $commit; $(date -u +%Y-%m-%d)."
echo
echo "| detector | ns/sample (median) | best pass | real-time channels per core | allocations | key presses found | state per channel |"
echo "|---|---|---|---|---|---|---|"
det_bytes=$(field "$tmp/detector.jsonl" detector_bytes | head -1)
row "dtmf detector (this module)" "$tmp/detector.jsonl" ns_per_sample best_ns_per_sample digits \
  "$(field "$tmp/detector.jsonl" allocations | sort -g | tail -1) per pass" "$det_bytes B"
coll_bytes=$(field "$tmp/pipeline.jsonl" collector_bytes | head -1)
row "dtmf pipeline: detector + collector + JSON events" "$tmp/pipeline.jsonl" ns_per_sample best_ns_per_sample digits \
  "$(field "$tmp/pipeline.jsonl" allocations | sort -g | tail -1) per pass: one per collection started ($(field "$tmp/pipeline.jsonl" collections | head -1))" "$det_bytes + $coll_bytes B"
if [ $have_multimon = 1 ]; then
  row "multimon-ng $(multimon-ng -h 2>&1 | grep -o 'multimon-ng [0-9.]*' | head -1 | cut -d' ' -f2) DTMF (22.05 kHz input; whole-process wall time per 8 kHz sample)" \
    "$tmp/multimon.jsonl" ns_per_sample ns_per_sample digits "n/a (C)" "n/a"
fi
if [ $have_spandsp = 1 ]; then
  row "spandsp 0.0.6 dtmf_rx (Debian build)" "$tmp/spandsp.jsonl" ns_per_sample best_pass_ns_per_sample key_presses_per_pass \
    "n/a (C)" "$(field "$tmp/spandsp.jsonl" sizeof_dtmf_rx_state_t | head -1) B"
fi
