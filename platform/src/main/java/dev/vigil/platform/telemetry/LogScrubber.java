package dev.vigil.platform.telemetry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets and personal data in free text before it leaves the process (DESIGN.md, Telemetry: "No secrets or
 * passwords in logs or span attributes"). A last line of defence, not a licence to log secrets: it catches the
 * common shapes (JWTs, bearer tokens, {@code password=...}, e-mail addresses, card-number-like digit runs).
 */
public final class LogScrubber {

	static final String MASK = "***";

	// Cheap pre-check: every pattern below needs one of these characters, so most log lines skip the regexes.
	private static final Pattern CANDIDATE = Pattern.compile("[@=:]|eyJ|\\d{12}|\\d{4}[ -]\\d{4}", Pattern.CASE_INSENSITIVE);

	// A JWT: three base64url segments, the first one always starts with {"  ->  eyJ.
	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

	private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");

	// password=..., "password": "...", passwd, secret, token, api_key, authorization
	private static final Pattern KEY_VALUE = Pattern.compile(
			"(?i)(\"?(?:password|passwd|pwd|secret|token|access_token|refresh_token|api[_-]?key|authorization)\"?\\s*[=:]\\s*\"?)([^\\s\",&;}]+)");

	private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

	// 13 to 19 digits, optionally grouped by spaces or dashes: the length range of payment card numbers (ISO/IEC 7812).
	// Only Luhn-valid runs are masked, so epoch milliseconds and order numbers mostly survive.
	private static final Pattern CARD = Pattern.compile("(?<![\\d.-])(?:\\d[ -]?){12,18}\\d(?![\\d.])");

	private LogScrubber() {
	}

	/** Returns {@code text} with secrets masked; the same instance when there was nothing to mask. */
	public static String scrub(String text) {
		if (text == null || text.isEmpty() || !CANDIDATE.matcher(text).find()) {
			return text;
		}
		String out = JWT.matcher(text).replaceAll(MASK);
		out = BEARER.matcher(out).replaceAll("$1" + MASK);
		out = KEY_VALUE.matcher(out).replaceAll(mr -> Matcher.quoteReplacement(mr.group(1) + MASK));
		out = EMAIL.matcher(out).replaceAll(MASK);
		out = CARD.matcher(out).replaceAll(mr -> luhnValid(mr.group()) ? MASK : Matcher.quoteReplacement(mr.group()));
		return out.equals(text) ? text : out;
	}

	static boolean luhnValid(String candidate) {
		int sum = 0;
		boolean dbl = false;
		for (int i = candidate.length() - 1; i >= 0; i--) {
			char c = candidate.charAt(i);
			if (c < '0' || c > '9') {
				continue;
			}
			int d = c - '0';
			if (dbl) {
				d *= 2;
				if (d > 9) {
					d -= 9;
				}
			}
			sum += d;
			dbl = !dbl;
		}
		return sum % 10 == 0;
	}

}
