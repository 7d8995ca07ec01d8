package dev.vigil.gateway.auth;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.vigil.gateway.system.GatewayProperties;

import org.springframework.stereotype.Component;

/**
 * Verifies access tokens issued by the users service. RS256 only: unsigned ({@code alg: none}) and HMAC tokens
 * are rejected before any key lookup, which closes the classic algorithm-confusion attacks. Keys come from the
 * users JWKS, cached; a token naming an unknown {@code kid} triggers a (rate-limited) refetch, so key rotation
 * needs no gateway restart.
 */
@Component
class AccessTokenVerifier {

	// Longer tokens are not ours; refusing them early bounds parsing work per request.
	private static final int MAX_TOKEN_LENGTH = 4096;

	private static final int MAX_SUBJECT_LENGTH = 128;

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	AccessTokenVerifier(GatewayProperties properties) throws MalformedURLException {
		GatewayProperties.Auth auth = properties.auth();
		int timeoutMillis = (int) properties.resilience().deadline().toMillis();
		JWKSourceBuilder<SecurityContext> keys = JWKSourceBuilder
			.<SecurityContext>create(auth.jwksUrl().toURL(),
					new DefaultResourceRetriever(timeoutMillis, timeoutMillis, 64 * 1024))
			.cache(auth.jwksCacheTtl().toMillis(), timeoutMillis)
			.refreshAheadCache(false)
			// Users down after the cache expired: keep verifying with the keys we had rather than failing closed
			// for every request.
			.outageTolerant(auth.jwksCacheTtl().multipliedBy(12).toMillis())
			.retrying(false);
		long minRefresh = auth.jwksMinRefreshInterval().toMillis();
		keys = (minRefresh > 0) ? keys.rateLimited(minRefresh) : keys.rateLimited(false);
		JWKSource<SecurityContext> source = keys.build();
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, source));
		this.processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
				new JWTClaimsSet.Builder().issuer(auth.issuer()).build(), Set.of("sub", "exp", "iss")));
	}

	Caller verify(String token) throws InvalidTokenException, SigningKeysUnavailableException {
		if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
			throw new InvalidTokenException("Malformed token");
		}
		try {
			JWTClaimsSet claims = this.processor.process(token, null);
			String subject = claims.getSubject();
			if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
				throw new InvalidTokenException("Invalid subject");
			}
			return new Caller(subject);
		}
		catch (KeySourceException ex) {
			throw new SigningKeysUnavailableException(ex);
		}
		catch (ParseException | BadJOSEException | JOSEException | RuntimeException ex) {
			// RuntimeException: nimbus can throw e.g. IllegalArgumentException on hostile input; still a bad token.
			throw new InvalidTokenException(ex.getClass().getSimpleName());
		}
	}

}
