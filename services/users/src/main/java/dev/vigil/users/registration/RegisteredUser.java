package dev.vigil.users.registration;

import java.util.UUID;

record RegisteredUser(UUID id, String email, String name) {

	@Override
	public String toString() {
		return "RegisteredUser[id=" + this.id + "]";
	}

}
