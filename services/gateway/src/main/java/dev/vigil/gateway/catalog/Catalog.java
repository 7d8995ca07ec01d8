package dev.vigil.gateway.catalog;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.gateway.resilience.Downstream;
import dev.vigil.gateway.system.GatewayProperties;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import dev.vigil.proto.inventory.v1.InventoryServiceGrpc.InventoryServiceBlockingStub;
import dev.vigil.proto.inventory.v1.ListProductsRequest;
import dev.vigil.proto.inventory.v1.ListProductsResponse;
import dev.vigil.proto.inventory.v1.Product;

import org.springframework.stereotype.Service;

/**
 * The product catalog, read from inventory. Every good answer is remembered (bounded, last value wins) so that
 * while inventory is unreachable the shop can still be browsed: the cached answer is served, marked degraded.
 * Stock figures in a degraded answer may be stale; placing an order still checks stock for real.
 */
@Service
class Catalog {

	private static final Logger log = LoggerFactory.getLogger(Catalog.class);

	private final InventoryServiceBlockingStub inventory;

	private final Downstream downstream;

	private final Cache<String, ProductPage> pages;

	private final Cache<String, ProductView> products;

	Catalog(InventoryServiceBlockingStub inventory, Downstream downstream, GatewayProperties properties) {
		this.inventory = inventory;
		this.downstream = downstream;
		this.pages = Caffeine.newBuilder().maximumSize(properties.catalog().maxCachedPages()).build();
		this.products = Caffeine.newBuilder().maximumSize(properties.catalog().maxCachedProducts()).build();
	}

	CatalogRead<ProductPage> list(int pageSize, String pageToken) {
		String key = pageSize + "|" + pageToken;
		return read(() -> {
			ListProductsResponse response = this.downstream.callIdempotent(Downstream.INVENTORY,
					() -> stub().listProducts(ListProductsRequest.newBuilder()
						.setPageSize(pageSize)
						.setPageToken(pageToken)
						.build()));
			List<ProductView> views = response.getProductsList().stream().map(ProductView::of).toList();
			views.forEach((view) -> this.products.put(view.id(), view));
			ProductPage page = new ProductPage(views,
					response.getNextPageToken().isEmpty() ? null : response.getNextPageToken());
			this.pages.put(key, page);
			return page;
		}, () -> this.pages.getIfPresent(key));
	}

	CatalogRead<ProductView> get(String id) {
		return read(() -> {
			Product product = this.downstream.callIdempotent(Downstream.INVENTORY,
					() -> stub().getProduct(GetProductRequest.newBuilder().setId(id).build()));
			ProductView view = ProductView.of(product);
			this.products.put(id, view);
			return view;
		}, () -> this.products.getIfPresent(id));
	}

	private <T> CatalogRead<T> read(Supplier<T> live, Supplier<T> cached) {
		try {
			return new CatalogRead<>(live.get(), false);
		}
		catch (CallNotPermittedException | StatusRuntimeException ex) {
			if (!Downstream.isInfrastructureFailure(ex)) {
				throw ex;
			}
			T fallback = cached.get();
			if (fallback == null) {
				throw ex;
			}
			log.debug("Inventory unavailable, serving cached catalog");
			return new CatalogRead<>(fallback, true);
		}
	}

	private InventoryServiceBlockingStub stub() {
		return this.inventory.withDeadlineAfter(this.downstream.deadline().toMillis(), TimeUnit.MILLISECONDS);
	}

}
