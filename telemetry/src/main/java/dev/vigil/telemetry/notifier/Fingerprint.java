package dev.vigil.telemetry.notifier;

import dev.vigil.telemetry.tsdb.Labels;
import java.nio.charset.StandardCharsets;

/** Alertmanager's alert fingerprint: FNV-1a 64 over sorted label names and values, as {@code model.LabelSet}. */
final class Fingerprint {

	private static final long OFFSET = 0xcbf29ce484222325L;

	private static final long PRIME = 0x100000001b3L;

	private Fingerprint() {
	}

	static String of(Labels labels) {
		long h = OFFSET;
		for (int i = 0; i < labels.size(); i++) {
			h = add(h, labels.name(i));
			h = (h ^ 0xff) * PRIME;
			h = add(h, labels.value(i));
			h = (h ^ 0xff) * PRIME;
		}
		return String.format("%016x", h);
	}

	private static long add(long h, String s) {
		for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
			h = (h ^ (b & 0xff)) * PRIME;
		}
		return h;
	}

}
