package dev.vigil.users.session;

import java.util.Optional;

import dev.vigil.users.account.UserAccount;
import dev.vigil.users.account.UserAccounts;
import dev.vigil.users.token.IssuedToken;
import dev.vigil.users.token.TokenIssuer;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

@Service
class Authentication {

	private final UserAccounts accounts;

	private final PasswordEncoder passwordEncoder;

	private final TokenIssuer tokens;

	// Compared against when the email is unknown, so both failure paths cost one bcrypt check and take as long.
	private final String decoyHash;

	Authentication(UserAccounts accounts, PasswordEncoder passwordEncoder, TokenIssuer tokens) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.tokens = tokens;
		this.decoyHash = passwordEncoder.encode("decoy-password-never-matches");
	}

	IssuedToken authenticate(String email, String password) {
		Optional<UserAccount> account = this.accounts.findByEmail(email.strip());
		String hash = account.map(UserAccount::passwordHash).orElse(this.decoyHash);
		boolean matches = this.passwordEncoder.matches(password, hash);
		if (account.isEmpty() || !matches) {
			throw new InvalidCredentialsException();
		}
		UserAccount user = account.get();
		return this.tokens.issue(user.id(), user.email());
	}

}
