# Shared by bench/overhead/run.sh and bench/capacity/run.sh (source it; needs bash, java, python3).
# Starts a whole stack with `./vigil up --no-load` on free ports and its own data directory, so a benchmark never
# collides with a stack (or another benchmark) already running on the machine, and stops it cleanly.

bench_home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_loadgen="$bench_home/loadgen/target/vigil-loadgen-exec.jar"
bench_work="$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")"
bench_launcher_pid=""
bench_data=""
bench_gateway=""

for jar in "$bench_loadgen" "$bench_home/launcher/target/vigil-launcher.jar"; do
  if [ ! -f "$jar" ]; then
    echo "missing $jar: build first (./mvnw -q -DskipTests install)" >&2
    exit 1
  fi
done

bench_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The load generator is one client on one address: the gateway's per-client rate limit (50/s by default) would answer
# most of a benchmark with 429s, so benchmarks measure the shop with the limiter out of the way.
# The remediator stays in the stack but in dry-run: a restart it orders (a slow start on a busy machine can fire a
# service-down alert) would otherwise land in the middle of a measurement.
sed 's/^dryRun: .*/dryRun: true/' "$bench_home/remediator/src/main/resources/policies.yaml" >"$bench_work/policies.yaml"
bench_env=(VIGIL_RATE_LIMIT_RPS=1000000 VIGIL_RATE_LIMIT_BURST=1000000
           VIGIL_REMEDIATOR_POLICIES="file:$bench_work/policies.yaml")

# bench_up LABEL [VAR=value ...]: starts a stack with the extra environment; waits (bounded) for "all ready".
bench_up() {
  local label="$1"; shift
  bench_data="$bench_work/$label"
  mkdir -p "$bench_data"
  local ports=() name
  for name in GATEWAY USERS INVENTORY INVENTORY_GRPC ORDERS ORDERS_GRPC PAYMENTS PAYMENTS_GRPC NOTIFICATIONS \
              REMEDIATOR CONTROL TELEMETRY OTLP_GRPC OTLP_HTTP POSTGRES REDIS KAFKA; do
    ports+=("VIGIL_${name}_PORT=$(bench_free_port)")
  done
  bench_gateway="http://127.0.0.1:$(printf '%s\n' "${ports[@]}" | sed -n 's/^VIGIL_GATEWAY_PORT=//p')"
  # No class data sharing: it only shortens start-up, and a fresh data directory would rebuild the archives each time.
  (cd "$bench_home" && exec env "${ports[@]}" VIGIL_DATA_DIR="$bench_data" VIGIL_CDS=false "${bench_env[@]}" "$@" \
    ./vigil up --no-load --timeout=420) \
    >"$bench_data/up.log" 2>&1 &
  bench_launcher_pid=$!
  local deadline=$((SECONDS + 450))
  until grep -q "all ready" "$bench_data/up.log"; do
    if ! kill -0 "$bench_launcher_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "the $label stack did not start; last lines of $bench_data/up.log:" >&2
      tail -20 "$bench_data/up.log" >&2
      bench_down
      exit 1
    fi
    sleep 1
  done
  echo "[bench] $label stack ready ($(grep -o 'all ready in [0-9.]* s' "$bench_data/up.log"), gateway $bench_gateway)"
  # Ready is not warm: freshly started JVMs on a busy machine miss the gateway's 2 s deadline (503) for a while.
  # Wait (bounded) until the catalog read through gateway -> inventory answers 200 five times in a row.
  local ok=0
  deadline=$((SECONDS + 300))
  while [ "$ok" -lt 5 ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "the $label stack never answered GET /api/products with 200" >&2
      exit 1
    fi
    if curl -sf -o /dev/null --max-time 5 "$bench_gateway/api/products"; then ok=$((ok + 1)); else ok=0; sleep 2; fi
  done
}

# bench_run REPORT [loadgen options...]: bench_load, retried (bounded) while the generator's set-up (registering and
# logging in its users through a still-cold stack) fails before any load is sent. Returns the run's exit code
# (1 = thresholds breached).
bench_run() {
  local attempt rc
  for attempt in 1 2 3 4 5; do
    rc=0
    bench_load "$@" || rc=$?
    if [ -f "$1" ]; then return "$rc"; fi
    echo "[bench] load run could not start (attempt $attempt): $(grep -m1 'could not start' "$1.log" || tail -1 "$1.log")"
    sleep 20
  done
  echo "the stack does not serve the shop scenario; see $1.log" >&2
  exit 1
}

# Stops the current stack: graceful (the launcher's shutdown hook stops every process), bounded, then forced.
bench_down() {
  [ -n "$bench_launcher_pid" ] || return 0
  (cd "$bench_home" && VIGIL_DATA_DIR="$bench_data" timeout 120 ./vigil down >/dev/null 2>&1) \
    || kill -TERM "$bench_launcher_pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$bench_launcher_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
  kill -KILL "$bench_launcher_pid" 2>/dev/null || true
  wait "$bench_launcher_pid" 2>/dev/null || true
  bench_launcher_pid=""
}

bench_cleanup() {
  bench_down
  # Keep the reports and logs when asked to (BENCH_KEEP=1); the data directories are large.
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$bench_work"; else echo "[bench] kept $bench_work"; fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# bench_load REPORT [loadgen options...]: runs the load generator against the current stack; its exit code is
# returned (1 = thresholds breached), output goes to REPORT.log.
bench_load() {
  local report="$1"; shift
  # 2 users: enough for per-user reads (the rate limit is lifted); registering the default 20 at once (bcrypt, before
  # any load is sent, behind the gateway's 2 s deadline) is what a cold stack on a busy machine fails first.
  java -XX:+UseSerialGC -jar "$bench_loadgen" --target "$bench_gateway" --users 2 --quiet --report "$report" "$@" \
    >"$report.log" 2>&1
}

# bench_field REPORT EXPRESSION: a figure from a loadgen JSON report (python expression over `r`, the report).
bench_field() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
o = r["overall"]
ok = o["completed"] - o["errors"]
value = eval(sys.argv[2], {"r": r, "o": o, "ok": ok})
print(round(value, 3) if isinstance(value, float) else value)
PY
}

# bench_cpu_snapshot FILE: CPU seconds so far of every process of the current stack, by process (bench/cpu.py).
bench_cpu_snapshot() {
  python3 "$bench_home/bench/cpu.py" snapshot "$bench_launcher_pid" "$bench_data" >"$1"
}

# bench_cpu_per_request BEFORE AFTER REQUESTS: milliseconds of CPU per request per process between two snapshots,
# as JSON on stdout (names with a ':' split a process already counted; leave them out of a total).
bench_cpu_per_request() {
  python3 "$bench_home/bench/cpu.py" per-request "$@"
}

# bench_cpu_busy BEFORE AFTER SECONDS [REQUESTS]: one line, how many cores the stack kept busy over the SECONDS between
# two snapshots and its largest processes (CPU ms per request with REQUESTS, else cores).
bench_cpu_busy() {
  python3 "$bench_home/bench/cpu.py" busy "$@"
}

# bench_seconds NAME DEFAULT: the environment variable NAME as a whole number of seconds (DEFAULT when unset), or a
# message that says how to set it and exit 2.
bench_seconds() {
  local value="${!1:-$2}"
  if ! [[ "$value" =~ ^[0-9]+$ ]]; then
    echo "[bench] $1=$value is not a whole number of seconds; use e.g. $1=120" >&2
    exit 2
  fi
  echo "$value"
}
