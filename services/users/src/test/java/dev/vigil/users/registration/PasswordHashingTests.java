package dev.vigil.users.registration;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashingTests {

	@Test
	void theWorkFactorCanBeRaisedButNotLowered() {
		PasswordEncoder stronger = new PasswordHashing().passwordEncoder(11);
		String hash = stronger.encode("correct horse battery");
		assertThat(hash).startsWith("$2a$11$");
		assertThat(stronger.matches("correct horse battery", hash)).isTrue();
		// A hash made with the default strength still verifies: the strength is part of the hash.
		assertThat(stronger.matches("pw", new PasswordHashing().passwordEncoder(10).encode("pw"))).isTrue();

		assertThatThrownBy(() -> new PasswordHashing().passwordEncoder(9))
			.hasMessageContaining("bcrypt-strength must be from 10 to 31");
		assertThatThrownBy(() -> new PasswordHashing().passwordEncoder(32))
			.hasMessageContaining("bcrypt-strength must be from 10 to 31");
	}

}
