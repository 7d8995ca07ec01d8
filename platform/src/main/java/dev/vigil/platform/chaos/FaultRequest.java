package dev.vigil.platform.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What a caller asks for (the JSON body of POST /actuator/chaos), validated into a {@link Fault}. Bounds keep a typo
 * from taking the machine down: TTL 1 s to 1 h, latency up to 60 s, up to 4 CPU threads and 512 MB of heap (and a
 * memory fault never holds more than fills the old generation to 95 %, see {@link ChaosFaults#roomInMegabytes}).
 */
public record FaultRequest(String type, Long latencyMs, Long jitterMs, Double rate, Integer threads, Integer megabytes,
		String target, String ttl) {

	static final Duration MAX_TTL = Duration.ofHours(1);

	Fault toFault(Instant now) {
		FaultType faultType = parsedType();
		Duration lifetime = parsedTtl();
		long latency = 0;
		long jitter = 0;
		double share = 0;
		int busy = 0;
		int held = 0;
		switch (faultType) {
			case LATENCY, SLOW_DB -> {
				latency = bounded("latencyMs", latencyMs, 1, 60_000);
				jitter = jitterMs == null ? 0 : bounded("jitterMs", jitterMs, 0, latency);
			}
			case ERROR, EXCEPTION, DEPENDENCY_FAILURE -> share = parsedRate();
			case CPU -> busy = (int) bounded("threads", threads == null ? null : threads.longValue(), 1, 4);
			case MEMORY -> held = (int) bounded("megabytes", megabytes == null ? null : megabytes.longValue(), 1, 512);
		}
		return new Fault(UUID.randomUUID().toString(), faultType, latency, jitter, share, busy, held,
				target == null ? "" : target, now, now.plus(lifetime));
	}

	private FaultType parsedType() {
		if (type == null || type.isBlank()) {
			throw new ChaosException("type is missing; use one of " + java.util.Arrays.toString(FaultType.values()));
		}
		try {
			return FaultType.valueOf(type.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			throw new ChaosException("type \"" + type + "\" is unknown; use one of "
					+ java.util.Arrays.toString(FaultType.values()));
		}
	}

	private Duration parsedTtl() {
		if (ttl == null || ttl.isBlank()) {
			throw new ChaosException("ttl is missing; every fault needs one, e.g. \"ttl\": \"60s\" (at most 1h)");
		}
		Duration duration;
		try {
			duration = Duration.parse("PT" + ttl.trim().toUpperCase(Locale.ROOT));
		}
		catch (java.time.format.DateTimeParseException ex) {
			throw new ChaosException("ttl \"" + ttl + "\" is not a duration; use e.g. 30s, 5m or 1h");
		}
		if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_TTL) > 0) {
			throw new ChaosException("ttl " + ttl + " is out of range; use 1s to 1h");
		}
		return duration;
	}

	private double parsedRate() {
		if (rate == null || rate.isNaN() || rate < 0 || rate > 1) {
			throw new ChaosException("rate must be a number from 0 to 1 (the share of calls that fail), not " + rate);
		}
		return rate;
	}

	private static long bounded(String field, Long value, long min, long max) {
		if (value == null || value < min || value > max) {
			throw new ChaosException(field + " must be from " + min + " to " + max + ", not " + value);
		}
		return value;
	}

}
