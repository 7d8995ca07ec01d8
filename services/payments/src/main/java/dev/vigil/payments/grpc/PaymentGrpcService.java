package dev.vigil.payments.grpc;

import dev.vigil.payments.charge.ChargeRequest;
import dev.vigil.payments.charge.Charges;
import dev.vigil.proto.payments.v1.Payment;
import dev.vigil.proto.payments.v1.PaymentServiceGrpc;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/**
 * The gRPC edge. A decline is a normal response (status DECLINED), as payments.proto specifies; only bad input and
 * infrastructure failures are errors, mapped by {@link PaymentGrpcErrors}.
 */
@GrpcService
class PaymentGrpcService extends PaymentServiceGrpc.PaymentServiceImplBase {

	private final Charges charges;

	PaymentGrpcService(Charges charges) {
		this.charges = charges;
	}

	@Override
	public void charge(dev.vigil.proto.payments.v1.ChargeRequest request, StreamObserver<Payment> responses) {
		dev.vigil.payments.charge.Payment payment = this.charges.charge(new ChargeRequest(request.getIdempotencyKey(),
				request.getCustomerId(), request.getAmountCents(), request.getCurrency()));
		responses.onNext(Payment.newBuilder()
			.setPaymentId(payment.paymentId())
			.setStatus((payment.status() == dev.vigil.payments.charge.Payment.Status.APPROVED)
					? Payment.Status.APPROVED : Payment.Status.DECLINED)
			.setDeclineReason(payment.declineReason())
			.setAmountCents(payment.amountCents())
			.setCurrency(payment.currency())
			.build());
		responses.onCompleted();
	}

}
