#!/usr/bin/env bash
# Max sustainable rate of the load generator on ONE core against a trivial endpoint on another core.
# Build first:  ./mvnw -q -o -pl loadgen test-compile
set -euo pipefail
cd "$(dirname "$0")/../.."
DEPS="$(mktemp)"
./mvnw -q -o -pl loadgen dependency:build-classpath -Dmdep.outputFile="$DEPS" -Dmdep.includeScope=compile
CP="loadgen/target/classes:loadgen/target/test-classes:$(cat "$DEPS")"
rm -f "$DEPS"
SECONDS_PER_STEP="${1:-5}"
PORT_FILE="$(mktemp)"
taskset -c 1 java -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -cp "$CP" dev.vigil.loadgen.bench.TrivialServer > "$PORT_FILE" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 50); do [ -s "$PORT_FILE" ] && break; sleep 0.1; done
PORT="$(head -1 "$PORT_FILE")"
taskset -c 0 java -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xmx512m -cp "$CP" \
  dev.vigil.loadgen.bench.MaxRateBench "http://127.0.0.1:${PORT}/" "$SECONDS_PER_STEP" 100
