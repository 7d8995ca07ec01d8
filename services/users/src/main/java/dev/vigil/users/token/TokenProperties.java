package dev.vigil.users.token;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param issuer the {@code iss} claim; the gateway accepts only this issuer
 * @param ttl access token lifetime (default 1 h)
 */
@ConfigurationProperties("vigil.users.token")
record TokenProperties(@DefaultValue("vigil-users") String issuer, @DefaultValue("1h") Duration ttl) {
}
