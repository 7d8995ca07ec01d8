package dev.vigil.users.registration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class PasswordHashing {

	/** OWASP's Password Storage Cheat Sheet: a bcrypt work factor of 10 or more. Configuration may only raise it. */
	static final int MIN_STRENGTH = 10;

	/** bcrypt's own upper bound (2^31 rounds). */
	static final int MAX_STRENGTH = 31;

	@Bean
	PasswordEncoder passwordEncoder(@Value("${vigil.users.password.bcrypt-strength:10}") int strength) {
		// Strength 10: ~50-100 ms per hash on a small machine (2^10 rounds; each step up doubles it), the usual
		// trade-off between login latency and brute-force cost. Faster hardware can afford more; less is refused so
		// that a capacity tweak can never weaken stored passwords. Existing hashes keep the strength they were made
		// with (it is part of the hash), so raising it only affects new passwords.
		if (strength < MIN_STRENGTH || strength > MAX_STRENGTH) {
			throw new IllegalArgumentException("vigil.users.password.bcrypt-strength must be from " + MIN_STRENGTH
					+ " to " + MAX_STRENGTH + " (each step doubles the hashing time), not " + strength);
		}
		return new BCryptPasswordEncoder(strength);
	}

}
