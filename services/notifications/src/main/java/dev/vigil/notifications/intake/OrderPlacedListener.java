package dev.vigil.notifications.intake;

import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.retrytopic.SameIntervalTopicReuseStrategy;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Consumes orders.v1. A failing record moves to orders.v1.retry (non-blocking: the partition keeps flowing) and,
 * after the last attempt, to orders.v1.dlt; poison records skip the retries. The offset is committed after the
 * listener returns (ack mode RECORD), i.e. after the database transaction committed.
 */
@Component
class OrderPlacedListener {

	private static final Logger log = LoggerFactory.getLogger(OrderPlacedListener.class);

	private final OrderIntake intake;

	private final Counter deadLettered;

	OrderPlacedListener(OrderIntake intake, MeterRegistry registry) {
		this.intake = intake;
		this.deadLettered = Counter.builder("vigil.dead.lettered")
			.description("Records moved to a dead-letter topic")
			.tag("topic", "orders.v1")
			.register(registry);
	}

	@RetryableTopic(attempts = "${vigil.notifications.attempts:4}",
			backOff = @BackOff(delayString = "${vigil.notifications.retry-delay:1000}"),
			sameIntervalTopicReuseStrategy = SameIntervalTopicReuseStrategy.SINGLE_TOPIC, retryTopicSuffix = ".retry",
			dltTopicSuffix = ".dlt", numPartitions = "${vigil.kafka.partitions:3}",
			replicationFactor = "${vigil.kafka.replication-factor:1}", exclude = PoisonMessageException.class,
			traversingCauses = "true")
	@KafkaListener(topics = "${vigil.notifications.topic:orders.v1}", groupId = "notifications")
	void onOrderPlaced(ConsumerRecord<String, String> record) {
		this.intake.record(OrderPlacedParser.parse(record.value()), record.partition(), record.offset());
	}

	@DltHandler
	void onDeadLetter(ConsumerRecord<String, String> record) {
		this.deadLettered.increment();
		// The key is the order id; the payload is not logged (it is unparsable, or it failed repeatedly).
		log.error("Dead-lettered record key={} from {}-{}@{}: {}", record.key(), record.topic(), record.partition(),
				record.offset(), header(record, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN));
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "unknown";
	}

}
