package dev.vigil.gateway.accounts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Checked here as well as in users: bad input should not cost a downstream call. */
record RegistrationRequest(@NotBlank @Email @Size(max = 254) String email,
		@NotNull @Size(min = 8, max = 72) String password, @NotBlank @Size(max = 100) String name) {

	@Override
	public String toString() {
		return "RegistrationRequest[<redacted>]";
	}

}
