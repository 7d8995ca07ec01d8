package dev.vigil.users.session;

import jakarta.validation.Valid;

import dev.vigil.users.token.IssuedToken;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SessionController {

	private final Authentication authentication;

	SessionController(Authentication authentication) {
		this.authentication = authentication;
	}

	@PostMapping("/internal/sessions")
	ResponseEntity<SessionResponse> login(@Valid @RequestBody SessionRequest request) {
		IssuedToken token = this.authentication.authenticate(request.email(), request.password());
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(new SessionResponse(token.value(), "Bearer", token.expiresInSeconds()));
	}

}
