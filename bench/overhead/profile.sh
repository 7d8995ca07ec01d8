#!/usr/bin/env bash
# Where the per-request cost goes: starts one stack (extra VAR=value arguments reach every service, e.g.
# OTEL_SDK_DISABLED=true), warms it up, records JFR (settings=profile) on the gateway and orders JVMs while
# GET /api/orders runs at saturation, and prints per JVM where the CPU samples go. See README.md next to this script.
#   bench/overhead/profile.sh [seconds] [--sink] [VAR=value ...]   (default 30 s; --sink: OTLP to the discard sink;
#                                                                   recordings kept in the printed directory)
#   BENCH_WARMUP=120 bench/overhead/profile.sh ...   warm the route at saturation that long first (default 15 s;
#                                                    the full JIT needs minutes)
set -euo pipefail
source "$(dirname "$0")/../stack.sh"
source "$(dirname "$0")/sink.sh"
warmup="$(bench_seconds BENCH_WARMUP 15)" # before BENCH_KEEP: a refused value leaves nothing behind
BENCH_KEEP=1
trap 'sink_stop; bench_cleanup' EXIT

seconds=30
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds="$1"; shift; fi
if [ "${1:-}" = --sink ]; then
  shift
  sink_start "$bench_work/sink.log"
  set -- "${sink_env[@]}" "$@"
fi

echo "[profile] load at start: $(uptime)"
bench_up profile "$@"
bench_run "$bench_work/warmup.json" --rate 30/s --duration 20s || true
bench_run "$bench_work/warm-orders.json" --mix orders=1 --rate 1500/s --duration "${warmup}s" --max-in-flight 64 \
  --timeout 5s || true

# The launcher's children, by jar: only this benchmark's stack, whatever else runs on the machine.
pid_of() { pgrep -P "$bench_launcher_pid" -f "vigil-$1.jar" | head -1; }
for service in gateway orders; do
  jcmd "$(pid_of "$service")" JFR.start name=overhead settings=profile >/dev/null
done
bench_run "$bench_work/saturated.json" --mix orders=1 --rate 1500/s --duration "${seconds}s" --max-in-flight 64 \
  --timeout 5s || true
for service in gateway orders; do
  jcmd "$(pid_of "$service")" JFR.dump name=overhead filename="$bench_work/$service.jfr" >/dev/null
done
echo "[profile] throughput: $(bench_field "$bench_work/saturated.json" 'ok / r["elapsedSeconds"]') ok req/s"
echo "[profile] load at end: $(uptime)"

# Per JVM: the CPU samples by kind of code, and the hottest frames (self time).
for service in gateway orders; do
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$bench_work/$service.jfr" >"$bench_work/$service.samples.txt"
  python3 "$(dirname "$0")/jfr-breakdown.py" "$bench_work/$service.samples.txt" "$service"
  python3 - "$service" "$bench_work/$service.samples.txt" <<'PY'
import collections, re, sys
service, path = sys.argv[1:]
top, total = collections.Counter(), 0
for event in open(path).read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
    if frames:
        total += 1
        top[frames[0]] += 1
print(f"== {service}: hottest frames (self time)")
for f, n in top.most_common(15):
    print(f"  {100 * n / total:5.1f} %  {f}")
PY
done
echo "[profile] recordings and samples in $bench_work"
