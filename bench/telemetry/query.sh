#!/usr/bin/env bash
# PromQL range-query latency: sum by (job) (rate(x[5m])) over 1,000 series x 1 h at a 15 s step, on one pinned core
# (also prints compression figures). Prints wall p50/p90 and the thread's CPU p50 (the honest figure when the
# machine is shared). Target: p50 <= 50 ms.
# Usage: bench/telemetry/query.sh
# Build first:  ./mvnw -q -o -pl telemetry test-compile
set -euo pipefail
cd "$(dirname "$0")/../.."
DEPS="$(mktemp)"
./mvnw -q -o -pl telemetry dependency:build-classpath -Dmdep.outputFile="$DEPS" -Dmdep.includeScope=test
CP="telemetry/target/classes:telemetry/target/test-classes:$(cat "$DEPS")"
rm -f "$DEPS"
echo "load before: $(uptime)"
taskset -c 1 java -XX:ActiveProcessorCount=1 -Xmx1g -cp "$CP" dev.vigil.telemetry.bench.MetricsBench
echo "load after: $(uptime)"
