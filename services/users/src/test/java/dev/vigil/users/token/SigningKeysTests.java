package dev.vigil.users.token;

import org.junit.jupiter.api.Test;

import dev.vigil.users.UsersIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTests extends UsersIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SigningKeys running;

	@Test
	void shouldShareOnePersistedKeyAcrossInstancesAndRestarts() throws Exception {
		String kid = this.running.active().getKeyID();

		// A fresh instance (another process, or this one after a restart) reads the same key from the database.
		SigningKeys restarted = new SigningKeys(this.jdbc);

		assertThat(restarted.active().getKeyID()).isEqualTo(kid);
		assertThat(restarted.active().toRSAPrivateKey()).isNotNull();
		assertThat(this.jdbc.sql("SELECT count(*) FROM signing_key").query(Long.class).single()).isEqualTo(1L);
	}

}
