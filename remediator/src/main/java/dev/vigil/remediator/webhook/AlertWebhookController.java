package dev.vigil.remediator.webhook;

import dev.vigil.remediator.RemediatorProperties;
import dev.vigil.remediator.audit.AuditLog;
import dev.vigil.remediator.audit.Decision;
import dev.vigil.remediator.engine.RemediationEngine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /api/alerts receives Alertmanager (or vigil-telemetry) webhooks; GET /api/actions is the audit trail; PUT
 * /api/kill-switch stops all automatic actions.
 */
@RestController
class AlertWebhookController {

	private final RemediationEngine engine;

	private final AuditLog audit;

	private final RemediatorProperties properties;

	private final PayloadParser parser = new PayloadParser();

	AlertWebhookController(RemediationEngine engine, AuditLog audit, RemediatorProperties properties) {
		this.engine = engine;
		this.audit = audit;
		this.properties = properties;
	}

	@PostMapping("/api/alerts")
	ResponseEntity<?> receive(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody(required = false) String body) {
		ResponseEntity<ProblemDetail> denied = authorize(authorization);
		if (denied != null) {
			return denied;
		}
		if (body == null || body.isBlank()) {
			return problem(HttpStatus.BAD_REQUEST, "Malformed webhook", "the body is empty; send an Alertmanager webhook payload (version 4)");
		}
		AlertmanagerPayload payload;
		try {
			payload = parser.parse(body);
		}
		catch (PayloadParser.InvalidPayloadException ex) {
			return problem(HttpStatus.BAD_REQUEST, "Malformed webhook", ex.getMessage());
		}
		List<Decision> decisions = engine.handle(payload.alerts());
		return ResponseEntity.ok(Map.of("decisions", decisions));
	}

	@GetMapping("/api/actions")
	ResponseEntity<?> actions(@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1_000) {
			return problem(HttpStatus.BAD_REQUEST, "Bad limit", "limit must be between 1 and 1000");
		}
		return ResponseEntity.ok(Map.of("killSwitch", engine.killSwitch(), "actions", audit.recent(limit)));
	}

	@PutMapping("/api/kill-switch")
	ResponseEntity<?> killSwitch(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody Map<String, Boolean> body) {
		ResponseEntity<ProblemDetail> denied = authorize(authorization);
		if (denied != null) {
			return denied;
		}
		Boolean engaged = body.get("engaged");
		if (engaged == null) {
			return problem(HttpStatus.BAD_REQUEST, "Bad kill switch", "send {\"engaged\": true} or {\"engaged\": false}");
		}
		engine.killSwitch(engaged);
		return ResponseEntity.ok(Map.of("killSwitch", engaged));
	}

	private ResponseEntity<ProblemDetail> authorize(String authorization) {
		String token = properties.token();
		if (token == null || token.isBlank()) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "No token configured",
					"set VIGIL_REMEDIATOR_TOKEN; webhooks are refused until then");
		}
		String expected = "Bearer " + token;
		// Constant-time comparison: the token guards actions that restart production services.
		if (authorization == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				authorization.getBytes(StandardCharsets.UTF_8))) {
			return problem(HttpStatus.UNAUTHORIZED, "Unauthorized", "send Authorization: Bearer <VIGIL_REMEDIATOR_TOKEN>");
		}
		return null;
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return ResponseEntity.status(status).body(problem);
	}

}
