package dev.vigil.users.registration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class PasswordHashing {

	@Bean
	PasswordEncoder passwordEncoder() {
		// Strength 10: ~50-100 ms per hash on a small machine, the usual trade-off between login latency and
		// brute-force cost.
		return new BCryptPasswordEncoder(10);
	}

}
