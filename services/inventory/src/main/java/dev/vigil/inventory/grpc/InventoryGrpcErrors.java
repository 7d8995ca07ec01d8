package dev.vigil.inventory.grpc;

import dev.vigil.inventory.InvalidRequestException;
import dev.vigil.inventory.catalog.ProductNotFoundException;
import dev.vigil.inventory.stock.InsufficientStockException;
import dev.vigil.inventory.stock.ReservationConflictException;
import dev.vigil.inventory.stock.ReservationNotFoundException;
import dev.vigil.platform.grpc.ServiceGrpcErrors;
import io.grpc.Status;

import org.springframework.stereotype.Component;

/** Inventory's expected failures as gRPC statuses; the rest is common to every service ({@link ServiceGrpcErrors}). */
@Component
class InventoryGrpcErrors extends ServiceGrpcErrors {

	@Override
	protected Status expectedFailure(Throwable ex) {
		if (ex instanceof InvalidRequestException) {
			return Status.INVALID_ARGUMENT;
		}
		if (ex instanceof ProductNotFoundException || ex instanceof ReservationNotFoundException) {
			return Status.NOT_FOUND;
		}
		if (ex instanceof InsufficientStockException) {
			return Status.FAILED_PRECONDITION;
		}
		if (ex instanceof ReservationConflictException) {
			return Status.ALREADY_EXISTS;
		}
		return null;
	}

	@Override
	protected String databaseUnavailableDescription() {
		return "inventory database unavailable, retry later";
	}

}
