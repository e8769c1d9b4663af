#!/bin/bash
# usage: bench/benchstat.sh OLD [NEW] [COUNT=10]
#
# Compares the Go benchmarks of bench/ (the detector per frame on speech
# with DTMF, the pipeline, µ-law input, channel setup) between two commits
# with benchstat: OLD and NEW are git revisions; without NEW the working
# tree is used. Each side runs `go test -run '^$' -bench "$BENCH" -count
# COUNT ./bench` (BENCH defaults to .) in its own copy of the tree, the two
# interleaved run by run so that a noisy machine affects both alike. Uses
# benchstat from PATH, else `go run golang.org/x/perf/cmd/benchstat@latest`.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 OLD [NEW] [COUNT=10]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
old=$1
new=${2:-}
count=${3:-10}
bench=${BENCH:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/old"
(cd "$root" && git archive "$old" | tar -x -C "$tmp/old")
if [ -n "$new" ]; then
  mkdir "$tmp/new"
  (cd "$root" && git archive "$new" | tar -x -C "$tmp/new")
  newdir=$tmp/new
else
  newdir=$root
  new="working tree"
fi
for i in $(seq "$count"); do
  (cd "$tmp/old" && go test -run '^$' -bench "$bench" -count 1 ./bench) >> "$tmp/old.txt"
  (cd "$newdir" && go test -run '^$' -bench "$bench" -count 1 ./bench) >> "$tmp/new.txt"
done
echo "old: $old   new: $new"
if command -v benchstat >/dev/null; then
  benchstat "$tmp/old.txt" "$tmp/new.txt"
else
  go run golang.org/x/perf/cmd/benchstat@latest "$tmp/old.txt" "$tmp/new.txt"
fi
