package dev.vigil.loadgen.shop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.vigil.loadgen.LoadRun.LoadRunException;
import dev.vigil.loadgen.Workload;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Vigil shop through its gateway's REST API: a weighted {@link Mix} of browse, view, order, list-orders,
 * register and login. A bounded pool of users is registered and logged in before the clock starts and reused for
 * orders and logins, so the run measures steady-state traffic rather than sign-up storms.
 */
public final class ShopWorkload implements Workload {

	/** Default number of pre-registered users. */
	public static final int DEFAULT_USERS = 20;

	/** Upper bound for the pool: setup time and database rows stay bounded. */
	public static final int MAX_USERS = 1000;

	static final String PASSWORD = "Loadgen-Passw0rd!";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);

	/** Attempts per set-up request while the shop answers 503 with Retry-After (within {@link #SETUP_TIMEOUT}). */
	private static final int SETUP_ATTEMPTS = 20;

	private final Mix mix;

	private final int userCount;

	private final long seed;

	// Per-run state, reset by prepare(). Everything read by next() is written before the clock starts.
	private List<String> names;

	private int[] scenarioOf; // active scenario index -> Kind ordinal

	private int[] cumulative;

	private SplittableRandom random;

	private HttpClient client;

	private URI base;

	private Duration timeout;

	private String runTag;

	private long idempotencyHigh;

	private HttpRequest browse;

	private List<HttpRequest> productViews;

	private List<String> productIdsJson;

	private List<PoolUser> users;

	private ShopWorkload(Mix mix, int users, long seed) {
		if (users < 1 || users > MAX_USERS) {
			throw new IllegalArgumentException("users must be between 1 and " + MAX_USERS + ", got " + users);
		}
		this.mix = mix;
		this.userCount = users;
		this.seed = seed;
	}

	/** The default mix with {@value #DEFAULT_USERS} users. */
	public static ShopWorkload defaults() {
		return of(Mix.DEFAULT, DEFAULT_USERS);
	}

	public static ShopWorkload of(Mix mix, int users) {
		return new ShopWorkload(mix, users, 42);
	}

	public Mix mix() {
		return mix;
	}

	@Override
	public List<String> scenarios() {
		return mix.active();
	}

	@Override
	public void prepare(Context context) throws Exception {
		client = context.client();
		String t = context.target().toString();
		base = URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
		timeout = context.requestTimeout();
		random = new SplittableRandom(seed);
		UUID run = UUID.randomUUID();
		runTag = Long.toHexString(run.getLeastSignificantBits()).substring(0, 8);
		idempotencyHigh = run.getMostSignificantBits();
		names = mix.active();
		scenarioOf = new int[names.size()];
		cumulative = new int[names.size()];
		int total = 0;
		for (int i = 0; i < names.size(); i++) {
			scenarioOf[i] = Mix.SCENARIOS.indexOf(names.get(i));
			total += mix.weight(names.get(i));
			cumulative[i] = total;
		}
		browse = get("/api/products").build();
		productViews = List.of();
		productIdsJson = List.of();
		users = List.of();
		if (mix.weight("product") > 0 || mix.weight("order") > 0) {
			learnCatalog();
		}
		if (mix.weight("order") > 0 || mix.weight("orders") > 0 || mix.weight("login") > 0) {
			createUsers();
		}
	}

	@Override
	public Call next(long seq, long intendedNanoTime) {
		int pick = random.nextInt(cumulative[cumulative.length - 1]);
		int i = 0;
		while (cumulative[i] <= pick) {
			i++;
		}
		switch (scenarioOf[i]) {
			case 0: // browse
				return new Call(i, browse, false, null);
			case 1: // product
				return new Call(i, productViews.get(random.nextInt(productViews.size())), false, null);
			case 2: { // order
				PoolUser user = users.get((int) (seq % users.size()));
				String body = "{\"items\":[{\"productId\":" + productIdsJson.get(random.nextInt(productIdsJson.size()))
						+ ",\"quantity\":1}]}";
				HttpRequest request = post("/api/orders", body)
						.header("Authorization", "Bearer " + user.token)
						.header("Idempotency-Key", new UUID(idempotencyHigh, seq).toString())
						.build();
				return new Call(i, request, false, user);
			}
			case 3: { // orders
				PoolUser user = users.get((int) (seq % users.size()));
				return new Call(i, get("/api/orders").header("Authorization", "Bearer " + user.token).build(), false,
						user);
			}
			case 4: { // register
				String email = "lg-" + runTag + "-r" + seq + "@example.com";
				return new Call(i, post("/api/users", registerBody(email, "Loadgen r" + seq)).build(), false, null);
			}
			default: { // login
				PoolUser user = users.get((int) (seq % users.size()));
				return new Call(i, post("/api/sessions", loginBody(user.email)).build(), true, user);
			}
		}
	}

	@Override
	public void onResponse(Call call, int status, String body) {
		if (!(call.attachment() instanceof PoolUser user)) {
			return;
		}
		if (body != null && status >= 200 && status < 300) {
			String token = token(body);
			if (token != null) {
				user.token = token;
			}
		}
		else if (status == 401) {
			// Tokens expire during long runs (vigil up's background load); re-login off the clock, once at a time.
			refresh(user);
		}
	}

	private void refresh(PoolUser user) {
		if (!user.refreshing.compareAndSet(false, true)) {
			return;
		}
		client.sendAsync(post("/api/sessions", loginBody(user.email)).build(), HttpResponse.BodyHandlers.ofString())
				.whenComplete((r, e) -> {
					if (r != null && r.statusCode() / 100 == 2) {
						String token = token(r.body());
						if (token != null) {
							user.token = token;
						}
					}
					user.refreshing.set(false);
				});
	}

	private void learnCatalog() throws Exception {
		HttpResponse<String> r = client.send(get("/api/products").build(), HttpResponse.BodyHandlers.ofString());
		if (r.statusCode() / 100 != 2) {
			throw new LoadRunException("setup: GET " + base + "/api/products returned " + r.statusCode() + " "
					+ snippet(r.body()) + "; the product and order scenarios need the catalog");
		}
		List<JsonNode> ids = productIds(r.body());
		if (ids.isEmpty()) {
			throw new LoadRunException("setup: GET " + base + "/api/products returned no products with an id; "
					+ "seed the inventory, or leave product and order out of --mix");
		}
		List<HttpRequest> views = new ArrayList<>();
		List<String> json = new ArrayList<>();
		for (JsonNode id : ids) {
			views.add(get("/api/products/" + id.asString()).build());
			json.add(JSON.writeValueAsString(id)); // keeps numeric ids numeric and string ids quoted
		}
		productViews = List.copyOf(views);
		productIdsJson = List.copyOf(json);
	}

	/** Accepts a bare array or a page object ({@code items}, {@code content}, {@code products}, {@code data}). */
	static List<JsonNode> productIds(String body) {
		JsonNode root;
		try {
			root = JSON.readTree(body);
		}
		catch (JacksonException e) {
			return List.of();
		}
		JsonNode array = root;
		if (root != null && root.isObject()) {
			array = null;
			for (String field : List.of("items", "content", "products", "data")) {
				if (root.path(field).isArray()) {
					array = root.get(field);
					break;
				}
			}
		}
		List<JsonNode> ids = new ArrayList<>();
		if (array == null || !array.isArray()) {
			return ids;
		}
		for (JsonNode product : array) {
			for (String field : List.of("id", "productId", "sku")) {
				JsonNode id = product.get(field);
				if (id != null && (id.isNumber() || id.isString())) {
					ids.add(id);
					break;
				}
			}
		}
		return ids;
	}

	private void createUsers() throws Exception {
		List<PoolUser> pool = new ArrayList<>();
		List<CompletableFuture<Void>> setups = new ArrayList<>();
		for (int i = 0; i < userCount; i++) {
			PoolUser user = new PoolUser("lg-" + runTag + "-u" + i + "@example.com");
			pool.add(user);
			setups.add(sendSetup(post("/api/users", registerBody(user.email, "Loadgen user " + i)).build(),
					SETUP_ATTEMPTS)
					.thenCompose(r -> {
						// 409: the user exists already (same tag reused); logging in will tell whether that's usable.
						if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
							throw new LoadRunException("setup: POST " + base + "/api/users returned " + r.statusCode()
									+ " " + snippet(r.body()));
						}
						return sendSetup(post("/api/sessions", loginBody(user.email)).build(), SETUP_ATTEMPTS);
					})
					.thenAccept(r -> {
						String token = r.statusCode() / 100 == 2 ? token(r.body()) : null;
						if (token == null) {
							throw new LoadRunException("setup: POST " + base + "/api/sessions returned " + r.statusCode()
									+ " " + snippet(r.body()) + " (expected a JSON body with accessToken)");
						}
						user.token = token;
					}));
		}
		try {
			CompletableFuture.allOf(setups.toArray(CompletableFuture[]::new))
					.get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.ExecutionException e) {
			Throwable c = e.getCause();
			while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
				c = c.getCause();
			}
			if (c instanceof Exception ex) {
				throw ex;
			}
			throw e;
		}
		users = List.copyOf(pool);
	}

	/**
	 * Sends a set-up request; while the shop sheds load (503 with Retry-After: the users service hashes a bounded
	 * number of passwords at a time, and the set-up registers and logs in the whole pool at once), sends it again
	 * after the delay it asks for, up to {@code attempts} times in all. A refused registration created no account,
	 * so sending it again is safe (and a 409 would be taken as "exists already").
	 */
	private CompletableFuture<HttpResponse<String>> sendSetup(HttpRequest request, int attempts) {
		return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
			long delay = retryAfterSeconds(r.statusCode(), r.headers().firstValue("Retry-After"));
			if (delay < 0 || attempts <= 1) {
				return CompletableFuture.completedFuture(r);
			}
			Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.SECONDS);
			return CompletableFuture.supplyAsync(() -> request, later).thenCompose(again -> sendSetup(again, attempts - 1));
		});
	}

	/** Seconds a 503 asks to wait (Retry-After in seconds, at most 5), or -1 when it is not a load-shedding answer. */
	static long retryAfterSeconds(int status, Optional<String> retryAfter) {
		if (status != 503) {
			return -1;
		}
		return retryAfter.map(value -> {
			try {
				return Math.min(5, Math.max(0, Long.parseLong(value.strip())));
			}
			catch (NumberFormatException e) {
				return 1L; // an HTTP date, or garbage: a short wait is still the polite answer
			}
		}).orElse(-1L);
	}

	static String token(String body) {
		try {
			JsonNode root = JSON.readTree(body);
			for (String field : List.of("accessToken", "access_token", "token")) {
				JsonNode t = root.get(field);
				if (t != null && t.isString() && !t.asString().isEmpty()) {
					return t.asString();
				}
			}
		}
		catch (JacksonException | NullPointerException e) {
			// not JSON: no token
		}
		return null;
	}

	private HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json").GET();
	}

	private HttpRequest.Builder post(String path, String json) {
		return HttpRequest.newBuilder(base.resolve(path))
				.timeout(timeout)
				.header("Accept", "application/json")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	// Emails and names are generated here from [a-z0-9-@.], so no JSON escaping is needed.
	private static String registerBody(String email, String name) {
		return "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"" + name + "\"}";
	}

	private static String loginBody(String email) {
		return "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
	}

	private static String snippet(String body) {
		if (body == null || body.isBlank()) {
			return "(empty body)";
		}
		String b = body.strip().replaceAll("\\s+", " ");
		return b.length() > 200 ? b.substring(0, 200) + "…" : b;
	}

	/** A pre-registered user; the token is replaced by logins and 401-triggered refreshes. */
	static final class PoolUser {

		final String email;

		volatile String token;

		final AtomicBoolean refreshing = new AtomicBoolean();

		PoolUser(String email) {
			this.email = email;
		}
	}
}
