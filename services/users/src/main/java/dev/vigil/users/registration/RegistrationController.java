package dev.vigil.users.registration;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class RegistrationController {

	private final Registration registration;

	RegistrationController(Registration registration) {
		this.registration = registration;
	}

	@PostMapping("/internal/users")
	ResponseEntity<RegisteredUser> register(@Valid @RequestBody RegistrationRequest request) {
		RegisteredUser user = this.registration.register(request);
		return ResponseEntity.created(URI.create("/internal/users/" + user.id())).body(user);
	}

}
