package dev.vigil.users.registration;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

record RegistrationRequest(@NotBlank @Email @Size(max = 254) String email,
		@NotNull @Size(min = 8, max = 72) String password, @NotBlank @Size(max = 100) String name) {

	@Override
	public String toString() {
		// Spring MVC logs request bodies at DEBUG; never let the password (or the email) reach a log line.
		return "RegistrationRequest[email=<redacted>, password=<redacted>, name=<redacted>]";
	}

}
