package dev.vigil.users.account;

import java.util.UUID;

/** A registered user. {@code passwordHash} is a bcrypt hash; the clear password is never stored. */
public record UserAccount(UUID id, String email, String name, String passwordHash) {

	@Override
	public String toString() {
		// Emails are personal data and hashes are secrets: neither belongs in logs.
		return "UserAccount[id=" + this.id + "]";
	}

}
