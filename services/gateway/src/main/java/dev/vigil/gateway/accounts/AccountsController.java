package dev.vigil.gateway.accounts;

import jakarta.validation.Valid;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Registration and login, served by the users service. */
@RestController
class AccountsController {

	private final UsersClient users;

	AccountsController(UsersClient users) {
		this.users = users;
	}

	@PostMapping("/api/users")
	ResponseEntity<JsonNode> register(@Valid @RequestBody RegistrationRequest request) {
		return this.users.post("/internal/users", request, "/api/users");
	}

	@PostMapping("/api/sessions")
	ResponseEntity<JsonNode> login(@Valid @RequestBody SessionRequest request) {
		return this.users.post("/internal/sessions", request, "/api/sessions");
	}

}
