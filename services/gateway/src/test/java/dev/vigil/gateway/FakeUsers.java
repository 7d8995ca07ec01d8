package dev.vigil.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the users service over loopback: publishes a JWKS for test keys (and can rotate them) and answers
 * the registration and login endpoints the gateway proxies. Mints tokens good and bad.
 */
public class FakeUsers {

	public static final String ISSUER = "vigil-users";

	private final HttpServer server;

	private final RSAKey key = generate("key-1");

	private final RSAKey rotatedKey = generate("key-2");

	// Same kid as the published key, different key material: a forged signature.
	private final RSAKey forgerKey = generate("key-1");

	private volatile boolean rotated;

	private volatile int usersStatus = 201;

	private volatile boolean dropConnections;

	private volatile String retryAfter;

	public final AtomicInteger jwksFetches = new AtomicInteger();

	public final List<String> received = new CopyOnWriteArrayList<>();

	FakeUsers() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/.well-known/jwks.json", (exchange) -> {
			this.jwksFetches.incrementAndGet();
			List<JWK> keys = this.rotated ? List.of(this.key.toPublicJWK(), this.rotatedKey.toPublicJWK())
					: List.of(this.key.toPublicJWK());
			respond(exchange, 200, "application/json", new JWKSet(keys).toString());
		});
		this.server.createContext("/internal/users", (exchange) -> {
			this.received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			if (this.dropConnections) {
				exchange.close(); // no status line at all: the client sees a broken connection
				return;
			}
			int status = this.usersStatus;
			if (status == 201) {
				respond(exchange, 201, "application/json",
						"{\"id\":\"" + UUID.randomUUID() + "\",\"email\":\"a@example.com\",\"name\":\"A\"}");
			}
			else {
				if (this.retryAfter != null) {
					exchange.getResponseHeaders().set("Retry-After", this.retryAfter);
				}
				respond(exchange, status, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"T\","
						+ "\"status\":" + status + ",\"detail\":\"from users\",\"instance\":\"/internal/users\"}");
			}
		});
		this.server.createContext("/internal/sessions", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			respond(exchange, 200, "application/json", "{\"accessToken\":\"" + token("user-1")
					+ "\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}");
		});
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.start();
	}

	private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public void rotate() {
		this.rotated = true;
	}

	public void answerRegistrationsWith(int status) {
		this.usersStatus = status;
	}

	/** Registrations are refused the way users sheds load: 503 with Retry-After. */
	public void shedRegistrations(String retryAfter) {
		this.usersStatus = 503;
		this.retryAfter = retryAfter;
	}

	/** Registration requests are read and then the connection is dropped without an answer. */
	public void dropConnections() {
		this.dropConnections = true;
	}

	public void reset() {
		this.dropConnections = false;
		this.usersStatus = 201;
		this.retryAfter = null;
		this.received.clear();
	}

	public String token(String subject) {
		return sign(this.key, claims(subject, ISSUER, 3600));
	}

	public String rotatedKeyToken(String subject) {
		return sign(this.rotatedKey, claims(subject, ISSUER, 3600));
	}

	public String expiredToken(String subject) {
		return sign(this.key, claims(subject, ISSUER, -600));
	}

	public String wrongIssuerToken(String subject) {
		return sign(this.key, claims(subject, "someone-else", 3600));
	}

	public String forgedToken(String subject) {
		return sign(this.forgerKey, claims(subject, ISSUER, 3600));
	}

	public String unsignedToken(String subject) {
		return new PlainJWT(claims(subject, ISSUER, 3600)).serialize();
	}

	/** HS256 "signed" with the public modulus as secret: the classic RS256/HS256 confusion attack. */
	public String hmacToken(String subject) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(),
					claims(subject, ISSUER, 3600));
			jwt.sign(new MACSigner(this.key.getModulus().decode()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JWTClaimsSet claims(String subject, String issuer, long expiresInSeconds) {
		Date now = new Date();
		return new JWTClaimsSet.Builder().subject(subject)
			.issuer(issuer)
			.claim("email", subject + "@example.com")
			.issueTime(now)
			.expirationTime(new Date(now.getTime() + expiresInSeconds * 1000))
			.build();
	}

	private static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey generate(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
