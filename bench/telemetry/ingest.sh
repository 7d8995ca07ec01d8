#!/usr/bin/env bash
# OTLP/gRPC metrics ingest: vigil-telemetry pinned to core 1 (and told it has one processor), the load client pinned
# to core 0, real OTLP/gRPC over loopback, requests of 1,000 data points. Prints samples/s on that one core, and
# samples per CPU-second of the server process (the honest figure when the machine is shared).
# Usage: bench/telemetry/ingest.sh [mixed|counters] [instances] [warmupSeconds] [seconds]
# Build first:  ./mvnw -q -o -pl telemetry test-compile
set -euo pipefail
cd "$(dirname "$0")/../.."
SHAPE="${1:-mixed}"
INSTANCES="${2:-4}"
WARMUP="${3:-10}"
MEASURE="${4:-20}"
DEPS="$(mktemp)"
./mvnw -q -o -pl telemetry dependency:build-classpath -Dmdep.outputFile="$DEPS" -Dmdep.includeScope=test
CP="telemetry/target/classes:telemetry/target/test-classes:$(cat "$DEPS")"
rm -f "$DEPS"
OUT="$(mktemp)"
taskset -c 1 java -XX:ActiveProcessorCount=1 -Xms1g -Xmx1g ${SERVER_JAVA_OPTS:-} -cp "$CP" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.vigil.telemetry.bench.IngestServer "$WARMUP" "$MEASURE" > "$OUT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$OUT"' EXIT
PORT=""
for _ in $(seq 300); do PORT="$(grep -m1 -E '^[0-9]+$' "$OUT" || true)"; [ -n "$PORT" ] && break; sleep 0.1; done
[ -n "$PORT" ] || { echo "server did not start"; cat "$OUT"; exit 1; }
echo "load before: $(uptime)"
taskset -c 0 java -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xmx512m -cp "$CP" \
  dev.vigil.telemetry.bench.IngestClient 127.0.0.1 "$PORT" "$SHAPE" "$INSTANCES" 4 2>/dev/null &
CLIENT=$!
wait $SERVER || true
kill $CLIENT 2>/dev/null || true
wait $CLIENT 2>/dev/null || true
grep -v -E '^[0-9]+$' "$OUT"
echo "load after: $(uptime)"
