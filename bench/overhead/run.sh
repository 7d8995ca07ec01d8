#!/usr/bin/env bash
# Instrumentation overhead (issue 4): the same load against the whole stack with every service started with
# OTEL_SDK_DISABLED=true ("off") and with telemetry on, in two "on" variants:
#   sink  — the services export OTLP to a discard sink (DiscardSink.java): the instrumentation's own cost, as if the
#           backend ran on another machine (what the issue's target is about);
#   local — the services export to the embedded vigil-telemetry on the same cores (local mode as shipped: also pays
#           for the backend ingesting everything).
# The variants run interleaved for several rounds (round 1: off, sink, local; round 2: local, sink, off; ...) and
# the medians per variant are compared, so a machine that gets busier or quieter during the run moves every variant
# alike. Prints the added p50/p99 per request and the throughput lost at saturation. See README.md next to this
# script.
#   bench/overhead/run.sh [seconds-per-phase] [rate-below-saturation] [rounds]    (defaults: 60 s, 50/s, 2 rounds)
#   BENCH_VARIANTS="sink" bench/overhead/run.sh ...   only some "on" variants (default "sink local")
#   BENCH_JFR=1 bench/overhead/run.sh ...             also profile gateway and orders at saturation (see below)
#   BENCH_WARMUP=120 bench/overhead/run.sh ...        after the 20 s mix warm-up, the measured route at saturation for
#                                                     that many seconds (default 0): with the full JIT
#                                                     (VIGIL_JAVA_OPTS without -XX:TieredStopAtLevel=1) C2 needs
#                                                     minutes of the hot path before the steady state is measured
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../stack.sh"
source "$here/sink.sh"

phase="${1:-60}"
rate="${2:-50}"
rounds="${3:-2}"
read -r -a on_variants <<<"${BENCH_VARIANTS:-sink local}"
# The measured route: GET /api/orders (list the caller's orders) — gateway (JWT, rate limit, circuit breaker) →
# gRPC → orders → PostgreSQL, the full gateway→orders chain, without the simulated PSP's 50±25 ms latency, which
# would drown a sub-millisecond difference.
mix="orders=1"
# Saturation: an offered rate far above what two cores serve, with the in-flight bound making it a fixed-concurrency
# closed loop; what completes per second is the stack's throughput.
saturate="1500/s"
in_flight=64
warmup="$(bench_seconds BENCH_WARMUP 0)"

# saturate_route REPORT SECONDS: the measured route offered far beyond capacity, in-flight bounded.
saturate_route() {
  bench_run "$1" --mix "$mix" --rate "$saturate" --duration "$2s" --max-in-flight "$in_flight" --timeout 5s || true
}

trap 'sink_stop; bench_cleanup' EXIT

# BENCH_JFR=1: a JFR recording (settings=profile) of the gateway and orders JVMs across each saturation phase, and
# jfr-breakdown.py's split of their CPU samples printed per stack. Off by default: it costs a little CPU itself.
pid_of() { pgrep -P "$bench_launcher_pid" -f "vigil-$1.jar" | head -1; }
jfr_start() {
  [ "${BENCH_JFR:-0}" = 1 ] || return 0
  local service
  for service in gateway orders; do jcmd "$(pid_of "$service")" JFR.start name=overhead settings=profile >/dev/null; done
}
jfr_stop() {
  [ "${BENCH_JFR:-0}" = 1 ] || return 0
  local service
  for service in gateway orders; do
    jcmd "$(pid_of "$service")" JFR.dump name=overhead filename="$bench_work/$1-$service.jfr" >/dev/null
    jfr print --events jdk.ExecutionSample --stack-depth 64 "$bench_work/$1-$service.jfr" >"$bench_work/$1-$service.samples.txt"
    python3 "$here/jfr-breakdown.py" "$bench_work/$1-$service.samples.txt" "$1 $service"
  done
}

# measure LABEL VARIANT: one stack, warm-up, the fixed-rate phase, the saturation phase, stop.
measure() {
  local label="$1" variant="$2" env=()
  case "$variant" in
    off) env=(OTEL_SDK_DISABLED=true) ;;
    local) ;;
    sink)
      sink_start "$bench_work/$label-sink.log"
      env=("${sink_env[@]}") ;;
  esac
  bench_up "$label" "${env[@]}"
  # Warm-up: the default mix (places orders, so the measured users have orders to list), JIT and pools warm.
  bench_run "$bench_work/$label-warmup.json" --rate 30/s --duration 20s || true
  if ((warmup > 0)); then saturate_route "$bench_work/$label-warmup-route.json" "$warmup"; fi
  bench_run "$bench_work/$label-fixed.json" --mix "$mix" --rate "$rate/s" --duration "${phase}s" || true
  # CPU seconds of every process of the stack across the saturation phase: CPU per request per process.
  bench_cpu_snapshot "$bench_work/$label-cpu-before.json"
  jfr_start
  saturate_route "$bench_work/$label-saturated.json" "$((phase / 2))"
  jfr_stop "$label"
  bench_cpu_snapshot "$bench_work/$label-cpu-after.json"
  bench_cpu_per_request "$bench_work/$label-cpu-before.json" "$bench_work/$label-cpu-after.json" \
    "$(bench_field "$bench_work/$label-saturated.json" 'o["completed"]')" >"$bench_work/$label-cpu.json"
  bench_down
  if [ "$variant" = sink ]; then
    sink_stop
    # Proof that the services exported during the run (and how much): the sink's counts per OTLP path.
    sed -n 's/^\[discard-sink\] \/v1/  sink received \/v1/p' "$bench_work/$label-sink.log"
    if ! grep -q '^\[discard-sink\] /v1/traces' "$bench_work/$label-sink.log"; then
      echo "the services did not export to the discard sink: the sink figure would be wrong" >&2
      exit 1
    fi
  fi
  echo "[bench] $label: p50 $(bench_field "$bench_work/$label-fixed.json" 'o["latencyMs"]["p50"]') ms," \
    "saturated $(bench_field "$bench_work/$label-saturated.json" 'ok / r["elapsedSeconds"]') req/s ($(uptime))"
}

