package dev.vigil.users.token;

import java.time.Duration;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class JwksController {

	private final SigningKeys keys;

	JwksController(SigningKeys keys) {
		this.keys = keys;
	}

	@GetMapping(path = "/.well-known/jwks.json", produces = "application/json")
	ResponseEntity<Map<String, Object>> jwks() {
		// toJSONObject() publishes only the public parameters.
		Map<String, Object> jwks = new JWKSet(this.keys.active().toPublicJWK()).toJSONObject();
		return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic()).body(jwks);
	}

}
