#!/usr/bin/env bash
# Capacity (issue 6 / SLO): the highest arrival rate of a shop mix that keeps p99 <= 100 ms and errors < 0.1 %, with
# all telemetry on — for the whole mix (one p99 over every request, the strict figure) and per scenario (each
# scenario's own p99 and errors while the whole mix runs); and, to compare with the issue's yardstick (a seed stack's
# 1,000 req/min at p95 < 200 ms), the whole mix's highest rate at that criterion. Each step also prints how busy the
# stack kept the cores; before the steps, how busy it keeps them idle.
#   bench/capacity/run.sh [seconds-per-step] [rates...]      (defaults: 30 s; 20 50 100 200 300 400 600 800 1000 1300 1667)
#   BENCH_WARMUP=120 (default): seconds of the default mix at 100 req/s after a 20 s start at 20 req/s, before the steps
# Steps the rate up, one loadgen run per step, until every scenario has failed a step (or the offered rate is no
# longer served); then bisects (CAPACITY_BISECT rounds, default 3) between the whole mix's last passing and first
# failing step.
# CAPACITY_MIXES: mixes to measure one after the other on the same stack, separated by ';' (default: the load
# generator's default mix). Example: CAPACITY_MIXES='default;browse=50,product=25,order=15,orders=5,register=3,login=2'
set -euo pipefail
source "$(dirname "$0")/../stack.sh"

step="${1:-30}"
shift || true
rates=("$@")
[ "${#rates[@]}" -gt 0 ] || rates=(20 50 100 200 300 400 600 800 1000 1300 1667)
bisect_rounds="${CAPACITY_BISECT:-3}"
IFS=';' read -r -a mixes <<<"${CAPACITY_MIXES:-default}"
p99_limit_ms=100
error_limit=0.001
# The issue's yardstick: a seed stack serves 1,000 req/min at p95 < 200 ms. The same criterion for the whole mix (with
# our failure limit as well), so the two figures compare like with like.
seed_p95_limit_ms=200
seed_rate_per_minute=1000

# A warmed-up stack, as one that has been serving for a while: the JIT compiles the hot paths for minutes after start
# (a 40 s warm-up left the first steps spending about a quarter more CPU per request than similar rates a few minutes later).
warmup="$(bench_seconds BENCH_WARMUP 120)"

echo "[bench] load at start: $(uptime)"
bench_up capacity
# Warm-up (JIT, pools, caches, a first batch of orders); not judged.
bench_run "$bench_work/warmup.json" --rate 20/s --duration 20s || true
if ((warmup > 0)); then bench_run "$bench_work/warmup2.json" --rate 100/s --duration "${warmup}s" || true; fi

# step_report REPORT RATE: one line for the whole mix and one per scenario; prints to stdout. The last line is a
# machine-readable summary: "VERDICT <mix passed 0|1> <served 0|1> <mix passed the seed criterion 0|1>
# <scenario:passed ...>".
step_report() {
  python3 - "$1" "$2" "$p99_limit_ms" "$error_limit" "$seed_p95_limit_ms" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rate, p99_limit, err_limit, seed_p95_limit = (float(a) for a in sys.argv[2:6])
# A 422 to an order is the simulated payment provider declining the card (2 % at random by default, see
# ProviderProperties): a correct answer, not a failure of the shop. The load generator counts every non-2xx as an
# error; the objective counts failures only: 5xx, timeouts, connection errors and any other unexpected status.
def declined(s):
    return s["status"].get("422", 0) if s["name"] == "order" else 0
def failures(s):
    return s["errors"] - declined(s)
def meets(s, fails, quantile, limit):
    return s["completed"] > 0 and s["latencyMs"][quantile] <= limit and fails / s["completed"] < err_limit
def passed(s, fails):
    return meets(s, fails, "p99", p99_limit)
def passed_seed(s, fails):
    return meets(s, fails, "p95", seed_p95_limit)
def line(name, s, fails, decl):
    return (f"    {name:<9} n {s['completed']:>6}  p50 {s['latencyMs']['p50']:>8.1f} ms  p95 {s['latencyMs']['p95']:>8.1f} ms"
            f"  p99 {s['latencyMs']['p99']:>8.1f} ms"
            f"  failures {fails:>4} ({fails / max(1, s['completed']) * 100:.2f} %)  declined {decl:>3}"
            f"  {'ok' if passed(s, fails) else 'FAILED'}")
o = r["overall"]
all_declined = sum(declined(s) for s in r["scenarios"])
ok = o["completed"] - o["errors"] + all_declined
served = ok / r["elapsedSeconds"] >= 0.9 * rate and o["dropped"] == 0
print(f"  {rate:>6.0f}/s  served {ok / r['elapsedSeconds']:.1f} req/s  dropped {o['dropped']}"
      f"  scheduler lag max {r['maxSchedulerLagMs']:.0f} ms")
print(line("WHOLE MIX", o, o["errors"] - all_declined, all_declined))
for s in r["scenarios"]:
    print(line(s["name"], s, failures(s), declined(s)))
print("VERDICT", int(passed(o, o["errors"] - all_declined)), int(served), int(passed_seed(o, o["errors"] - all_declined)),
      " ".join(f"{s['name']}:{int(passed(s, failures(s)))}" for s in r["scenarios"]))
PY
}

