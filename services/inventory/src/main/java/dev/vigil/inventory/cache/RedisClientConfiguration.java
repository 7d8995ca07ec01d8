package dev.vigil.inventory.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
class RedisClientConfiguration {

	/**
	 * Lettuce's default is to queue commands while disconnected and let them time out; for a cache that means every
	 * request waits the full command timeout during an outage. Rejecting immediately lets reads fall back to
	 * PostgreSQL at once, while auto-reconnect restores the cache when Redis returns.
	 */
	@Bean
	LettuceClientConfigurationBuilderCustomizer failFastWhenDisconnected(DataRedisProperties properties) {
		SocketOptions.Builder socket = SocketOptions.builder();
		if (properties.getConnectTimeout() != null) {
			socket.connectTimeout(properties.getConnectTimeout());
		}
		return (builder) -> builder.clientOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(socket.build())
			.build());
	}

}
