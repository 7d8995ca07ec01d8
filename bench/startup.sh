#!/usr/bin/env bash
# Benchmark (issue 2): time from `./vigil up` (already built) to all services ready, and the summed resident memory
# of every process of the stack at idle. Prints both figures; record them in docs/benchmarks.md.
#   bench/startup.sh [idle-seconds]     (default: measure memory after 30 s of idle, background load off)
set -euo pipefail
cd "$(dirname "$0")/.."
idle="${1:-30}"
data="$(mktemp -d)"
log="$data/up.log"
trap 'VIGIL_DATA_DIR="$data" ./vigil down >/dev/null 2>&1 || true; rm -rf "$data"' EXIT

# Starts the stack and waits for "all ready"; prints the seconds it took.
up() {
  local start ready
  start=$(date +%s.%N)
  VIGIL_DATA_DIR="$data" ./vigil up --no-load >"$log" 2>&1 &
  until grep -q "all ready" "$log"; do
    if ! kill -0 $! 2>/dev/null; then echo "vigil up failed:"; cat "$log"; exit 1; fi
    sleep 0.2
  done
  ready=$(date +%s.%N)
  awk "BEGIN {printf \"%.1f\", $ready - $start}"
}

# First start after a build: PostgreSQL initdb, migrations, Kafka storage format, class data sharing archives.
echo "first start after a build (fresh data dir, CDS training runs): $(up) s"
VIGIL_DATA_DIR="$data" ./vigil down >/dev/null
# What a user waits for every other time.
echo "time to ready (already built and prepared): $(up) s"
grep -E "ready in" "$log" | sed 's/^/  /'

sleep "$idle"
launcher=$(sed 's/.*"pid":\([0-9]*\).*/\1/' "$data/launcher.json")
# Every process of the stack: the launcher and all its descendants (services, PostgreSQL, Redis).
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
# PostgreSQL daemonizes (pg_ctl), so it is found by its data directory instead.
pids="$launcher $(descendants "$launcher") $(pgrep -f -- "$data/postgres" || true)"
total=0
for p in $pids; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
  name=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -oE 'vigil-[a-z]+\.jar|postgres|redis-server' | head -1)
  printf '  %-28s %6d MB\n' "${name:-pid $p}" $((rss / 1024))
  total=$((total + rss))
done
echo "resident memory at idle, all processes: $((total / 1024)) MB"