# idle_report SECONDS: how busy the stack keeps the cores with no load at all (its timers: metric exports, rule
# evaluation, pollers, health checks), by process; capacity is what is left of the cores after this.
idle_report() {
  bench_cpu_snapshot "$bench_work/idle-before"
  sleep "$1"
  bench_cpu_snapshot "$bench_work/idle-after"
  echo "[bench] idle: $(bench_cpu_busy "$bench_work/idle-before" "$bench_work/idle-after" "$1")"
}

# run_step MIXARGS... : runs one step at $rate into $report and sets mix_ok, served, scenario_ok (assoc array).
declare -A scenario_ok scenario_best
run_step() {
  local started ended
  started="$(date +%s.%N)"
  bench_cpu_snapshot "$report.cpu-before"
  bench_run "$report" --rate "$rate/s" --duration "${step}s" --max-p99 "${p99_limit_ms}ms" --max-error-rate 0.1% \
    "$@" || true
  bench_cpu_snapshot "$report.cpu-after"
  ended="$(date +%s.%N)"
  local out verdict
  out="$(step_report "$report" "$rate")"
  grep -v '^VERDICT' <<<"$out"
  # How busy the stack kept the cores across the step (every process of the stack; the load generator is not one of
  # them) and its CPU per request: a stack near all cores busy is at its capacity whatever its queues and pools, and
  # only less work per request (or more cores) moves it.
  echo "    CPU       $(bench_cpu_busy "$report.cpu-before" "$report.cpu-after" \
    "$(awk "BEGIN { print $ended - $started }")" "$(bench_field "$report" 'o["completed"]')")"
  verdict="$(grep '^VERDICT' <<<"$out")"
  read -r _ mix_ok served seed_ok rest <<<"$verdict"
  scenario_ok=()
  local pair
  for pair in $rest; do scenario_ok["${pair%%:*}"]="${pair##*:}"; done
}

sleep 10  # let the warm-up's last exports and compactions finish
idle_report 30

# note_scenarios: after a step, raises each scenario's best to this rate if it met its objective here (and the stack
# served the rate); sets any=1 if one did.
note_scenarios() {
  any=0
  local name
  for name in "${!scenario_ok[@]}"; do
    if [ "${scenario_ok[$name]}" = 1 ] && [ "$served" = 1 ]; then
      [ "$rate" -le "${scenario_best[$name]:-0}" ] || scenario_best[$name]="$rate"
      any=1
    fi
    [ -n "${scenario_best[$name]:-}" ] || scenario_best[$name]=0
  done
}

