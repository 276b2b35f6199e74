#!/usr/bin/env bash
# Index build time, memory and answer latency for synthetic corpora of 1,000
# and 10,000 articles in memory and on disk, and 100,000 on disk
# (docs/scaling.md). Needs about 1 GB in $WORK and, for 100k, some minutes.
#   scripts/measure-scale.sh [WORK]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/parley-scale}
mkdir -p "$work"
go build -o "$work/parley-synth" ./cmd/parley-synth
go build -o "$work/parley-scale" ./cmd/parley-scale
measure() { # label, args...
  local label=$1; shift
  echo "=== $label"
  /usr/bin/time -v "$work/parley-scale" "$@" 2>&1 |
    grep -E '^(build|open|articles|heap|answers|  |RSS)|Maximum resident|Elapsed' || true
}
for n in 1000 10000 100000; do
  [ -d "$work/c$n" ] || "$work/parley-synth" -n $n -out "$work/c$n"
done
for n in 1000 10000; do
  measure "$n articles, in memory" -seeds "$work/c$n" -queries 2000
  rm -rf "$work/c$n.idx"
  measure "$n articles, on disk (build, then open read-only)" -seeds "$work/c$n" -disk "$work/c$n.idx" -queries 2000
done
rm -rf "$work/c100000.idx"
measure "100000 articles, build on disk" -seeds "$work/c100000" -disk "$work/c100000.idx" -queries 10
measure "100000 articles, on disk, opened read-only" -disk "$work/c100000.idx" -queries 2000
