#!/bin/bash
# usage: bench/results.sh [OUT=bench/results]
#
# Regenerates the committed results: the full accuracy suite on this
# module's detector and, when the peer decoders can run (PEERS, default
# bench/peers: spandsp and multimon-ng wrapped to print one JSON object per
# key press; they need gcc, libspandsp-dev, multimon-ng and sox), on them too, on identical signals; then the speed
# comparison (bench/compare.sh) on the 1-hour speech+DTMF file; and a soak of
# this module's detector alone with 20 times the trials (--scale 20), which
# finds failures too rare for the standard run. Writes OUT/accuracy.md,
# summary.md, accuracy.json, the plots, speed.md, gobench.txt, README.md and
# OUT/soak/.
#
# spandsp's wrapper prints "offset_ms" as the moment dtmf_rx confirmed the
# key-down; it is renamed "detected_ms" so that the suite measures
# spandsp's key-down latency too. multimon-ng reports digits only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-bench/results}
peers=${PEERS:-$root/bench/peers}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# COMMIT names the code measured when the tree is not a git checkout.
commit=${COMMIT:-$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)}
export COMMIT=$commit

(cd "$root" && go build -o "$tmp/dtmf" ./cmd/dtmf && go build -o "$tmp/dtmf-plot" ./cmd/dtmf-plot)
args=()
if [ -x "$peers/spandsp-dtmf" ] && "$peers/build.sh" >/dev/null 2>&1 && command -v sox >/dev/null; then
  args+=(--decoder "spandsp=$peers/spandsp-dtmf {} | sed 's/\"offset_ms\"/\"detected_ms\"/'")
fi
if [ -x "$peers/multimon-dtmf" ] && command -v multimon-ng >/dev/null && command -v sox >/dev/null; then
  args+=(--decoder "multimon-ng=$peers/multimon-dtmf")
fi
mkdir -p "$out"
"$tmp/dtmf" bench accuracy --progress --out "$out" "${args[@]}" > /dev/null
"$tmp/dtmf" bench accuracy --progress --scale 20 --out "$out/soak" \
  --categories keys,frequency,twist,level,length,pause,interruption,noise,duration,talkoff-tones,codec > /dev/null
# The figures, drawn from accuracy.json and linked into accuracy.md.
"$tmp/dtmf-plot" "$out" "$out/soak" > /dev/null
"$root/bench/compare.sh" > "$out/speed.md"
(cd "$root" && go test -run '^$' -bench . -count 1 ./bench) > "$out/gobench.txt"

# README.md: the Results section, assembled from what was just measured.
cmd=$(sed -n 's/^Command: `\(.*\)`  $/\1/p' "$out/accuracy.md")
machine=$(sed -n 's/^Machine: \(.*\)  $/\1/p' "$out/accuracy.md")
{
  echo "## Results"
  echo
  echo "Everything below is measured, on identical signals for every detector, by \`bench/results.sh\`"
  echo "(commit $commit, $(date -u +%Y-%m-%d)). The peers are spandsp 0.0.6 \`dtmf_rx\`"
  echo "and multimon-ng 1.2.0, run through the wrappers in \`bench/peers\` as external decoders"
  echo "(\`--decoder\`); multimon-ng reports digits only, so its duration and latency rows are n/a."
  echo
  echo "### Accuracy"
  echo
  echo "Command: \`$cmd\`  "
  echo "Machine: $machine"
  echo
  echo "The standards' numbers (ITU-T Q.24, ETSI ES 201 235-3): all 16 keys; accept ±(1.5 % + 2 Hz), reject ±3.5 %;"
  echo "twist 8 dB normal / 4 dB reverse accepted, 2 dB more rejected; +3 … −36 dBm0 per tone accepted, −42 rejected;"
  echo "40 ms tones accepted, 23 ms rejected; 40 ms pauses separate; interruptions ≤ 20 ms bridged; duration_ms"
  echo "within ±3 ms; key-down ≤ 32 ms after onset; no digit on speech or call-progress/fax tones. Every check, the"
  echo "per-tone frequency edges, the curves and each failing trial (with the \`dtmf gen\` command that rebuilds it)"
  echo "are in [accuracy.md](accuracy.md); machine-readable: [accuracy.json](accuracy.json)."
  echo
  sed 's/^####/###/' "$out/summary.md"
  echo "### Soak: this module's detector with 20 times the trials"
  echo
  echo "Command: \`$(sed -n 's/^Command: `\(.*\)`  $/\1/p' "$out/soak/accuracy.md")\`; details and every failing trial's"
  echo "\`dtmf gen\` command in [soak/accuracy.md](soak/accuracy.md)."
  echo
  awk '/^#### Checks passed/ {f = 1; next} f && /^\|/ {print; t = 1; next} f && t {exit}' "$out/soak/summary.md"
  echo
  echo "### Plots"
  echo
  for p in snr talkdown duration_error region_dtmf region_spandsp region_multimon-ng; do
    if [ -f "$out/$p.svg" ]; then echo "![$p]($p.svg)"; echo; fi
  done
  echo "### Speed"
  echo
  echo "Command: \`bench/compare.sh\` (ours: \`dtmf bench speed\`; spandsp: \`spandsp-dtmf --bench\`, both in-process over"
  echo "the file in memory, 160-sample frames; multimon-ng has no bench mode: one process over the file, wall time)."
  echo
  cat "$out/speed.md"
  echo
  echo "Go benchmarks of the hot paths, one op = one frame of speech with DTMF (\`channels=10000\`: each frame goes"
  echo "to the next of 10,000 detectors, as on a busy server); command \`go test -run '^\$' -bench . ./bench\`,"
  echo "compare two commits with \`bench/benchstat.sh OLD [NEW]\`:"
  echo
  echo '```'
  grep -E '^(Benchmark|cpu:)' "$out/gobench.txt"
  echo '```'
  echo
  echo "Memory per channel: \`BenchmarkChannelSetup\` above reports the heap bytes of one channel's detector and of"
  echo "its collector with a collection running (measured over 1,000 channels); \`TestTenThousandChannels\` runs 10,000"
  echo "channels (detector, collector, JSON events) at once on speech with DTMF and requires zero allocations and zero"
  echo "GC cycles in the steady state."
} > "$out/README.md"
echo "wrote $out" >&2
