#!/usr/bin/env bash
# Benchmark (issues 6 and 7): the chaos experiments (chaos/experiments/*.yaml, all of them unless named) once each
# against a local stack at the demo time scale, through `./vigil chaos run`; prints the experiments table (detected,
# time to detect, time to recover, orders lost/duplicated, verdict) and the load average before and after.
#   bench/chaos/run.sh [EXPERIMENT...]
# Uses the stack running in $VIGIL_DATA_DIR if there is one; otherwise starts `./vigil up` (with its default 20 req/s
# background load) on free ports in $VIGIL_DATA_DIR (default: a new temporary directory) and stops it at the end.
# Bounded: VIGIL_CHAOS_BUDGET seconds for the experiments (default 2400), VIGIL_START_BUDGET for the stack to start
# (default 1200: the first start after a build trains class data sharing archives, slow on a busy machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
budget="${VIGIL_CHAOS_BUDGET:-2400}"

own=0
if [ -z "${VIGIL_DATA_DIR:-}" ] || [ ! -f "$VIGIL_DATA_DIR/launcher.json" ]; then
  own=1
  export VIGIL_DATA_DIR="${VIGIL_DATA_DIR:-$(mktemp -d)}"
  mkdir -p "$VIGIL_DATA_DIR"
  # Free ports, so the benchmark never collides with a stack someone else runs on the defaults.
  for name in GATEWAY USERS INVENTORY INVENTORY_GRPC ORDERS ORDERS_GRPC PAYMENTS PAYMENTS_GRPC NOTIFICATIONS \
              REMEDIATOR CONTROL TELEMETRY OTLP_GRPC OTLP_HTTP POSTGRES REDIS KAFKA; do
    export "VIGIL_${name}_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  done
  log="$VIGIL_DATA_DIR/up.log"
  trap './vigil down >/dev/null 2>&1 || true' EXIT
  ./vigil up >"$log" 2>&1 &
  up=$!
  deadline=$((SECONDS + ${VIGIL_START_BUDGET:-1200}))
  until grep -q "all ready" "$log" 2>/dev/null; do
    if ! kill -0 "$up" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then echo "vigil up failed:"; tail -50 "$log"; exit 1; fi
    sleep 1
  done
  grep -E "all ready" "$log"
  # Rates need two metric exports of traffic, and freshly started JVMs are slow: let the background load warm up.
  sleep 60
fi

# One experiment per `./vigil chaos run`, so a run cut short by the budget still reports what it finished.
if [ "$#" -gt 0 ]; then names=("$@"); else mapfile -t names < <(./vigil chaos list | awk '{print $1}'); fi
echo "load before: $(uptime)"
started=$SECONDS
status=0
rows=""
for name in "${names[@]}"; do
  left=$((budget - (SECONDS - started)))
  if [ "$left" -le 0 ]; then echo "budget of $budget s used up; not run: $name"; status=1; continue; fi
  echo "[bench] $name at $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout "$left" ./vigil chaos run "$name" | tee -a "$VIGIL_DATA_DIR/chaos-run.log" || status=1
  rows="$rows$(grep -E "^\| $name " "$VIGIL_DATA_DIR/chaos-run.log" | tail -1)"$'\n'
done
echo "load after:  $(uptime)"
echo
echo "| experiment | detected | time to detect | time to recover | orders lost / duplicated | verdict |"
echo "|---|---|---|---|---|---|"
printf '%s' "$rows"
echo "experiments took $((SECONDS - started)) s; exit code $status (0 = every experiment passed)"
if [ "$own" = 1 ]; then
  echo "remediator decisions (.vigil/remediator/audit.jsonl):"
  grep -h '"ACTED"\|"FAILED"' "$VIGIL_DATA_DIR/remediator/audit.jsonl" 2>/dev/null | sed 's/^/  /' || true
  echo "supervisor events:"
  grep -E "restarting|exited|not ready" "$log" | sed 's/^/  /' || true
fi
exit "$status"
