package dev.vigil.inventory.grpc;

import dev.vigil.inventory.catalog.Product;
import dev.vigil.inventory.catalog.ProductCatalog;
import dev.vigil.inventory.catalog.ProductPage;
import dev.vigil.inventory.stock.Reservation;
import dev.vigil.inventory.stock.StockReservations;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import dev.vigil.proto.inventory.v1.InventoryServiceGrpc;
import dev.vigil.proto.inventory.v1.ListProductsRequest;
import dev.vigil.proto.inventory.v1.ListProductsResponse;
import dev.vigil.proto.inventory.v1.ReleaseReservationRequest;
import dev.vigil.proto.inventory.v1.ReservationLine;
import dev.vigil.proto.inventory.v1.ReserveStockRequest;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/**
 * The gRPC edge: maps messages to the catalogue and stock features and back. Failures are thrown as domain
 * exceptions and turned into statuses by {@link InventoryGrpcErrors}.
 */
@GrpcService
class InventoryGrpcService extends InventoryServiceGrpc.InventoryServiceImplBase {

	private final ProductCatalog catalog;

	private final StockReservations stock;

	InventoryGrpcService(ProductCatalog catalog, StockReservations stock) {
		this.catalog = catalog;
		this.stock = stock;
	}

	@Override
	public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> responses) {
		ProductPage page = this.catalog.list(request.getPageSize(), request.getPageToken());
		ListProductsResponse.Builder response = ListProductsResponse.newBuilder()
			.setNextPageToken(page.nextPageToken());
		page.products().forEach((product) -> response.addProducts(toProto(product)));
		responses.onNext(response.build());
		responses.onCompleted();
	}

	@Override
	public void getProduct(GetProductRequest request, StreamObserver<dev.vigil.proto.inventory.v1.Product> responses) {
		responses.onNext(toProto(this.catalog.get(request.getId())));
		responses.onCompleted();
	}

	@Override
	public void reserveStock(ReserveStockRequest request,
			StreamObserver<dev.vigil.proto.inventory.v1.Reservation> responses) {
		var lines = request.getLinesList()
			.stream()
			.map((line) -> new StockReservations.LineRequest(line.getProductId(), line.getQuantity()))
			.toList();
		responses.onNext(toProto(this.stock.reserve(request.getReservationId(), lines)));
		responses.onCompleted();
	}

	@Override
	public void releaseReservation(ReleaseReservationRequest request,
			StreamObserver<dev.vigil.proto.inventory.v1.Reservation> responses) {
		responses.onNext(toProto(this.stock.release(request.getReservationId())));
		responses.onCompleted();
	}

	private static dev.vigil.proto.inventory.v1.Product toProto(Product product) {
		return dev.vigil.proto.inventory.v1.Product.newBuilder()
			.setId(product.id())
			.setName(product.name())
			.setDescription(product.description())
			.setPriceCents(product.priceCents())
			.setCurrency(product.currency())
			.setAvailable(product.available())
			.build();
	}

	private static dev.vigil.proto.inventory.v1.Reservation toProto(Reservation reservation) {
		var builder = dev.vigil.proto.inventory.v1.Reservation.newBuilder()
			.setReservationId(reservation.reservationId())
			.setStatus(switch (reservation.status()) {
				case RESERVED -> dev.vigil.proto.inventory.v1.Reservation.Status.RESERVED;
				case RELEASED -> dev.vigil.proto.inventory.v1.Reservation.Status.RELEASED;
			})
			.setTotalCents(reservation.totalCents());
		if (reservation.currency() != null) {
			builder.setCurrency(reservation.currency());
		}
		reservation.lines()
			.forEach((line) -> builder.addLines(ReservationLine.newBuilder()
				.setProductId(line.productId())
				.setQuantity(line.quantity())));
		return builder.build();
	}

}
