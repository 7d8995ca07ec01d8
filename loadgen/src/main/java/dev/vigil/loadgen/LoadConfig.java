package dev.vigil.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import dev.vigil.loadgen.shop.ShopWorkload;

/**
 * An immutable description of one load run. Build with {@link #builder()}; every field has a default.
 *
 * @param target base URL of the system under test (default {@code http://127.0.0.1:8080}, the gateway); for
 *        {@link Workload#httpGet()} the full URL to GET
 * @param workload what to send (default {@link ShopWorkload#defaults()}: the shop scenario mix)
 * @param profile arrival rate over time (default constant 50/s)
 * @param duration how long to keep scheduling arrivals (default 60s)
 * @param maxInFlight bound on outstanding requests; an arrival beyond it is counted as dropped ("rejected by
 *        generator"), never delayed (default 1,000)
 * @param requestTimeout per-request timeout; a timeout counts as an error (default 10s)
 * @param ioThreads threads completing responses for the HTTP client (default 2)
 * @param progress called about once per {@code progressInterval} with live figures; null for none (default none)
 * @param progressInterval default 1s
 */
public record LoadConfig(URI target, Workload workload, RateProfile profile, Duration duration, int maxInFlight,
		Duration requestTimeout, int ioThreads, Consumer<Progress> progress, Duration progressInterval) {

	public static final URI DEFAULT_TARGET = URI.create("http://127.0.0.1:8080");

	public LoadConfig {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(workload, "workload");
		Objects.requireNonNull(profile, "profile");
		Objects.requireNonNull(duration, "duration");
		Objects.requireNonNull(requestTimeout, "requestTimeout");
		Objects.requireNonNull(progressInterval, "progressInterval");
		if (target.getScheme() == null || !target.getScheme().startsWith("http") || target.getHost() == null) {
			throw new IllegalArgumentException("target must be an http(s) URL like http://127.0.0.1:8080, got " + target);
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("duration must be positive, got " + duration);
		}
		if (maxInFlight < 1) {
			throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
		}
		if (requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
		}
		if (ioThreads < 1) {
			throw new IllegalArgumentException("ioThreads must be >= 1, got " + ioThreads);
		}
		if (progressInterval.toMillis() < 10) {
			throw new IllegalArgumentException("progressInterval must be >= 10ms, got " + progressInterval);
		}
	}

	/**
	 * The gentle, effectively endless shop load {@code vigil up} runs in the background: 20 req/s of
	 * {@link dev.vigil.loadgen.shop.Mix#BACKGROUND} from 10 users, 5 s timeout, at most 200 in flight. Start it with
	 * {@link LoadRun#start(LoadConfig)} and end it with {@link LoadRun#stop()}.
	 */
	public static LoadConfig background(URI gateway) {
		return builder()
				.target(gateway)
				.workload(ShopWorkload.of(dev.vigil.loadgen.shop.Mix.BACKGROUND, 10))
				.rate(20)
				.duration(Duration.ofDays(365))
				.maxInFlight(200)
				.requestTimeout(Duration.ofSeconds(5))
				.build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.target = target;
		b.workload = workload;
		b.profile = profile;
		b.duration = duration;
		b.maxInFlight = maxInFlight;
		b.requestTimeout = requestTimeout;
		b.ioThreads = ioThreads;
		b.progress = progress;
		b.progressInterval = progressInterval;
		return b;
	}

	/** Mutable builder; {@link #build()} validates. */
	public static final class Builder {

		private URI target = DEFAULT_TARGET;

		private Workload workload;

		private RateProfile profile = RateProfile.constant(50);

		private Duration duration = Duration.ofSeconds(60);

		private int maxInFlight = 1000;

		private Duration requestTimeout = Duration.ofSeconds(10);

		private int ioThreads = 2;

		private Consumer<Progress> progress;

		private Duration progressInterval = Duration.ofSeconds(1);

		private Builder() {
		}

		public Builder target(URI target) {
			this.target = target;
			return this;
		}

		public Builder target(String target) {
			return target(URI.create(target));
		}

		public Builder workload(Workload workload) {
			this.workload = workload;
			return this;
		}

		public Builder profile(RateProfile profile) {
			this.profile = profile;
			return this;
		}

		/** Shorthand for {@code profile(RateProfile.constant(perSecond))}. */
		public Builder rate(double perSecond) {
			return profile(RateProfile.constant(perSecond));
		}

		public Builder duration(Duration duration) {
			this.duration = duration;
			return this;
		}

		public Builder maxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
			return this;
		}

		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		public Builder ioThreads(int ioThreads) {
			this.ioThreads = ioThreads;
			return this;
		}

		public Builder progress(Consumer<Progress> progress) {
			this.progress = progress;
			return this;
		}

		public Builder progressInterval(Duration progressInterval) {
			this.progressInterval = progressInterval;
			return this;
		}

		public LoadConfig build() {
			return new LoadConfig(target, workload != null ? workload : ShopWorkload.defaults(), profile, duration,
					maxInFlight, requestTimeout, ioThreads, progress, progressInterval);
		}
	}
}
