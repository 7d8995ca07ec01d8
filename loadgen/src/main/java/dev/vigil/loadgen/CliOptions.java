package dev.vigil.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.loadgen.shop.Mix;
import dev.vigil.loadgen.shop.ShopWorkload;

/** Command-line parsing. Every failure is a {@link UsageException} that says what was wrong and how to fix it. */
final class CliOptions {

	static final String USAGE = """
			Usage: vigil load [options]        (java -jar vigil-loadgen.jar [options])

			Open-model load generator: requests start at the scheduled rate whatever the response times are;
			latency is measured from each request's intended send time (no coordinated omission).

			Workload
			  --scenario shop|http-get  shop: the Vigil shop mix through the gateway (default);
			                            http-get: GET --target repeatedly, to benchmark any endpoint
			  --target URL              gateway base URL, or the URL to GET (default http://127.0.0.1:8080)
			  --mix name=w,...          shop scenario weights (default browse=60,product=27,order=5,orders=5,login=2,register=1)
			  --users N                 users registered before the run, reused for login/order (default 20, max 1000)

			Rate (pick one; default --rate 50/s)
			  --rate 200/s              constant arrival rate
			  --ramp 10/s..500/s        linear ramp over --duration
			  --steps 100/s:30s,200/s:30s  piecewise constant; duration defaults to the sum of the steps
			  --duration 60s            how long to schedule arrivals (default 60s)

			Limits
			  --max-in-flight N         outstanding-request bound; arrivals beyond it are dropped and reported (default 1000)
			  --timeout 10s             per-request timeout, counted as an error (default 10s)
			  --io-threads N            HTTP client completion threads (default 2)

			Output and verdict
			  --report out.json         write the JSON report
			  --quiet                   no per-second progress line
			  --max-p99 250ms           fail (exit 1) if overall p99 exceeds this
			  --max-error-rate 1%       fail (exit 1) if errors/completed exceeds this (429s are counted apart)
			  --help                    this text

			Exit codes: 0 passed, 1 thresholds breached or the run could not start, 2 bad usage.
			""";

	private static final List<String> FLAGS = List.of("--scenario", "--target", "--mix", "--users", "--rate", "--ramp",
			"--steps", "--duration", "--max-in-flight", "--timeout", "--io-threads", "--report", "--quiet",
			"--max-p99", "--max-error-rate", "--help");

	private static final List<String> SWITCHES = List.of("--quiet", "--help");

	boolean help;

	boolean quiet;

	Path report;

	LoadConfig config;

	Thresholds thresholds = Thresholds.NONE;

	String scenario = "shop";

	/** Thrown for bad command lines; {@code fix} tells the user what to type instead. */
	static final class UsageException extends Exception {

		private static final long serialVersionUID = 1L;

		final String fix;

		UsageException(String message, String fix) {
			super(message);
			this.fix = fix;
		}
	}

