package dev.vigil.gateway.system;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything an operator may tune in the gateway; defaults in application.yaml.
 *
 * @param usersUrl base URL of the users service (REST)
 * @param auth JWT validation
 * @param rateLimit per-client token buckets
 * @param resilience circuit breaker, deadline and retry settings for every downstream call
 * @param catalog bounds of the degraded-mode catalog cache
 */
@ConfigurationProperties("vigil.gateway")
public record GatewayProperties(URI usersUrl, Auth auth, RateLimit rateLimit, Resilience resilience,
		Catalog catalog) {

	/**
	 * @param issuer the only accepted {@code iss}
	 * @param jwksUrl where signing keys are published
	 * @param jwksCacheTtl how long fetched keys are trusted before a refetch
	 * @param jwksMinRefreshInterval minimum time between refetches triggered by unknown key ids
	 */
	public record Auth(@DefaultValue("vigil-users") String issuer, URI jwksUrl,
			@DefaultValue("5m") Duration jwksCacheTtl, @DefaultValue("30s") Duration jwksMinRefreshInterval) {
	}

	/**
	 * @param requestsPerSecond sustained rate per client
	 * @param burst bucket capacity
	 * @param maxClients clients tracked at once; least recently seen are forgotten first
	 */
	public record RateLimit(@DefaultValue("50") double requestsPerSecond, @DefaultValue("100") int burst,
			@DefaultValue("100000") long maxClients) {
	}

	/**
	 * @param deadline per-call deadline (gRPC) or read timeout (REST)
	 * @param failureRateThreshold percentage of failed calls that opens the circuit
	 * @param slidingWindowSize calls the failure rate is computed over
	 * @param minimumNumberOfCalls calls before the failure rate counts
	 * @param openDuration how long an open circuit rejects calls before probing
	 * @param retryMaxAttempts attempts for idempotent calls (1 = no retry)
	 * @param retryBackoff initial wait between attempts, doubled each time
	 */
	public record Resilience(@DefaultValue("2s") Duration deadline, @DefaultValue("50") float failureRateThreshold,
			@DefaultValue("20") int slidingWindowSize, @DefaultValue("10") int minimumNumberOfCalls,
			@DefaultValue("10s") Duration openDuration, @DefaultValue("3") int retryMaxAttempts,
			@DefaultValue("100ms") Duration retryBackoff) {
	}

	public record Catalog(@DefaultValue("1000") long maxCachedPages, @DefaultValue("10000") long maxCachedProducts) {
	}

}
