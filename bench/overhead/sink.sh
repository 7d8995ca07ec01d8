# The discard sink for bench/overhead/run.sh and profile.sh (source it after ../stack.sh).
# sink_start LOG: starts DiscardSink.java on a free port (bounded wait until it listens) and sets sink_env to the
# variables that send every service's OTLP there. sink_stop: stops it; its log then holds what it received.

sink_pid=""
sink_env=()

sink_start() {
  local log="$1" port
  port=$(bench_free_port)
  java -XX:+UseSerialGC -Xmx64m "$(dirname "${BASH_SOURCE[0]}")/DiscardSink.java" "$port" >"$log" 2>&1 &
  sink_pid=$!
  # Run from source: compiled first, which takes seconds on a busy machine.
  local deadline=$((SECONDS + 120))
  until grep -qs listening "$log"; do
    if ! kill -0 "$sink_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "the discard sink did not start; see $log" >&2
      exit 1
    fi
    sleep 1
  done
  # The per-signal OTLP endpoints win over the OTEL_EXPORTER_OTLP_ENDPOINT the launcher gives every service
  # (OpenTelemetry's rule, which Spring Boot's mapping of the OTEL_* variables follows); the launcher passes its own
  # environment on to the processes it starts.
  sink_env=(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://127.0.0.1:$port/v1/traces"
            OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="http://127.0.0.1:$port/v1/logs"
            OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="http://127.0.0.1:$port/v1/metrics")
}

sink_stop() {
  if [ -n "$sink_pid" ]; then
    kill -TERM "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
    sink_pid=""
  fi
}
