package dev.vigil.payments.telemetry;

import java.util.UUID;

import dev.vigil.payments.PaymentsIntegrationTest;
import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.proto.payments.v1.ChargeRequest;
import dev.vigil.proto.payments.v1.Payment;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

/** What one charge leaves in the telemetry (in-memory span exporter): the gRPC server span, its queries, metrics. */
class PaymentsTelemetryTests extends PaymentsIntegrationTest {

	@Autowired
	InMemorySpans spans;

	@Autowired
	MeterRegistry meters;

	@Test
	void aChargeIsAGrpcServerSpanWithItsQueries() {
		this.spans.reset();

		Payment payment = this.payments.charge(ChargeRequest.newBuilder()
			.setIdempotencyKey("telemetry-" + UUID.randomUUID())
			.setCustomerId("telemetry")
			.setAmountCents(1_234)
			.setCurrency("EUR")
			.build());

		assertThat(payment.getStatus()).isEqualTo(Payment.Status.APPROVED);
		SpanData server = this.spans.await("Charge server span",
				(s) -> s.getKind() == SpanKind.SERVER && s.getName().equals("vigil.payments.v1.PaymentService/Charge"));
		assertThat(server.getAttributes().asMap()).containsEntry(stringKey("rpc.system"), "grpc")
			.containsEntry(stringKey("rpc.service"), "vigil.payments.v1.PaymentService")
			.containsEntry(stringKey("rpc.method"), "Charge");
		assertThat(this.spans.trace(server.getTraceId())).as("PostgreSQL client spans of the charge")
			.anyMatch((s) -> s.getKind() == SpanKind.CLIENT && InMemorySpans.attribute("db.system.name", "postgresql").test(s));
		assertThat(this.meters.find("rpc.server.duration").tag("rpc.method", "Charge").timer()).isNotNull();
		assertThat(this.meters.find("vigil.payment.charges").tag("status", "approved").counter()).isNotNull();
	}

}
