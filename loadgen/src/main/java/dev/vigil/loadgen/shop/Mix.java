package dev.vigil.loadgen.shop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relative weights of the shop scenarios. Weights are integers; they need not sum to 100.
 *
 * <ul>
 * <li>{@code browse}: {@code GET /api/products}</li>
 * <li>{@code product}: {@code GET /api/products/{id}} (ids learned from the catalog at start)</li>
 * <li>{@code order}: {@code POST /api/orders} as a pooled user, with an {@code Idempotency-Key}</li>
 * <li>{@code orders}: {@code GET /api/orders} as a pooled user</li>
 * <li>{@code register}: {@code POST /api/users} with a fresh email</li>
 * <li>{@code login}: {@code POST /api/sessions} as a pooled user (also refreshes that user's token)</li>
 * </ul>
 *
 * @param weights scenario name to weight, in scenario order; names not listed have weight 0
 */
public record Mix(Map<String, Integer> weights) {

	/** All scenario names, in report order. */
	public static final List<String> SCENARIOS = List.of("browse", "product", "order", "orders", "register", "login");

	/**
	 * {@code browse=60,product=27,order=5,orders=5,login=2,register=1}: mostly reads, like a shop. Per visit a shopper
	 * makes several catalog and product requests; only a few percent of visits end in an order (industry conversion
	 * rates are about 2-3 % of visits), a login happens at most once per visit (tokens live an hour) and a
	 * registration once per customer. Orders are still over-represented (5 %, several times what conversion rates
	 * give) because the order path is the one worth loading. Until 2026-11 the default was
	 * {@code browse=50,product=25,order=15,orders=5,register=3,login=2}, with a registration every 33 requests
	 * (see docs/benchmarks.md, "Shop capacity", for both).
	 */
	public static final Mix DEFAULT = parse("browse=60,product=27,order=5,orders=5,login=2,register=1");

	/**
	 * {@code browse=60,product=25,order=10,orders=5}: the long-running background load of {@code vigil up}. No
	 * {@code register}, so hours of traffic do not grow the users table without bound.
	 */
	public static final Mix BACKGROUND = parse("browse=60,product=25,order=10,orders=5");

	public Mix {
		Map<String, Integer> ordered = new LinkedHashMap<>();
		int total = 0;
		for (String name : SCENARIOS) {
			Integer w = weights.get(name);
			if (w != null) {
				if (w < 0) {
					throw new IllegalArgumentException("weight of '" + name + "' must be >= 0, got " + w);
				}
				if (w > 0) {
					ordered.put(name, w);
					total += w;
				}
			}
		}
		for (String name : weights.keySet()) {
			if (!SCENARIOS.contains(name)) {
				throw new IllegalArgumentException("unknown scenario '" + name + "' in mix; known: " + String.join(", ", SCENARIOS));
			}
		}
		if (total <= 0) {
			throw new IllegalArgumentException("mix needs at least one scenario with a positive weight");
		}
		weights = java.util.Collections.unmodifiableMap(ordered);
	}

	/** Parses {@code browse=50,product=25,...}. */
	public static Mix parse(String text) {
		Map<String, Integer> weights = new LinkedHashMap<>();
		for (String part : text.split(",")) {
			String p = part.trim();
			if (p.isEmpty()) {
				continue;
			}
			int eq = p.indexOf('=');
			if (eq <= 0) {
				throw new IllegalArgumentException("mix entry '" + p + "' must look like name=weight, e.g. browse=50");
			}
			String name = p.substring(0, eq).trim();
			try {
				weights.put(name, Integer.parseInt(p.substring(eq + 1).trim()));
			}
			catch (NumberFormatException e) {
				throw new IllegalArgumentException("weight in '" + p + "' must be a whole number, e.g. browse=50");
			}
		}
		return new Mix(weights);
	}

	/** Names with a positive weight, in scenario order. */
	public List<String> active() {
		return new ArrayList<>(weights.keySet());
	}

	public int weight(String name) {
		return weights.getOrDefault(name, 0);
	}

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder();
		weights.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
		return sb.toString();
	}
}
