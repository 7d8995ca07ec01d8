package dev.vigil.payments.charge;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.vigil.payments.PaymentsIntegrationTest;
import dev.vigil.proto.payments.v1.ChargeRequest;
import dev.vigil.proto.payments.v1.Payment;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeTests extends PaymentsIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Test
	void shouldApproveCharge() {
		Payment payment = this.payments.charge(charge(newKey(), "user-1", 4_990, "EUR"));

		assertThat(payment.getStatus()).isEqualTo(Payment.Status.APPROVED);
		assertThat(payment.getPaymentId()).startsWith("pay_");
		assertThat(payment.getDeclineReason()).isEmpty();
		assertThat(payment.getAmountCents()).isEqualTo(4_990);
		assertThat(payment.getCurrency()).isEqualTo("EUR");
	}

	@Test
	void shouldReturnFirstResultForRepeatedKey() {
		String key = newKey();
		double approvedBefore = count("vigil.payment.charges", "status", "approved");

		Payment first = this.payments.charge(charge(key, "user-1", 1_500, "EUR"));
		Payment repeat = this.payments.charge(charge(key, "user-1", 1_500, "EUR"));

		assertThat(repeat).isEqualTo(first);
		assertThat(rows(key)).isEqualTo(1);
		assertThat(count("vigil.payment.charges", "status", "approved")).isEqualTo(approvedBefore + 1);
	}

	@Test
	void shouldChargeOnceUnderConcurrentIdenticalRequests() throws Exception {
		String key = newKey();
		double approvedBefore = count("vigil.payment.charges", "status", "approved");
		int callers = 20;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		List<Future<Payment>> results = new ArrayList<>();
		try {
			for (int i = 0; i < callers; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return this.payments.charge(charge(key, "user-2", 12_345, "EUR"));
				}));
			}
			start.countDown();
			List<Payment> responses = new ArrayList<>();
			for (Future<Payment> result : results) {
				responses.add(result.get(60, TimeUnit.SECONDS));
			}

			assertThat(responses).hasSize(callers).allMatch((p) -> p.equals(responses.get(0)));
			assertThat(responses.get(0).getStatus()).isEqualTo(Payment.Status.APPROVED);
			assertThat(rows(key)).isEqualTo(1);
			// Counted only when the provider was actually asked: exactly one charge reached it.
			assertThat(count("vigil.payment.charges", "status", "approved")).isEqualTo(approvedBefore + 1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void shouldDeclineForTheDeclineCustomer() {
		double declinesBefore = count("vigil.payment.declines", "reason", "card_declined");
		String key = newKey();

		Payment payment = this.payments.charge(charge(key, "decline-me", 2_000, "EUR"));

		assertThat(payment.getStatus()).isEqualTo(Payment.Status.DECLINED);
		assertThat(payment.getDeclineReason()).isEqualTo("card_declined");
		assertThat(count("vigil.payment.declines", "reason", "card_declined")).isEqualTo(declinesBefore + 1);
		// A decline is a result like any other: repeating the key returns it rather than trying again.
		assertThat(this.payments.charge(charge(key, "decline-me", 2_000, "EUR"))).isEqualTo(payment);
		assertThat(count("vigil.payment.declines", "reason", "card_declined")).isEqualTo(declinesBefore + 1);
	}

	@Test
	void shouldDeclineAmountsEndingInZeroThirteen() {
		Payment payment = this.payments.charge(charge(newKey(), "user-3", 10_013, "EUR"));

		assertThat(payment.getStatus()).isEqualTo(Payment.Status.DECLINED);
		assertThat(payment.getDeclineReason()).isEqualTo("insufficient_funds");
	}

	@Test
	void shouldRejectKeyReusedForDifferentCharge() {
		String key = newKey();
		this.payments.charge(charge(key, "user-4", 1_000, "EUR"));

		assertThatThrownBy(() -> this.payments.charge(charge(key, "user-4", 2_000, "EUR")))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
				assertThat(ex.getStatus().getDescription()).contains(key);
			});
		assertThat(rows(key)).isEqualTo(1);
	}

	@Test
	void shouldRejectInvalidCharges() {
		assertInvalid(charge("", "user-5", 1_000, "EUR"), "idempotency_key");
		assertInvalid(charge(newKey(), "user-5", 0, "EUR"), "amount_cents");
		assertInvalid(charge(newKey(), "user-5", -5, "EUR"), "amount_cents");
		assertInvalid(charge(newKey(), "user-5", 1_000, ""), "currency");
		assertInvalid(charge(newKey(), "user-5", 1_000, "eur"), "currency");
		assertInvalid(charge(newKey(), "user-5", 1_000, "XYZ"), "currency");
		assertInvalid(charge(newKey(), "user-5", 1_000, "EURO"), "currency");
		assertThat(this.jdbc.sql("SELECT count(*) FROM payments WHERE customer_id = 'user-5'")
			.query(Integer.class)
			.single()).isZero();
	}

	private void assertInvalid(ChargeRequest request, String field) {
		assertThatThrownBy(() -> this.payments.charge(request))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains(field);
			});
	}

	private int rows(String key) {
		return this.jdbc.sql("SELECT count(*) FROM payments WHERE idempotency_key = :key")
			.param("key", key)
			.query(Integer.class)
			.single();
	}

	private double count(String name, String tag, String value) {
		return this.meters.counter(name, tag, value).count();
	}

	private static String newKey() {
		return "order-" + UUID.randomUUID();
	}

	private static ChargeRequest charge(String key, String customer, long amountCents, String currency) {
		return ChargeRequest.newBuilder()
			.setIdempotencyKey(key)
			.setCustomerId(customer)
			.setAmountCents(amountCents)
			.setCurrency(currency)
			.build();
	}

}
