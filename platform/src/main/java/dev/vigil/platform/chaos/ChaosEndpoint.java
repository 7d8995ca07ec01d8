package dev.vigil.platform.chaos;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chaos control API of every service: GET lists active faults, POST adds one, DELETE removes one or all. Token
 * protected (VIGIL_CHAOS_TOKEN) and, unless vigil.chaos.allow-remote is set, answered only on loopback.
 */
@RestController
class ChaosEndpoint {

	private final ChaosFaults faults;

	private final ChaosProperties properties;

	ChaosEndpoint(ChaosFaults faults, ChaosProperties properties) {
		this.faults = faults;
		this.properties = properties;
	}

	@GetMapping("/actuator/chaos")
	ResponseEntity<?> list(HttpServletRequest request) {
		ResponseEntity<ProblemDetail> denied = authorize(request);
		return denied != null ? denied : ResponseEntity.ok(Map.of("faults", faults.active()));
	}

	@PostMapping("/actuator/chaos")
	ResponseEntity<?> add(HttpServletRequest request, @RequestBody FaultRequest body) {
		ResponseEntity<ProblemDetail> denied = authorize(request);
		if (denied != null) {
			return denied;
		}
		try {
			return ResponseEntity.status(HttpStatus.CREATED).body(faults.add(body));
		}
		catch (ChaosException ex) {
			return problem(HttpStatus.BAD_REQUEST, "Bad fault", ex.getMessage());
		}
	}

	@DeleteMapping("/actuator/chaos")
	ResponseEntity<?> clear(HttpServletRequest request) {
		ResponseEntity<ProblemDetail> denied = authorize(request);
		return denied != null ? denied : ResponseEntity.ok(Map.of("removed", faults.clear()));
	}

	@DeleteMapping("/actuator/chaos/{id}")
	ResponseEntity<?> remove(HttpServletRequest request, @PathVariable String id) {
		ResponseEntity<ProblemDetail> denied = authorize(request);
		if (denied != null) {
			return denied;
		}
		return faults.remove(id) ? ResponseEntity.ok(Map.of("removed", List.of(id)))
				: problem(HttpStatus.NOT_FOUND, "No such fault", "no active fault with id " + id);
	}

	private ResponseEntity<ProblemDetail> authorize(HttpServletRequest request) {
		if (!properties.allowRemote() && !loopback(request.getRemoteAddr())) {
			return problem(HttpStatus.FORBIDDEN, "Chaos is local-only",
					"the chaos API answers only on loopback; set VIGIL_CHAOS_ALLOW_REMOTE=true to change that");
		}
		String header = request.getHeader("Authorization");
		String expected = "Bearer " + properties.token();
		if (header == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				header.getBytes(StandardCharsets.UTF_8))) {
			return problem(HttpStatus.UNAUTHORIZED, "Unauthorized", "send Authorization: Bearer <VIGIL_CHAOS_TOKEN>");
		}
		return null;
	}

	private static boolean loopback(String address) {
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return ResponseEntity.status(status).body(problem);
	}

}
