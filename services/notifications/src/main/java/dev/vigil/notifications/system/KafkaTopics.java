package dev.vigil.notifications.system;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * orders.v1 is created by whichever of orders and notifications starts first (KafkaAdmin leaves an existing topic
 * alone), so this consumer can start before the producer. orders.v1.retry and orders.v1.dlt are created by the
 * retryable-topic setup of OrderPlacedListener with the same partitions and replication.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

	@Bean
	NewTopic ordersTopic(@Value("${vigil.notifications.topic:orders.v1}") String topic,
			@Value("${vigil.kafka.partitions:3}") int partitions,
			@Value("${vigil.kafka.replication-factor:1}") short replicationFactor) {
		return TopicBuilder.name(topic).partitions(partitions).replicas(replicationFactor).build();
	}

}
