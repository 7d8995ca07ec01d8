package dev.vigil.users.registration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vigil.platform.web.ProblemDetailsExceptionHandler;
import dev.vigil.users.account.UserAccount;
import dev.vigil.users.account.UserAccounts;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

@Service
class Registration {

	// bcrypt only looks at the first 72 bytes of a password; longer ones are refused rather than truncated.
	private static final int BCRYPT_MAX_BYTES = 72;

	private final UserAccounts accounts;

	private final PasswordEncoder passwordEncoder;

	Registration(UserAccounts accounts, PasswordEncoder passwordEncoder) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
	}

	RegisteredUser register(RegistrationRequest request) {
		if (request.password().getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"Request validation failed");
			problem.setProperty(ProblemDetailsExceptionHandler.ERRORS,
					List.of(Map.of("field", "password", "message", "must be at most 72 bytes in UTF-8")));
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		UserAccount account = new UserAccount(UUID.randomUUID(), request.email().strip(), request.name().strip(),
				this.passwordEncoder.encode(request.password()));
		if (!this.accounts.add(account)) {
			throw new EmailAlreadyRegisteredException();
		}
		return new RegisteredUser(account.id(), account.email(), account.name());
	}

}
