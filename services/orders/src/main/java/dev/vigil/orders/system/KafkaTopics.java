package dev.vigil.orders.system;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * orders.v1 is created at startup by whichever of orders and notifications starts first (KafkaAdmin leaves an
 * existing topic alone). Replication factor 1 suits the single local broker; clusters set VIGIL_KAFKA_REPLICATION.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

	@Bean
	NewTopic ordersTopic(@Value("${vigil.outbox.topic}") String topic,
			@Value("${vigil.kafka.partitions:3}") int partitions,
			@Value("${vigil.kafka.replication-factor:1}") short replicationFactor) {
		return TopicBuilder.name(topic).partitions(partitions).replicas(replicationFactor).build();
	}

}
