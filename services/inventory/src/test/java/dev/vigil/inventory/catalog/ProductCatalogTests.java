package dev.vigil.inventory.catalog;

import java.util.ArrayList;
import java.util.List;

import dev.vigil.inventory.InventoryIntegrationTest;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import dev.vigil.proto.inventory.v1.ListProductsRequest;
import dev.vigil.proto.inventory.v1.ListProductsResponse;
import dev.vigil.proto.inventory.v1.Product;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductCatalogTests extends InventoryIntegrationTest {

	@Test
	void shouldListDefaultPageOfFiftyWithNextToken() {
		ListProductsResponse page = this.inventory.listProducts(ListProductsRequest.getDefaultInstance());

		assertThat(page.getProductsList()).hasSize(50);
		assertThat(page.getNextPageToken()).isNotEmpty();
		Product first = page.getProducts(0);
		assertThat(first.getId()).isEqualTo("sku-0001");
		assertThat(first.getName()).isEqualTo("Trail Running Shoes");
		assertThat(first.getPriceCents()).isEqualTo(8999);
		assertThat(first.getCurrency()).isEqualTo("EUR");
		assertThat(first.getAvailable()).isBetween(1, 1000);
	}

	@Test
	void shouldWalkEveryProductExactlyOnceAcrossPages() {
		List<String> ids = new ArrayList<>();
		String token = "";
		int pages = 0;
		do {
			ListProductsResponse page = this.inventory
				.listProducts(ListProductsRequest.newBuilder().setPageSize(7).setPageToken(token).build());
			assertThat(page.getProductsList()).hasSizeLessThanOrEqualTo(7);
			page.getProductsList().forEach((p) -> ids.add(p.getId()));
			token = page.getNextPageToken();
			pages++;
		}
		while (!token.isEmpty() && pages < 1000);

		assertThat(ids).hasSizeGreaterThanOrEqualTo(60).doesNotHaveDuplicates().isSorted();
		assertThat(ids).contains("sku-0001", "sku-0060");
	}

	@Test
	void shouldClampPageSizeToTwoHundred() {
		ListProductsResponse page = this.inventory
			.listProducts(ListProductsRequest.newBuilder().setPageSize(10_000).build());

		assertThat(page.getProductsList()).hasSizeBetween(60, 200);
	}

	@Test
	void shouldRejectMalformedPageToken() {
		assertThatThrownBy(() -> this.inventory
			.listProducts(ListProductsRequest.newBuilder().setPageToken("not a token!").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains("page_token");
			});
		// Valid base64, wrong content: still the caller's mistake, not ours.
		assertThatThrownBy(() -> this.inventory
			.listProducts(ListProductsRequest.newBuilder().setPageToken("aGVsbG8").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	@Test
	void shouldRejectNegativePageSize() {
		assertThatThrownBy(() -> this.inventory.listProducts(ListProductsRequest.newBuilder().setPageSize(-1).build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	@Test
	void shouldGetProductById() {
		Product product = this.inventory.getProduct(GetProductRequest.newBuilder().setId("sku-0004").build());

		assertThat(product.getName()).isEqualTo("Ultralight Tent");
		assertThat(product.getPriceCents()).isEqualTo(34900);
	}

	@Test
	void shouldAnswerNotFoundForUnknownProduct() {
		assertThatThrownBy(() -> this.inventory.getProduct(GetProductRequest.newBuilder().setId("sku-9999").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
				assertThat(ex.getStatus().getDescription()).isEqualTo("product sku-9999 not found");
			});
	}

	@Test
	void shouldRejectEmptyProductId() {
		assertThatThrownBy(() -> this.inventory.getProduct(GetProductRequest.getDefaultInstance()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

}
