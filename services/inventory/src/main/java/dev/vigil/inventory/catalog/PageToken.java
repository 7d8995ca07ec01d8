package dev.vigil.inventory.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.vigil.inventory.InvalidRequestException;

/**
 * Keyset pagination cursor: the id of the last product on the previous page. Encoded so callers treat it as
 * opaque, and versioned so the format can change without misreading old tokens.
 */
final class PageToken {

	private static final String PREFIX = "v1:";

	private PageToken() {
	}

	static String encode(String lastProductId) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((PREFIX + lastProductId).getBytes(StandardCharsets.UTF_8));
	}

	/** Returns the id to continue after, or the empty string for the first page. */
	static String decode(String token) {
		if (token == null || token.isEmpty()) {
			return "";
		}
		String decoded;
		try {
			decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw invalid();
		}
		if (!decoded.startsWith(PREFIX) || decoded.length() == PREFIX.length()) {
			throw invalid();
		}
		return decoded.substring(PREFIX.length());
	}

	private static InvalidRequestException invalid() {
		return new InvalidRequestException("page_token is not valid: pass the next_page_token of a previous response");
	}

}
