package dev.vigil.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import dev.vigil.proto.inventory.v1.GetProductRequest;
import dev.vigil.proto.inventory.v1.InventoryServiceGrpc;
import dev.vigil.proto.inventory.v1.ListProductsRequest;
import dev.vigil.proto.inventory.v1.ListProductsResponse;
import dev.vigil.proto.inventory.v1.Product;

/** An inventory service whose health the test controls. */
public class FakeInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

	private final Map<String, Product> products = new LinkedHashMap<>();

	public final AtomicInteger calls = new AtomicInteger();

	private volatile Status failure;

	private volatile int available = 10;

	FakeInventory() {
		for (int i = 1; i <= 5; i++) {
			String id = "sku-000" + i;
			this.products.put(id, Product.newBuilder()
				.setId(id)
				.setName("Product " + i)
				.setDescription("A fine product")
				.setPriceCents(1000L * i)
				.setCurrency("EUR")
				.build());
		}
	}

	public void fail(Status status) {
		this.failure = status;
	}

	public void setAvailable(int available) {
		this.available = available;
	}

	public void reset() {
		this.failure = null;
		this.available = 10;
		this.calls.set(0);
	}

	@Override
	public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> responses) {
		this.calls.incrementAndGet();
		if (this.failure != null) {
			responses.onError(this.failure.asRuntimeException());
			return;
		}
		ListProductsResponse.Builder page = ListProductsResponse.newBuilder();
		this.products.values().forEach((p) -> page.addProducts(p.toBuilder().setAvailable(this.available)));
		// Echo the token back so tests can tell pages apart.
		page.setNextPageToken(request.getPageToken().isEmpty() ? "" : request.getPageToken() + "-next");
		responses.onNext(page.build());
		responses.onCompleted();
	}

	@Override
	public void getProduct(GetProductRequest request, StreamObserver<Product> responses) {
		this.calls.incrementAndGet();
		if (this.failure != null) {
			responses.onError(this.failure.asRuntimeException());
			return;
		}
		Product product = this.products.get(request.getId());
		if (product == null) {
			responses.onError(Status.NOT_FOUND.withDescription("product " + request.getId() + " not found")
				.asRuntimeException());
			return;
		}
		responses.onNext(product.toBuilder().setAvailable(this.available).build());
		responses.onCompleted();
	}

}
