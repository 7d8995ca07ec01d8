package dev.vigil.gateway.catalog;

import java.net.http.HttpResponse;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vigil.gateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogDegradationTests extends GatewayIntegrationTest {

	@Test
	void shouldListAndGetProducts() {
		HttpResponse<String> page = get("/api/products?pageSize=5&pageToken=live", null);
		HttpResponse<String> product = get("/api/products/sku-0002", null);

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("X-Vigil-Degraded")).isEmpty();
		JsonNode body = json(page);
		assertThat(body.get("products")).hasSize(5);
		assertThat(body.get("nextPageToken").asString()).isEqualTo("live-next");
		assertThat(body.get("products").get(0).get("priceCents").asLong()).isEqualTo(1000);
		assertThat(json(product).get("name").asString()).isEqualTo("Product 2");
		assertProblem(get("/api/products/sku-9999", null), 404);
	}

	@Test
	void shouldServeTheCachedCatalogWhileInventoryIsDown() {
		assertThat(get("/api/products?pageToken=cached", null).statusCode()).isEqualTo(200);
		INVENTORY.setAvailable(3);
		assertThat(get("/api/products/sku-0003", null).statusCode()).isEqualTo(200);

		INVENTORY.fail(Status.UNAVAILABLE.withDescription("inventory is down"));

		HttpResponse<String> page = get("/api/products?pageToken=cached", null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("X-Vigil-Degraded")).hasValue("inventory");
		assertThat(json(page).get("products")).hasSize(5);

		HttpResponse<String> product = get("/api/products/sku-0003", null);
		assertThat(product.statusCode()).isEqualTo(200);
		assertThat(product.headers().firstValue("X-Vigil-Degraded")).hasValue("inventory");
		assertThat(json(product).get("available").asInt()).isEqualTo(3);

		// Products seen on a cached page are served individually too.
		assertThat(get("/api/products/sku-0005", null).headers().firstValue("X-Vigil-Degraded"))
			.hasValue("inventory");
	}

	@Test
	void shouldKeepServingTheCacheWhenTheCircuitIsOpen() {
		assertThat(get("/api/products?pageToken=open", null).statusCode()).isEqualTo(200);
		INVENTORY.fail(Status.UNAVAILABLE);

		for (int i = 0; i < 6; i++) {
			assertThat(get("/api/products?pageToken=open", null).statusCode()).isEqualTo(200);
		}

		assertThat(this.downstream.state("inventory").name()).isEqualTo("OPEN");
		int callsWhenOpen = INVENTORY.calls.get();
		HttpResponse<String> page = get("/api/products?pageToken=open", null);
		assertThat(page.headers().firstValue("X-Vigil-Degraded")).hasValue("inventory");
		assertThat(INVENTORY.calls.get()).isEqualTo(callsWhenOpen);
	}

	@Test
	void shouldAnswer503ForWhatWasNeverCached() {
		INVENTORY.fail(Status.UNAVAILABLE);

		HttpResponse<String> response = get("/api/products?pageToken=never-seen", null);

		assertProblem(response, 503);
	}

}
