#!/usr/bin/env bash
# Requests per second of one `parley serve` on loopback: signed Slack slash
# commands and signed Discord interactions, next to a bare net/http
# hello-world and to bleve over HTTP (a bare bleve search of the same
# sentences served as JSON), measured in the same run (docs/scaling.md).
#   scripts/measure-loopback.sh [duration] [connections] [answer-cache] [pairs] [rounds]
# pairs is how many distinct "/what w1 w2" lines the Slack and bleve runs
# cycle through, so that no cache helps (default 6000). rounds (default 1)
# repeats bleve over HTTP and Slack /what one after the other and prints
# each round's ratio: on a shared machine, load that comes and goes moves
# one run by 10-15 %, so compare rounds, not runs minutes apart. Each round
# also gives the ratio by CPU time per request (server and load together,
# from /proc), which moves less.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s} conns=${2:-64} cache=${3:-1024} pairs=${4:-6000} rounds=${5:-1}
bin=$(mktemp -d)
pid= barepid=
trap 'kill $pid $barepid 2>/dev/null || true; rm -rf "$bin"' EXIT
go build -o "$bin/parley" ./cmd/parley
go build -o "$bin/parley-load" ./cmd/parley-load
key=$(printf '7%.0s' $(seq 64))   # a test key: 64 hex digits
pub=$("$bin/parley-load" -discord-key "$key" -print-public-key)
addr=127.0.0.1:18089 bare=127.0.0.1:18090
SLACK_SIGNING_SECRET=loopback-secret DISCORD_PUBLIC_KEY=$pub \
  "$bin/parley" serve --addr $addr --log-level warn --answer-cache "$cache" &
pid=$!
"$bin/parley-load" -serve-bare $bare &
barepid=$!
for _ in $(seq 100); do curl -sf "http://$addr/readyz" >/dev/null && curl -sf "http://$bare/readyz" >/dev/null && break; sleep 0.1; done
echo "== hello-world"; "$bin/parley-load" -mode hello -c "$conns" -d "$dur"
rate() { grep -o '[0-9.]* ok/s' | cut -d' ' -f1; }
# CPU per request, server and load together: what the two cores spend on
# one request, which sets how many they serve (steadier than requests/s).
cpu() { sed -n 's/.*server \([0-9]*\)µs, load \([0-9]*\)µs.*/\1 \2/p' | awk '{ print $1 + $2 }'; }
for r in $(seq "$rounds"); do
  echo "== bleve over HTTP, $pairs distinct w1 w2"; "$bin/parley-load" -mode bare -url "http://$bare" -pairs "$pairs" -c "$conns" -d "$dur" -server-pid "$barepid" | tee "$bin/bare.out"
  echo "== slack /what, $pairs distinct w1 w2"; "$bin/parley-load" -mode slack -command what -pairs "$pairs" -slack-secret loopback-secret -url "http://$addr" -c "$conns" -d "$dur" -server-pid "$pid" | tee "$bin/slack.out"
  echo "== round $r: slack /what at $(awk -v s="$(rate < "$bin/slack.out")" -v b="$(rate < "$bin/bare.out")" 'BEGIN { printf "%.0f", 100 * s / b }') % of bleve over HTTP;" \
    "$(awk -v s="$(cpu < "$bin/slack.out")" -v b="$(cpu < "$bin/bare.out")" 'BEGIN { printf "%.0f %% by CPU per request (%d µs vs %d µs)", 100 * b / s, s, b }')"
done
echo "== slack /whois"; "$bin/parley-load" -mode slack -slack-secret loopback-secret -url "http://$addr" -c "$conns" -d "$dur"
echo "== discord /who"; "$bin/parley-load" -mode discord -discord-key "$key" -url "http://$addr" -c "$conns" -d "$dur"
echo "== memory"; grep VmRSS "/proc/$pid/status"
