package dev.vigil.users.account;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class UserAccounts {

	private final JdbcClient jdbc;

	UserAccounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts the account; false when the email (in any case) is already registered. */
	public boolean add(UserAccount account) {
		try {
			this.jdbc.sql("INSERT INTO user_account (id, email, name, password_hash) VALUES (?, ?, ?, ?)")
				.params(account.id(), account.email(), account.name(), account.passwordHash())
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	public Optional<UserAccount> findByEmail(String email) {
		return this.jdbc.sql("SELECT id, email, name, password_hash FROM user_account WHERE lower(email) = lower(?)")
			.param(email)
			.query(UserAccount.class)
			.optional();
	}

}
