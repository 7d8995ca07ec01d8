package dev.vigil.gateway.auth;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.vigil.gateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationTests extends GatewayIntegrationTest {

	private static final Map<String, Function<String, String>> BAD_TOKENS = Map.of("expired", USERS::expiredToken,
			"forged", USERS::forgedToken, "alg-none", USERS::unsignedToken, "hs256", USERS::hmacToken,
			"wrong-issuer", USERS::wrongIssuerToken, "garbage", (sub) -> "not.a.jwt",
			"signature-stripped", (sub) -> USERS.token(sub).replaceAll("\\.[^.]+$", "."));

	@ParameterizedTest
	@ValueSource(strings = { "expired", "forged", "alg-none", "hs256", "wrong-issuer", "garbage",
			"signature-stripped" })
	void shouldRejectBadTokensWith401InvalidToken(String kind) {
		String token = BAD_TOKENS.get(kind).apply(newSubject());

		for (String path : new String[] { "/api/orders", "/api/products" }) {
			HttpResponse<String> response = get(path, token);

			assertProblem(response, 401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
		}
		assertThat(ORDERS.calls.get()).isZero();
	}

	@Test
	void shouldRequireATokenForOrders() {
		HttpResponse<String> list = get("/api/orders", null);
		HttpResponse<String> place = placeOrder(null, "key-1", "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":1}]}");

		assertProblem(list, 401);
		assertProblem(place, 401);
		assertThat(list.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		assertThat(ORDERS.calls.get()).isZero();
	}

	@Test
	void shouldRejectOtherAuthorizationSchemes() {
		HttpResponse<String> response = send(request("/api/orders").header("Authorization", "Basic dXNlcjpwYXNz")
			.GET()
			.build());

		assertProblem(response, 401);
	}

	@Test
	void shouldAcceptAValidTokenAndUseItsSubjectAsCustomer() {
		String subject = newSubject();

		HttpResponse<String> response = placeOrder(USERS.token(subject), "key-1",
				"{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":2}]}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(ORDERS.placed).singleElement().satisfies((placed) -> {
			assertThat(placed.getCustomerId()).isEqualTo(subject);
			assertThat(placed.getIdempotencyKey()).isEqualTo("key-1");
		});
	}

	@Test
	void shouldRefetchKeysWhenATokenNamesAnUnknownKeyId() {
		assertThat(get("/api/orders", USERS.token(newSubject())).statusCode()).isEqualTo(200);
		int fetches = USERS.jwksFetches.get();

		USERS.rotate();
		HttpResponse<String> response = get("/api/orders", USERS.rotatedKeyToken(newSubject()));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(USERS.jwksFetches.get()).isGreaterThan(fetches);
	}

}
