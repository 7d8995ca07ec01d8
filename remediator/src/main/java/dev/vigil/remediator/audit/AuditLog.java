package dev.vigil.remediator.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Append-only audit trail: every decision becomes one JSON line in a file (kept across restarts), a log line, a
 * metric, and an entry in a bounded in-memory window served by GET /api/actions.
 */
public final class AuditLog {

	private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path file;

	private final int capacity;

	private final Deque<Decision> recent = new ArrayDeque<>();

	private final MeterRegistry meters;

	private final Counter fileErrors;

	public AuditLog(Path file, int capacity, MeterRegistry meters) {
		this.file = file;
		this.capacity = capacity;
		this.meters = meters;
		this.fileErrors = Counter.builder("vigil.remediation.audit.write.errors")
			.description("Audit lines that could not be appended to the audit file")
			.register(meters);
	}

	public synchronized void append(Decision decision) {
		if (recent.size() == capacity) {
			recent.removeFirst(); // still in the file: the window only bounds memory
		}
		recent.addLast(decision);
		meters.counter("vigil.remediation.decisions", "outcome", decision.outcome().name().toLowerCase(), "action",
				decision.action() == null ? "none" : decision.action()).increment();
		log.info("remediation {} alert={} target={} policy={}: {}", decision.outcome(), decision.alertname(),
				decision.target(), decision.policy(), decision.reason());
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, JSON.writeValueAsString(decision) + "\n", StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			fileErrors.increment();
			log.warn("cannot append to audit file {}: {}", file, ex.getMessage());
		}
	}

	/** The most recent decisions, newest first. */
	public synchronized List<Decision> recent(int limit) {
		List<Decision> newestFirst = new ArrayList<>(recent);
		java.util.Collections.reverse(newestFirst);
		return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
	}

}
