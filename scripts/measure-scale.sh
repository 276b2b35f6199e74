#!/usr/bin/env bash
# Index build time and peak memory, open time, serving memory, and answer
# latency next to the bare bleve search, for synthetic corpora of 1,000 and
# 10,000 articles in memory and on disk, and 100,000 on disk
# (docs/scaling.md). Needs about 2 GB in $WORK and, for 100k, some minutes
# and (until the people annotation keeps less) about 8 GB of memory.
#   scripts/measure-scale.sh [WORK]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/parley-scale}
mkdir -p "$work"
go build -o "$work/parley-synth" ./cmd/parley-synth
go build -o "$work/parley-scale" ./cmd/parley-scale
go build -o "$work/parley" ./cmd/parley
measure() { # label, command...
  local label=$1; shift
  echo "=== $label"
  /usr/bin/time -v "$@" 2>&1 |
    grep -E '^(load|build|on disk|bare|open|articles|ready|answers|  |after|indexed)|Maximum resident|Elapsed' || true
}
for n in 1000 10000 100000; do
  [ -d "$work/c$n" ] || "$work/parley-synth" -n $n -out "$work/c$n"
done
for n in 1000 10000; do
  measure "$n articles, in memory" "$work/parley-scale" -seeds "$work/c$n" -queries 2000
  rm -rf "$work/c$n.idx" "$work/c$n.idx.bare"
  measure "$n articles, build on disk (parley index build)" "$work/parley" index build --seeds "$work/c$n" --out "$work/c$n.idx"
  measure "$n articles, on disk, opened read-only" "$work/parley-scale" -seeds "$work/c$n" -disk "$work/c$n.idx" -queries 2000
done
rm -rf "$work/c100000.idx" "$work/c100000.idx.bare"
measure "100000 articles, build on disk (parley index build)" "$work/parley" index build --seeds "$work/c100000" --out "$work/c100000.idx"
# The bare index for the yardstick is built on the first run, then opened.
measure "100000 articles, bare index" "$work/parley-scale" -seeds "$work/c100000" -disk "$work/c100000.idx" -queries 10
measure "100000 articles, on disk, opened read-only, with the bare search" "$work/parley-scale" -disk "$work/c100000.idx" -queries 2000
measure "100000 articles, on disk, opened read-only, alone (serving memory)" "$work/parley-scale" -disk "$work/c100000.idx" -no-bare -queries 2000