# bisect LO HI VERDICT WHAT: the highest rate between LO (passed) and HI (failed) at which $VERDICT (mix_ok or seed_ok,
# set by run_step) holds and the stack serves the rate, in CAPACITY_BISECT rounds; the result is in $bisected.
bisect() {
  local lo="$1" hi="$2" verdict="$3"
  for _ in $(seq 1 "$bisect_rounds"); do
    rate=$(( (lo + hi) / 2 ))
    if [ "$rate" -le "$lo" ] || [ "$rate" -ge "$hi" ]; then break; fi
    echo "  (bisecting between $lo and $hi req/s: $4)"
    report="$bench_work/mix$mix_no-bisect-$verdict-$rate.json"
    run_step "${mix_args[@]}"
    if [ "${!verdict}" = 1 ] && [ "$served" = 1 ]; then lo="$rate"; else hi="$rate"; fi
    note_scenarios
  done
  bisected="$lo"
}

mix_no=0
for mix in "${mixes[@]}"; do
  mix_no=$((mix_no + 1))
  mix_args=()
  [ "$mix" = default ] || mix_args=(--mix "$mix")
  echo
  echo "[bench] mix: $mix ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
  best=0
  first_fail=""
  seed_best=0
  seed_fail=""
  scenario_best=()
  for rate in "${rates[@]}"; do
    report="$bench_work/mix$mix_no-rate-$rate.json"
    run_step "${mix_args[@]}"
    note_scenarios
    if [ "$mix_ok" = 1 ] && [ "$served" = 1 ] && [ -z "$first_fail" ]; then best="$rate"; fi
    if { [ "$mix_ok" = 0 ] || [ "$served" = 0 ]; } && [ -z "$first_fail" ]; then first_fail="$rate"; fi
    if [ "$seed_ok" = 1 ] && [ "$served" = 1 ] && [ -z "$seed_fail" ]; then seed_best="$rate"; any=1; fi
    if { [ "$seed_ok" = 0 ] || [ "$served" = 0 ]; } && [ -z "$seed_fail" ]; then seed_fail="$rate"; fi
    # Stop once neither any scenario nor the whole mix at the seed criterion passes any more, or the stack no longer
    # serves what is offered.
    if [ "$any" = 0 ] || [ "$served" = 0 ]; then break; fi
  done
  # Bisect between each whole-mix figure's last passing step and its first failing one.
  if [ -n "$first_fail" ] && [ "$best" != 0 ]; then
    bisect "$best" "$first_fail" mix_ok "p99 <= $p99_limit_ms ms"
    best="$bisected"
  fi
  if [ -n "$seed_fail" ] && [ "$seed_best" != 0 ]; then
    bisect "$seed_best" "$seed_fail" seed_ok "p95 <= $seed_p95_limit_ms ms"
    seed_best="$bisected"
  fi
  [ "$best" != 0 ] || best="< ${rates[0]}"  # even the first step failed
  echo "CAPACITY mix=$mix whole mix (one p99 <= $p99_limit_ms ms over all requests, errors < 0.1 %): $best req/s"
  if [ "$seed_best" != 0 ]; then
    echo "CAPACITY mix=$mix whole mix at the seed stack's criterion (p95 <= $seed_p95_limit_ms ms, errors < 0.1 %):" \
      "$seed_best req/s = $((seed_best * 60)) req/min," \
      "$(awk "BEGIN { printf \"%.1f\", $seed_best * 60 / $seed_rate_per_minute }")x the seed's $seed_rate_per_minute req/min"
  else
    echo "CAPACITY mix=$mix whole mix at the seed stack's criterion (p95 <= $seed_p95_limit_ms ms, errors < 0.1 %):" \
      "< ${rates[0]} req/s"
  fi
  for name in $(printf '%s\n' "${!scenario_best[@]}" | sort); do
    figure="${scenario_best[$name]}"
    [ "$figure" != 0 ] || figure="< ${rates[0]}"
    echo "CAPACITY mix=$mix scenario $name (its own p99 <= $p99_limit_ms ms, errors < 0.1 %, within the mix, highest" \
      "passing step or bisection rate): $figure req/s of the mix"
  done
done
echo "[bench] load at end:   $(uptime)"
