package dev.vigil.orders.api;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.vigil.orders.placement.OrderPlacement;
import dev.vigil.orders.query.OrderQueries;
import dev.vigil.proto.orders.v1.GetOrderRequest;
import dev.vigil.proto.orders.v1.ListOrdersRequest;
import dev.vigil.proto.orders.v1.ListOrdersResponse;
import dev.vigil.proto.orders.v1.Order;
import dev.vigil.proto.orders.v1.OrderServiceGrpc;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The orders.v1 gRPC endpoint: thin, it validates scoping arguments and delegates. Errors leave as gRPC statuses
 * (docs/architecture.md); anything unexpected becomes INTERNAL without internals in the description.
 */
@Service
class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {

	private static final Logger log = LoggerFactory.getLogger(OrderGrpcService.class);

	static final int DEFAULT_PAGE_SIZE = 20;

	static final int MAX_PAGE_SIZE = 100;

	private final OrderPlacement placement;

	private final OrderQueries queries;

	OrderGrpcService(OrderPlacement placement, OrderQueries queries) {
		this.placement = placement;
		this.queries = queries;
	}

	@Override
	public void placeOrder(PlaceOrderRequest request, StreamObserver<Order> responses) {
		respond(responses, () -> this.placement.place(request));
	}

	@Override
	public void getOrder(GetOrderRequest request, StreamObserver<Order> responses) {
		respond(responses, () -> {
			requireCustomer(request.getCustomerId());
			return parseId(request.getOrderId()).flatMap((id) -> this.queries.find(request.getCustomerId(), id))
				.orElseThrow(() -> Status.NOT_FOUND.withDescription("order not found").asRuntimeException());
		});
	}

	@Override
	public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> responses) {
		respond(responses, () -> {
			requireCustomer(request.getCustomerId());
			int pageSize = request.getPageSize();
			if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
				throw Status.INVALID_ARGUMENT.withDescription("page_size must be between 0 and " + MAX_PAGE_SIZE)
					.asRuntimeException();
			}
			int limit = (pageSize == 0) ? DEFAULT_PAGE_SIZE : pageSize;
			return ListOrdersResponse.newBuilder()
				.addAllOrders(this.queries.list(request.getCustomerId(), limit))
				.build();
		});
	}

	private static void requireCustomer(String customerId) {
		if (customerId.isBlank()) {
			throw Status.INVALID_ARGUMENT.withDescription("customer_id is required").asRuntimeException();
		}
	}

	/** A malformed id cannot name an order: NOT_FOUND, like any other unknown id. */
	private static Optional<UUID> parseId(String orderId) {
		try {
			return Optional.of(UUID.fromString(orderId));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static <T> void respond(StreamObserver<T> responses, Supplier<T> call) {
		T result;
		try {
			result = call.get();
		}
		catch (StatusRuntimeException ex) {
			responses.onError(ex);
			return;
		}
		catch (RuntimeException ex) {
			log.error("Unexpected failure in orders gRPC call", ex);
			responses.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
			return;
		}
		responses.onNext(result);
		responses.onCompleted();
	}

}