	static CliOptions parse(String[] args) throws UsageException {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("-h")) {
				arg = "--help";
			}
			String value = null;
			int eq = arg.indexOf('=');
			if (arg.startsWith("--") && eq > 0) {
				value = arg.substring(eq + 1);
				arg = arg.substring(0, eq);
			}
			if (!FLAGS.contains(arg)) {
				if (!arg.startsWith("-")) {
					throw new UsageException("unexpected argument '" + arg + "'",
							"options are written --name value, e.g. --rate 200/s; see --help");
				}
				String near = nearest(arg);
				throw new UsageException("unknown option '" + arg + "'",
						near != null ? "did you mean " + near + "? see --help" : "see --help for the options");
			}
			if (SWITCHES.contains(arg)) {
				if (value != null) {
					throw new UsageException(arg + " takes no value", "write just " + arg);
				}
				values.put(arg, "true");
				continue;
			}
			if (value == null) {
				if (i + 1 >= args.length || (args[i + 1].startsWith("--") && args[i + 1].length() > 2)) {
					throw new UsageException(arg + " needs a value", "e.g. " + example(arg));
				}
				value = args[++i];
			}
			if (values.put(arg, value) != null) {
				throw new UsageException(arg + " given twice", "keep one " + arg);
			}
		}
		CliOptions o = new CliOptions();
		o.help = values.containsKey("--help");
		if (o.help) {
			return o;
		}
		o.quiet = values.containsKey("--quiet");
		LoadConfig.Builder b = LoadConfig.builder();

		o.scenario = values.getOrDefault("--scenario", "shop");
		if (!o.scenario.equals("shop") && !o.scenario.equals("http-get")) {
			throw new UsageException("unknown scenario '" + o.scenario + "'", "use --scenario shop or --scenario http-get");
		}
		String target = values.get("--target");
		if (target != null) {
			URI uri;
			try {
				uri = URI.create(target);
			}
			catch (IllegalArgumentException e) {
				throw new UsageException("--target '" + target + "' is not a URL", "e.g. --target http://127.0.0.1:8080");
			}
			if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
					|| uri.getHost() == null) {
				throw new UsageException("--target '" + target + "' is not an http(s) URL",
						"e.g. --target http://127.0.0.1:8080");
			}
			b.target(uri);
		}
		if (o.scenario.equals("http-get")) {
			if (target == null) {
				throw new UsageException("--scenario http-get needs the URL to GET",
						"add --target http://host:port/path");
			}
			if (values.containsKey("--mix") || values.containsKey("--users")) {
				throw new UsageException("--mix and --users apply to the shop scenario only",
						"drop them, or use --scenario shop");
			}
			b.workload(Workload.httpGet());
		}
		else {
			Mix mix = Mix.DEFAULT;
			if (values.containsKey("--mix")) {
				try {
					mix = Mix.parse(values.get("--mix"));
				}
				catch (IllegalArgumentException e) {
					throw new UsageException("--mix: " + e.getMessage(), "e.g. " + example("--mix"));
				}
			}
			int users = intValue(values, "--users", ShopWorkload.DEFAULT_USERS, 1, ShopWorkload.MAX_USERS);
			b.workload(ShopWorkload.of(mix, users));
		}

		List<String> rateFlags = new ArrayList<>();
		for (String f : List.of("--rate", "--ramp", "--steps")) {
			if (values.containsKey(f)) {
				rateFlags.add(f);
			}
		}
		if (rateFlags.size() > 1) {
			throw new UsageException(String.join(" and ", rateFlags) + " both set the rate", "keep only one of them");
		}
		Duration duration = values.containsKey("--duration") ? duration(values, "--duration") : null;
		if (duration != null && duration.isZero()) {
			throw new UsageException("--duration must be positive", "e.g. --duration 60s");
		}
		Duration defaultDuration = Duration.ofSeconds(60);
		if (values.containsKey("--rate")) {
			double rate = rate(values.get("--rate"), "--rate");
			if (rate <= 0) {
				throw new UsageException("--rate must be positive", "e.g. --rate 200/s");
			}
			b.profile(RateProfile.constant(rate));
		}
		else if (values.containsKey("--ramp")) {
			String v = values.get("--ramp");
			int dots = v.indexOf("..");
			if (dots < 0) {
				throw new UsageException("--ramp '" + v + "' needs a from..to range", "e.g. --ramp 10/s..500/s");
			}
			double from = rate(v.substring(0, dots), "--ramp");
			double to = rate(v.substring(dots + 2), "--ramp");
			if (from == 0 && to == 0) {
				throw new UsageException("--ramp rates cannot both be 0", "e.g. --ramp 10/s..500/s");
			}
			b.profile(RateProfile.ramp(from, to, duration != null ? duration : defaultDuration));
		}
		else if (values.containsKey("--steps")) {
			List<RateProfile.Step> steps = new ArrayList<>();
			for (String part : values.get("--steps").split(",")) {
				int colon = part.indexOf(':');
				if (colon < 0) {
					throw new UsageException("--steps entry '" + part + "' needs rate:duration",
							"e.g. --steps 100/s:30s,200/s:30s");
				}
				double rate = rate(part.substring(0, colon), "--steps");
				Duration length;
				try {
					length = Units.parseDuration(part.substring(colon + 1));
				}
				catch (IllegalArgumentException e) {
					throw new UsageException("--steps: " + e.getMessage(), "e.g. --steps 100/s:30s,200/s:30s");
				}
				if (length.isZero()) {
					throw new UsageException("--steps entry '" + part + "' has zero length", "e.g. 100/s:30s");
				}
				steps.add(new RateProfile.Step(rate, length));
			}
			if (steps.stream().allMatch(s -> s.perSecond() == 0)) {
				throw new UsageException("--steps has no step with a positive rate", "e.g. --steps 100/s:30s,200/s:30s");
			}
			RateProfile.Steps profile = new RateProfile.Steps(steps);
			b.profile(profile);
			defaultDuration = profile.totalLength();
		}
		b.duration(duration != null ? duration : defaultDuration);
		b.maxInFlight(intValue(values, "--max-in-flight", 1000, 1, 1_000_000));
		if (values.containsKey("--timeout")) {
			Duration t = duration(values, "--timeout");
			if (t.isZero()) {
				throw new UsageException("--timeout must be positive", "e.g. --timeout 10s");
			}
			b.requestTimeout(t);
		}
		b.ioThreads(intValue(values, "--io-threads", 2, 1, 64));
		if (values.containsKey("--report")) {
			o.report = Path.of(values.get("--report"));
		}
		Duration maxP99 = values.containsKey("--max-p99") ? duration(values, "--max-p99") : null;
		Double maxErrorRate = null;
		if (values.containsKey("--max-error-rate")) {
			try {
				maxErrorRate = Units.parseFraction(values.get("--max-error-rate"));
			}
			catch (IllegalArgumentException e) {
				throw new UsageException("--max-error-rate: " + e.getMessage(), "e.g. --max-error-rate 1%");
			}
		}
		o.thresholds = new Thresholds(maxP99, maxErrorRate);
		o.config = b.build();
		return o;
	}

	private static double rate(String text, String flag) throws UsageException {
		try {
			return Units.parseRate(text);
		}
		catch (IllegalArgumentException e) {
			throw new UsageException(flag + ": " + e.getMessage(), "e.g. " + example(flag));
		}
	}

	private static Duration duration(Map<String, String> values, String flag) throws UsageException {
		try {
			return Units.parseDuration(values.get(flag));
		}
		catch (IllegalArgumentException e) {
			throw new UsageException(flag + ": " + e.getMessage(), "e.g. " + example(flag));
		}
	}

	private static int intValue(Map<String, String> values, String flag, int dflt, int min, int max)
			throws UsageException {
		String v = values.get(flag);
		if (v == null) {
			return dflt;
		}
		try {
			int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
			if (n < min || n > max) {
				throw new UsageException(flag + " " + v + " is out of range", "use a value from " + min + " to " + max);
			}
			return n;
		}
		catch (NumberFormatException e) {
			throw new UsageException(flag + " '" + v + "' is not a whole number", "e.g. " + example(flag));
		}
	}

	private static String example(String flag) {
		return switch (flag) {
			case "--scenario" -> "--scenario shop";
			case "--target" -> "--target http://127.0.0.1:8080";
			case "--mix" -> "--mix browse=60,product=27,order=5,orders=5,login=2,register=1";
			case "--users" -> "--users 20";
			case "--rate" -> "--rate 200/s";
			case "--ramp" -> "--ramp 10/s..500/s";
			case "--steps" -> "--steps 100/s:30s,200/s:30s";
			case "--duration" -> "--duration 60s";
			case "--max-in-flight" -> "--max-in-flight 1000";
			case "--timeout" -> "--timeout 10s";
			case "--io-threads" -> "--io-threads 2";
			case "--report" -> "--report out.json";
			case "--max-p99" -> "--max-p99 250ms";
			case "--max-error-rate" -> "--max-error-rate 1%";
			default -> flag;
		};
	}

	/** The known option closest to a misspelt one, if it is close enough to be a plausible typo. */
	private static String nearest(String arg) {
		String a = arg.startsWith("--") ? arg : "--" + arg.replaceFirst("^-+", "");
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String f : FLAGS) {
			int d = distance(a, f);
			if (d < bestDistance) {
				bestDistance = d;
				best = f;
			}
		}
		return bestDistance <= 3 ? best : null;
	}

	private static int distance(String a, String b) {
		int[] prev = new int[b.length() + 1];
		int[] cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			prev[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
				cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
			}
			int[] t = prev;
			prev = cur;
			cur = t;
		}
		return prev[b.length()];
	}
}