echo "[bench] load at start: $(uptime)"
variants=(off "${on_variants[@]}")
for ((round = 1; round <= rounds; round++)); do
  order=("${variants[@]}")
  if ((round % 2 == 0)); then # every other round backwards: a trend in the machine's load cancels
    order=()
    for ((i = ${#variants[@]} - 1; i >= 0; i--)); do order+=("${variants[$i]}"); done
  fi
  for variant in "${order[@]}"; do
    measure "$variant-$round" "$variant"
  done
done
echo "[bench] load at end:   $(uptime)"

python3 - "$bench_work" "$rate" "$phase" "$rounds" "$saturate" "$in_flight" "${variants[@]}" <<'PY'
import json, statistics, sys
work, rate, phase, rounds, sat, inflight, *variants = sys.argv[1:]
rounds = int(rounds)

def figures(variant):
    runs = []
    for r in range(1, rounds + 1):
        fixed = json.load(open(f"{work}/{variant}-{r}-fixed.json"))
        saturated = json.load(open(f"{work}/{variant}-{r}-saturated.json"))
        o, s = fixed["overall"], saturated["overall"]
        runs.append({"p50": o["latencyMs"]["p50"], "p99": o["latencyMs"]["p99"], "errors": o["errors"],
                     "tp": (s["completed"] - s["errors"]) / saturated["elapsedSeconds"],
                     "sat_p50": s["latencyMs"]["p50"]})
    med = {k: statistics.median(run[k] for run in runs) for k in runs[0]}
    cpus = [json.load(open(f"{work}/{variant}-{r}-cpu.json")) for r in range(1, rounds + 1)]
    cpu = {p: statistics.median(c.get(p, 0.0) for c in cpus) for p in set().union(*cpus)}
    return runs, med, cpu

results = {v: figures(v) for v in variants}
off = results["off"][1]
names = {"off": "OTEL_SDK_DISABLED", "sink": "on, discard sink", "local": "on, local backend"}
print()
print(f"route: GET /api/orders (gateway -> orders -> PostgreSQL), shop users with JWTs; medians of {rounds} round(s)")
print(f"below saturation: {rate}/s for {phase} s; saturation: {sat} offered, <= {inflight} in flight")
print(f"{'':22}{'p50 ms':>9}{'added':>9}{'p99 ms':>9}{'added':>9}{'errors':>8}{'sat req/s':>11}{'loss':>9}{'sat p50':>9}")
for v in variants:
    runs, m, _ = results[v]
    loss = (m["tp"] - off["tp"]) / off["tp"] * 100 if off["tp"] else 0
    print(f"{names.get(v, v):22}{m['p50']:9.2f}{m['p50'] - off['p50']:+9.2f}{m['p99']:9.2f}{m['p99'] - off['p99']:+9.2f}"
          f"{m['errors']:8.0f}{m['tp']:11.1f}{loss:+8.1f}%{m['sat_p50']:9.2f}")
    print(f"{'  per round':22}" + "   ".join(f"p50 {r['p50']:.2f} / {r['tp']:.0f} req/s" for r in runs))
print()
print("CPU per request at saturation (ms, median; where the cost goes)")
names_all = set().union(*(results[v][2] for v in variants))
procs = sorted((p for p in names_all if ":" not in p), key=lambda p: -results[variants[-1]][2].get(p, 0))
print(f"{'':22}" + "".join(f"{names.get(v, v):>20}" for v in variants))
for p in procs + ["total"]:
    row = [sum(x for n, x in results[v][2].items() if ":" not in n) if p == "total" else results[v][2].get(p, 0.0)
           for v in variants]
    if p == "total" or max(row) >= 0.01:
        print(f"  {p:20}" + "".join(f"{x:20.3f}" for x in row))
# The same CPU of the gateway and orders split by thread kind (bench/cpu.py): JIT, GC, exporters, request threads.
print()
print(f"{'  of which, by thread kind':38}" + "".join(f"{names.get(v, v):>20}" for v in variants))
for p in sorted(n for n in names_all if ":" in n):
    row = [results[v][2].get(p, 0.0) for v in variants]
    print(f"  {p:36}" + "".join(f"{x:20.3f}" for x in row))
PY
