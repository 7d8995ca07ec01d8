#!/usr/bin/env python3
"""Where a JVM's CPU samples go, by kind of code: reads `jfr print --events jdk.ExecutionSample` output and
attributes each sample to the innermost frame that is not JDK code (JDK frames count for their caller, so a
HashMap.get inside the tracing bridge is tracing), then groups those frames by package into the categories below.

  jfr-breakdown.py SAMPLES.txt [NAME]
"""
import collections
import re
import sys

# First match wins: the more specific prefixes come first.
CATEGORIES = [
    ("logs -> OTLP (appender, SDK, export)", ("io.opentelemetry.instrumentation.logback", "io.opentelemetry.sdk.logs")),
    ("spans -> OTLP (batch processor, marshal, HTTP)", ("io.opentelemetry.exporter", "io.opentelemetry.sdk.trace.export",
                                                        "okhttp3", "okio", "io.micrometer.tracing.otel.bridge.CompositeSpanExporter",
                                                        "io.micrometer.tracing.otel.bridge.OtelFinishedSpan")),
    ("metrics -> OTLP (registry, publish)", ("io.micrometer.registry.otlp", "io.opentelemetry.proto")),
    ("tracing (SDK, Micrometer bridge, JDBC/Kafka instr.)", ("io.opentelemetry", "io.micrometer.tracing")),
    ("observations + meters (on and off)", ("io.micrometer", "io.prometheus")),
    ("logging (Logback, JSON)", ("ch.qos.logback", "org.slf4j", "net.logstash", "dev.vigil.platform.telemetry.Scrubbing",
                                 "org.springframework.boot.logging")),
    ("JWT (RS256 verify)", ("com.nimbusds",)),
    ("PostgreSQL driver + pool", ("org.postgresql", "com.zaxxer")),
    ("gRPC + Netty", ("io.grpc", "io.netty")),
    ("Tomcat + Spring MVC + Jackson", ("org.apache", "org.springframework", "tools.jackson", "com.fasterxml", "jakarta")),
    ("protobuf", ("com.google.protobuf",)),
    ("Vigil code", ("dev.vigil",)),
]
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.")


def category(frames):
    for frame in frames:
        if frame.startswith(JDK):
            continue
        for name, prefixes in CATEGORIES:
            if frame.startswith(prefixes):
                return name
        return "other: " + ".".join(frame.split(".")[:2])
    return "JDK only (GC-free runtime, I/O)"


def main():
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else path
    counts, total = collections.Counter(), 0
    for event in open(path).read().split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if frames:
            total += 1
            counts[category(frames)] += 1
    print(f"== {name}: {total} CPU samples by kind of code (innermost non-JDK frame)")
    for kind, n in counts.most_common():
        print(f"  {100 * n / total:5.1f} %  {kind}")


if __name__ == "__main__":
    main()
