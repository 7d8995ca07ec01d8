package dev.vigil.gateway.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.vigil.gateway.system.Identifiers;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CatalogController {

	/** Tells clients (and dashboards) that the answer was served from cache because a dependency is down. */
	static final String DEGRADED_HEADER = "X-Vigil-Degraded";

	private final Catalog catalog;

	CatalogController(Catalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/api/products")
	ResponseEntity<ProductPage> list(@RequestParam(required = false) @Min(1) @Max(200) Integer pageSize,
			@RequestParam(required = false) @Size(max = 512) @Pattern(regexp = "[\\x21-\\x7E]*",
					message = "must be printable ASCII") String pageToken) {
		return respond(this.catalog.list((pageSize != null) ? pageSize : 0, (pageToken != null) ? pageToken : ""));
	}

	@GetMapping("/api/products/{id}")
	ResponseEntity<ProductView> get(
			@PathVariable @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String id) {
		return respond(this.catalog.get(id));
	}

	private static <T> ResponseEntity<T> respond(CatalogRead<T> read) {
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (read.degraded()) {
			response.header(DEGRADED_HEADER, "inventory");
		}
		return response.body(read.value());
	}

}
