package dev.vigil.orders.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A plain Kafka consumer in its own group that accumulates what it has read; call {@link #poll()} to read more. */
public final class TopicReader implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

	public TopicReader(String bootstrapServers, String topic) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest"), new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(topic));
	}

	public List<ConsumerRecord<String, String>> poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.records::add);
		return this.records;
	}

	public List<ConsumerRecord<String, String>> withKey(String key) {
		return poll().stream().filter((r) -> key.equals(r.key())).toList();
	}

	@Override
	public void close() {
		this.consumer.close(Duration.ofSeconds(2));
	}

}
