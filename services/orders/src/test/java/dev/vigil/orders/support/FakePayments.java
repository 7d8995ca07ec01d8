package dev.vigil.orders.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.proto.payments.v1.ChargeRequest;
import dev.vigil.proto.payments.v1.Payment;
import dev.vigil.proto.payments.v1.PaymentServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * An in-memory payment provider, idempotent per key. Customers whose id starts with {@link #DECLINED_PREFIX} are
 * declined with "insufficient_funds".
 */
public class FakePayments extends PaymentServiceGrpc.PaymentServiceImplBase {

	public static final String DECLINED_PREFIX = "broke-";

	private final Map<String, Payment> payments = new ConcurrentHashMap<>();

	private final List<ChargeRequest> chargeCalls = new CopyOnWriteArrayList<>();

	public List<ChargeRequest> chargeCalls() {
		return this.chargeCalls;
	}

	@Override
	public void charge(ChargeRequest request, StreamObserver<Payment> responses) {
		this.chargeCalls.add(request);
		Payment payment = this.payments.computeIfAbsent(request.getIdempotencyKey(), (key) -> {
			Payment.Builder builder = Payment.newBuilder()
				.setPaymentId("pay-" + UUID.randomUUID())
				.setAmountCents(request.getAmountCents())
				.setCurrency(request.getCurrency());
			if (request.getCustomerId().startsWith(DECLINED_PREFIX)) {
				return builder.setStatus(Payment.Status.DECLINED).setDeclineReason("insufficient_funds").build();
			}
			return builder.setStatus(Payment.Status.APPROVED).build();
		});
		responses.onNext(payment);
		responses.onCompleted();
	}

}
