package dev.vigil.payments.charge;

import java.util.Currency;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.vigil.payments.provider.PaymentProvider;
import dev.vigil.payments.provider.ProviderDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Idempotent charges.
 * <p>
 * The first request for a key inserts a PENDING row, calls the provider and records the outcome, all in one
 * transaction. Until it commits, concurrent repeats block on the unique index in PostgreSQL; afterwards they find
 * the committed row and return it. So the provider is called once per key, even with many instances of this
 * service. The cost is a connection held for the provider's latency; the alternative (commit PENDING first, then
 * poll) would need repeats to wait and a sweeper for rows orphaned by a crash. If the process dies mid-charge the
 * transaction rolls back and a retry charges again, which a real PSP makes safe by taking the same idempotency
 * key.
 */
@Service
public class Charges {

	private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

	private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies()
		.stream()
		.map(Currency::getCurrencyCode)
		.collect(Collectors.toUnmodifiableSet());

	private final PaymentRepository payments;

	private final PaymentProvider provider;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private final Counter approved;

	Charges(PaymentRepository payments, PaymentProvider provider, TransactionTemplate transactions,
			MeterRegistry meters) {
		this.payments = payments;
		this.provider = provider;
		this.transactions = transactions;
		this.meters = meters;
		this.approved = charges(meters, "approved");
	}

	public Payment charge(ChargeRequest request) {
		validate(request);
		Attempt attempt = this.transactions.execute((tx) -> chargeOnce(request));
		if (attempt.fresh()) {
			record(attempt.payment());
		}
		return attempt.payment();
	}

	private Attempt chargeOnce(ChargeRequest request) {
		String paymentId = "pay_" + UUID.randomUUID();
		if (!this.payments.claim(paymentId, request)) {
			// Committed rows are never PENDING (see class comment), so this is the first request's final answer.
			Payment first = this.payments.findByKey(request.idempotencyKey()).orElseThrow();
			if (first.amountCents() != request.amountCents() || !first.currency().equals(request.currency())
					|| !first.customerId().equals(request.customerId())) {
				throw new IdempotencyKeyReusedException(request.idempotencyKey());
			}
			return new Attempt(first, false);
		}
		ProviderDecision decision = this.provider.charge(request.customerId(), request.amountCents(),
				request.currency());
		this.payments.complete(paymentId, decision);
		return new Attempt(new Payment(paymentId, request.idempotencyKey(), request.customerId(),
				request.amountCents(), request.currency(),
				decision.approved() ? Payment.Status.APPROVED : Payment.Status.DECLINED, decision.declineReason()),
				true);
	}

	private void record(Payment payment) {
		if (payment.status() == Payment.Status.APPROVED) {
			this.approved.increment();
			return;
		}
		charges(this.meters, "declined").increment();
		Counter.builder("vigil.payment.declines")
			.description("Charges declined by the provider, by reason")
			.tag("reason", payment.declineReason())
			.register(this.meters)
			.increment();
	}

	private static Counter charges(MeterRegistry meters, String status) {
		return Counter.builder("vigil.payment.charges")
			.description("First-time charges by outcome (repeats of an idempotency key are not counted)")
			.tag("status", status)
			.register(meters);
	}

	private static void validate(ChargeRequest request) {
		if (request.idempotencyKey() == null || request.idempotencyKey().isBlank()) {
			throw new InvalidChargeException("idempotency_key must not be empty");
		}
		if (request.idempotencyKey().length() > 200) {
			throw new InvalidChargeException("idempotency_key must be at most 200 characters");
		}
		if (request.amountCents() <= 0) {
			throw new InvalidChargeException("amount_cents must be positive, was " + request.amountCents());
		}
		String currency = request.currency();
		if (currency == null || !CURRENCY_CODE.matcher(currency).matches() || !CURRENCIES.contains(currency)) {
			throw new InvalidChargeException(
					"currency must be an ISO 4217 code in upper case such as EUR, was '" + currency + "'");
		}
	}

	private record Attempt(Payment payment, boolean fresh) {

	}

}
