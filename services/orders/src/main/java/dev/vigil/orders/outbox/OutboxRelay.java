package dev.vigil.orders.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.vigil.platform.telemetry.KafkaTracing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Relays outbox rows to Kafka: oldest first, in batches, marking a row published only after the broker acknowledged
 * it (acks=all, idempotent producer). While Kafka is unreachable the rows simply stay and are retried on every poll;
 * a crash between ack and mark re-sends the row, which consumers dedupe by order id (at-least-once).
 * <p>
 * {@code FOR UPDATE SKIP LOCKED} lets several orders instances relay concurrently without sending a row twice.
 */
@Component
class OutboxRelay {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final Duration WARN_EVERY = Duration.ofSeconds(30);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final KafkaTemplate<String, String> kafka;

	private final String topic;

	private final int batchSize;

	private final Duration ackTimeout;

	private final AtomicLong backlog = new AtomicLong();

	private final AtomicLong oldestAgeMillis = new AtomicLong();

	private volatile long lastWarnNanos = System.nanoTime() - WARN_EVERY.toNanos();

	OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, String> kafka,
			MeterRegistry registry, @Value("${vigil.outbox.topic}") String topic,
			@Value("${vigil.outbox.batch-size:100}") int batchSize,
			@Value("${vigil.outbox.ack-timeout:15s}") Duration ackTimeout) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.kafka = kafka;
		this.topic = topic;
		this.batchSize = batchSize;
		this.ackTimeout = ackTimeout;
		Gauge.builder("vigil.outbox.backlog", this.backlog, AtomicLong::get)
			.description("Outbox events not yet acknowledged by Kafka")
			.register(registry);
		Gauge.builder("vigil.outbox.oldest.age", this.oldestAgeMillis, (age) -> age.get() / 1000.0)
			.description("Age of the oldest unpublished outbox event")
			.baseUnit("seconds")
			.register(registry);
	}

	@Scheduled(fixedDelayString = "${vigil.outbox.poll-interval:200ms}")
	void relay() {
		try {
			Batch batch;
			do {
				batch = this.transactions.execute((status) -> publishBatch());
				if (batch.failure() != null) {
					warn(batch.failure());
					break;
				}
			}
			while (batch.selected() == this.batchSize);
		}
		catch (RuntimeException ex) {
			warn(ex);
		}
		finally {
			refreshGauges();
		}
	}

	/** Deletes published rows after the retention: the outbox is a queue, not an archive. */
	@Scheduled(fixedDelayString = "${vigil.outbox.cleanup-interval:10m}")
	void deletePublished() {
		this.jdbc.sql("delete from outbox where published_at < now() - interval '1 day'").update();
	}

	long backlog() {
		return this.backlog.get();
	}

	private Batch publishBatch() {
		List<OutboxRow> rows = this.jdbc.sql("""
				select id, aggregate_id, event_type, payload, traceparent from outbox
				where published_at is null
				order by id
				limit :batch
				for update skip locked
				""")
			.param("batch", this.batchSize)
			.query((rs, n) -> new OutboxRow(rs.getLong("id"), rs.getObject("aggregate_id", UUID.class),
					rs.getString("event_type"), rs.getString("payload"), rs.getString("traceparent")))
			.list();
		if (rows.isEmpty()) {
			return new Batch(0, null);
		}
		// Send the whole batch before waiting, so the producer can pipeline it; idempotence keeps per-partition
		// order even with retries.
		List<CompletableFuture<SendResult<String, String>>> sends = new ArrayList<>(rows.size());
		RuntimeException failure = null;
		for (OutboxRow row : rows) {
			try {
				sends.add(send(row));
			}
			catch (RuntimeException ex) {
				failure = ex;
				break;
			}
		}
		List<Long> acked = new ArrayList<>(sends.size());
		for (int i = 0; i < sends.size(); i++) {
			try {
				sends.get(i).get(this.ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
				acked.add(rows.get(i).id());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failure = new IllegalStateException("interrupted", ex);
				break;
			}
			catch (Exception ex) {
				failure = (failure != null) ? failure : new IllegalStateException(ex.getMessage(), ex);
			}
		}
		if (!acked.isEmpty()) {
			this.jdbc.sql("update outbox set published_at = now() where id in (:ids)").param("ids", acked).update();
		}
		return new Batch(rows.size(), failure);
	}

	private CompletableFuture<SendResult<String, String>> send(OutboxRow row) {
		return this.kafka.send(record(row));
	}

	/**
	 * The row's {@code traceparent} (the request that wrote it) goes on the record: the platform's producer
	 * interceptor prefers it over the relay thread's context, so the producer span joins the order's trace although
	 * it is sent later, and replaces it with the producer span's own context for the consumer to link to.
	 */
	private ProducerRecord<String, String> record(OutboxRow row) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, row.aggregateId().toString(),
				row.payload());
		record.headers().add("event_type", row.eventType().getBytes(StandardCharsets.UTF_8));
		if (row.traceparent() != null) {
			record.headers().add(KafkaTracing.TRACEPARENT, row.traceparent().getBytes(StandardCharsets.UTF_8));
		}
		return record;
	}

	private void refreshGauges() {
		try {
			this.jdbc.sql("""
					select count(*) as backlog,
					       coalesce(extract(epoch from now() - min(created_at)) * 1000, 0) as oldest_ms
					from outbox where published_at is null
					""").query((rs) -> {
				this.backlog.set(rs.getLong("backlog"));
				this.oldestAgeMillis.set(rs.getLong("oldest_ms"));
			});
		}
		catch (RuntimeException ex) {
			warn(ex);
		}
	}

	/** At most one warning per interval: an outage must not flood the logs. */
	private void warn(Exception failure) {
		long now = System.nanoTime();
		if (now - this.lastWarnNanos >= WARN_EVERY.toNanos()) {
			this.lastWarnNanos = now;
			log.warn("Outbox relay cannot publish to {} ({} event(s) waiting, will retry): {}", this.topic,
					this.backlog.get(), rootMessage(failure));
		}
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	private record OutboxRow(long id, UUID aggregateId, String eventType, String payload, String traceparent) {
	}

	private record Batch(int selected, RuntimeException failure) {
	}

}
