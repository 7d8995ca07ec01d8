package dev.vigil.users.registration;

import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A password encoder that lets at most a fixed number of hashes run at a time (a Resilience4j bulkhead); a caller
 * that cannot start one within the bulkhead's wait gets {@link PasswordHashingBusyException} (503, Retry-After).
 * <p>
 * Why: a bcrypt check is tens of milliseconds of one core, on purpose. Unbounded, a burst of sign-ins runs one hash
 * per request thread on every core at once, and every other request on the machine (the catalog, orders) waits for
 * a core behind them; the gateway gives up on the slow ones after its deadline while their hashes still run to the
 * end, so the overload feeds itself. Bounded, sign-ins queue for a core of their own (fairly, first come first
 * served) and are refused quickly beyond what that core can do, and the other cores keep serving the rest.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder hashing;

	private final Bulkhead bulkhead;

	BoundedPasswordEncoder(PasswordEncoder hashing, Bulkhead bulkhead) {
		this.hashing = hashing;
		this.bulkhead = bulkhead;
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return bounded(() -> this.hashing.encode(rawPassword));
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		return bounded(() -> this.hashing.matches(rawPassword, encodedPassword));
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		// Reads the hash's prefix only: no hashing, no permit needed.
		return this.hashing.upgradeEncoding(encodedPassword);
	}

	private <T> T bounded(Supplier<T> hash) {
		try {
			return this.bulkhead.executeSupplier(hash);
		}
		catch (BulkheadFullException ex) {
			throw new PasswordHashingBusyException();
		}
	}

}
