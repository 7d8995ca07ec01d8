#!/usr/bin/env bash
# Capacity (issue 4 / SLO): the highest arrival rate of the default shop mix that keeps p99 <= 100 ms and errors
# < 0.1 %, with all telemetry on. Steps the rate up, one loadgen run per step, and stops at the first failing step.
#   bench/capacity/run.sh [seconds-per-step] [rates...]      (defaults: 30 s; 20 40 60 80 100 130 160 200 250 300)
set -euo pipefail
source "$(dirname "$0")/../stack.sh"

step="${1:-30}"
shift || true
rates=("$@")
[ "${#rates[@]}" -gt 0 ] || rates=(20 40 60 80 100 130 160 200 250 300)

echo "[bench] load at start: $(uptime)"
bench_up capacity
# Warm-up (JIT, pools, caches, a first batch of orders); not judged.
bench_run "$bench_work/warmup.json" --rate 20/s --duration 20s || true

best=0
for rate in "${rates[@]}"; do
  report="$bench_work/rate-$rate.json"
  verdict=passed
  bench_run "$report" --rate "$rate/s" --duration "${step}s" --max-p99 100ms --max-error-rate 0.1% || verdict=FAILED
  printf '  %5s/s  ok %7s req/s  p50 %7s ms  p99 %8s ms  errors %s  dropped %s  %s\n' "$rate" \
    "$(bench_field "$report" 'ok / r["elapsedSeconds"]')" "$(bench_field "$report" 'o["latencyMs"]["p50"]')" \
    "$(bench_field "$report" 'o["latencyMs"]["p99"]')" "$(bench_field "$report" 'o["errors"]')" \
    "$(bench_field "$report" 'o["dropped"]')" "$verdict"
  [ "$verdict" = passed ] || break
  best="$rate"
done
echo "[bench] load at end:   $(uptime)"
if [ "$best" = 0 ]; then best="< ${rates[0]}"; fi  # even the first step failed
echo "CAPACITY (default mix, p99 <= 100 ms, errors < 0.1 %, telemetry on): $best req/s"
