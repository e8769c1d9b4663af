#!/bin/bash
# usage: bench/results.sh [OUT=bench/results]
#
# Regenerates the committed results: the full accuracy suite on this
# module's detector and, when the peer decoders are present (PEERS, default
# /work/shared/peers: spandsp and multimon-ng wrapped to print one JSON object
# per key press), on them too, on identical signals; then the speed
# comparison (bench/compare.sh) on the 1-hour speech+DTMF file. Writes
# OUT/accuracy.md, summary.md, accuracy.json, the plots, and speed.md.
#
# spandsp's wrapper prints "offset_ms" as the moment dtmf_rx confirmed the
# key-down; it is renamed "detected_ms" so that the suite measures
# spandsp's key-down latency too. multimon-ng reports digits only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/bench/results}
peers=${PEERS:-/work/shared/peers}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && go build -o "$tmp/dtmf" ./cmd/dtmf)
args=()
if [ -x "$peers/spandsp-dtmf-wav" ]; then
  args+=(--decoder "spandsp=$peers/spandsp-dtmf-wav {} | sed 's/\"offset_ms\"/\"detected_ms\"/'")
fi
if [ -x "$peers/multimon-dtmf-wav" ]; then
  args+=(--decoder "multimon-ng=$peers/multimon-dtmf-wav")
fi
mkdir -p "$out"
"$tmp/dtmf" bench accuracy --progress --out "$out" "${args[@]}" > /dev/null
"$root/bench/compare.sh" > "$out/speed.md"
echo "wrote $out" >&2
