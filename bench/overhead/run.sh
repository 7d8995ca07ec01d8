#!/usr/bin/env bash
# Instrumentation overhead (issue 4): the same load against the whole stack with telemetry on, then with every
# service started with OTEL_SDK_DISABLED=true; prints the added p50/p99 per request and the throughput lost at
# saturation. See README.md next to this script.
#   bench/overhead/run.sh [seconds-per-phase] [rate-below-saturation]     (defaults: 60 s, 50/s)
set -euo pipefail
source "$(dirname "$0")/../stack.sh"

phase="${1:-60}"
rate="${2:-50}"
# The measured route: GET /api/orders (list the caller's orders) — gateway (JWT, rate limit, circuit breaker) →
# gRPC → orders → PostgreSQL, the full gateway→orders chain, without the simulated PSP's 50±25 ms latency, which
# would drown a sub-millisecond difference.
mix="orders=1"
# Saturation: an offered rate far above what two cores serve, with the in-flight bound making it a fixed-concurrency
# closed loop; what completes per second is the stack's throughput.
saturate="1500/s"
in_flight=64

measure() {
  local label="$1"; shift
  bench_up "$label" "$@"
  # Warm-up: the default mix (places orders, so the measured users have orders to list), JIT and pools warm.
  bench_run "$bench_work/$label-warmup.json" --rate 30/s --duration 20s || true
  bench_run "$bench_work/$label-fixed.json" --mix "$mix" --rate "$rate/s" --duration "${phase}s" || true
  bench_run "$bench_work/$label-saturated.json" --mix "$mix" --rate "$saturate" --duration "$((phase / 2))s" \
    --max-in-flight "$in_flight" --timeout 5s || true
  bench_down
}

echo "[bench] load at start: $(uptime)"
measure on
measure off OTEL_SDK_DISABLED=true
echo "[bench] load at end:   $(uptime)"

f() { bench_field "$bench_work/$1.json" "$2"; }
on_p50=$(f on-fixed 'o["latencyMs"]["p50"]');   off_p50=$(f off-fixed 'o["latencyMs"]["p50"]')
on_p99=$(f on-fixed 'o["latencyMs"]["p99"]');   off_p99=$(f off-fixed 'o["latencyMs"]["p99"]')
on_err=$(f on-fixed 'o["errors"]');           off_err=$(f off-fixed 'o["errors"]')
on_tp=$(f on-saturated 'ok / r["elapsedSeconds"]'); off_tp=$(f off-saturated 'ok / r["elapsedSeconds"]')
on_sat_p50=$(f on-saturated 'o["latencyMs"]["p50"]'); off_sat_p50=$(f off-saturated 'o["latencyMs"]["p50"]')

python3 - "$rate" "$phase" "$on_p50" "$off_p50" "$on_p99" "$off_p99" "$on_err" "$off_err" "$on_tp" "$off_tp" \
  "$on_sat_p50" "$off_sat_p50" "$saturate" "$in_flight" <<'PY'
import sys
rate, phase, on50, off50, on99, off99, onerr, offerr, ontp, offtp, onsat50, offsat50, sat, inflight = sys.argv[1:]
on50, off50, on99, off99, ontp, offtp, onsat50, offsat50 = map(float, (on50, off50, on99, off99, ontp, offtp, onsat50, offsat50))
print()
print(f"route: GET /api/orders (gateway -> orders -> PostgreSQL), shop users with JWTs")
print(f"below saturation: {rate}/s for {phase} s          telemetry on   OTEL_SDK_DISABLED   added")
print(f"  p50 latency (ms)                       {on50:10.2f}   {off50:17.2f}   {on50 - off50:+7.2f}")
print(f"  p99 latency (ms)                       {on99:10.2f}   {off99:17.2f}   {on99 - off99:+7.2f}")
print(f"  errors                                 {onerr:>10}   {offerr:>17}")
print(f"at saturation: {sat} offered, <= {inflight} in flight")
print(f"  throughput (ok req/s)                  {ontp:10.1f}   {offtp:17.1f}   {(ontp - offtp) / offtp * 100 if offtp else 0:+6.1f} %")
print(f"  p50 latency (ms)                       {onsat50:10.2f}   {offsat50:17.2f}")
PY
