package dev.vigil.users.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

@Component
@EnableConfigurationProperties(TokenProperties.class)
public class TokenIssuer {

	private final SigningKeys keys;

	private final TokenProperties properties;

	private final Clock clock = Clock.systemUTC();

	TokenIssuer(SigningKeys keys, TokenProperties properties) {
		this.keys = keys;
		this.properties = properties;
	}

	public IssuedToken issue(UUID userId, String email) {
		RSAKey key = this.keys.active();
		Instant now = this.clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId.toString())
			.claim("email", email)
			.issuer(this.properties.issuer())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.properties.ttl())))
			.jwtID(UUID.randomUUID().toString())
			.build();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
			.type(JOSEObjectType.JWT)
			.build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign token", ex);
		}
		return new IssuedToken(jwt.serialize(), this.properties.ttl().toSeconds());
	}

}
