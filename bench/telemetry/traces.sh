#!/usr/bin/env bash
# Trace store figures: span ingest over OTLP/gRPC into a server pinned to one core, trace by id and TraceQL search
# over the stored spans (1,000,000: the default span budget), and heap per stored span.
#   bench/telemetry/traces.sh [spans=2000000] [data dir: empty = in memory]
# SERVER_JAVA_OPTS adds JVM flags to the server (e.g. -XX:StartFlightRecording=filename=/tmp/t.jfr to profile it);
# SKIP_MEMORY=1 skips the heap-per-span run.
# The server runs on core 1 with -XX:ActiveProcessorCount=1; the client on core 0. Ingest is reported both per
# wall-clock second and per CPU-second of the server process (the honest figure on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
SPANS=${1:-2000000}
DATA_DIR=${2:-}
./mvnw -q -o -pl telemetry test-compile
CP_FILE=$(mktemp)
./mvnw -q -o -pl telemetry dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="telemetry/target/classes:telemetry/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
LOG=$(mktemp)
echo "load before: $(uptime)"
taskset -c 1 java -XX:ActiveProcessorCount=1 -Xmx3g ${SERVER_JAVA_OPTS:-} -cp "$CP" dev.vigil.telemetry.TelemetryMain \
  --listen-address=127.0.0.1 --http-port=0 --otlp-grpc-port=0 --otlp-http-port=0 --data-dir="$DATA_DIR" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 300); do
  grep -q "vigil-telemetry ready" "$LOG" && break
  sleep 0.1
done
READY=$(grep "vigil-telemetry ready" "$LOG") || { cat "$LOG"; exit 1; }
HTTP_PORT=$(sed -E 's/.*ready: HTTP :([0-9]+),.*/\1/' <<<"$READY")
GRPC_PORT=$(sed -E 's/.*OTLP gRPC :([0-9]+),.*/\1/' <<<"$READY")
taskset -c 0 java -Xmx1g -cp "$CP" dev.vigil.telemetry.bench.TraceBench client "$GRPC_PORT" "$HTTP_PORT" "$SERVER" "$SPANS"
echo "load after: $(uptime)"
kill $SERVER
wait $SERVER 2>/dev/null || true
[ "${SKIP_MEMORY:-}" = 1 ] || taskset -c 1 java -XX:ActiveProcessorCount=1 -Xmx3g -cp "$CP" dev.vigil.telemetry.bench.TraceBench memory 1000000
