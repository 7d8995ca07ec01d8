package dev.vigil.gateway.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

record SessionRequest(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password) {

	@Override
	public String toString() {
		return "SessionRequest[<redacted>]";
	}

}
