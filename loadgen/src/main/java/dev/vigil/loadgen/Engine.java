package dev.vigil.loadgen;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * One run: a single scheduler thread fires arrivals at the instants the {@link RateProfile} dictates, measured
 * from one start instant (so there is no cumulative sleep drift); responses complete on the transport's I/O
 * thread ({@link NioTransport} for http, the JDK client on a small dedicated pool for https).
 *
 * <p>Why the intended time matters: if the target stalls for one second, every arrival during that second waits.
 * A closed loop would simply not send them and report one slow request; measuring from the intended send time
 * reports all of them, with latencies from one second down to zero, which is what users would have seen.
 */
final class Engine {

	/** Extra time after the request timeout to wait for stragglers before giving up on them. */
	private static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

	private final LoadConfig config;

	private final Workload workload;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Object collectLock = new Object();

	private volatile boolean stopRequested;

	private volatile Thread schedulerThread;

	private ScenarioStats[] stats;

	private HttpClient client;

	private Transport transport;

	private volatile long startNanos;

	/** Written only by the scheduler thread; volatile so the progress thread can read it. */
	private volatile long sent;

	private long maxLagNanos;

	Engine(LoadConfig config) {
		this.config = config;
		this.workload = config.workload();
	}

	void stop() {
		stopRequested = true;
		Thread t = schedulerThread;
		if (t != null) {
			LockSupport.unpark(t);
		}
	}

	/** Runs to completion on the calling thread, which becomes the scheduler thread. */
	LoadReport run() throws Exception {
		schedulerThread = Thread.currentThread();
		ThreadPoolExecutor io = new ThreadPoolExecutor(config.ioThreads(), config.ioThreads(), 5, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), daemon("vigil-loadgen-io"));
		// Idle I/O threads die on their own, so a run that gives up on stragglers need not shut the pool down
		// under the client's feet.
		io.allowCoreThreadTimeOut(true);
		client = HttpClient.newBuilder()
				.executor(io)
				.version(HttpClient.Version.HTTP_1_1)
				.followRedirects(HttpClient.Redirect.NEVER)
				.connectTimeout(min(config.requestTimeout(), Duration.ofSeconds(5)))
				.build();
		workload.prepare(new Workload.Context(client, config.target(), config.requestTimeout()));
		// Plain http goes through the lean NIO client (the generator must not be the bottleneck); https and
		// anything it does not handle goes through the JDK client.
		Transport jdk = new JdkTransport(client);
		transport = "http".equalsIgnoreCase(config.target().getScheme())
				? new NioTransport(jdk, config.requestTimeout()) : jdk;
		List<String> names = workload.scenarios();
		stats = new ScenarioStats[names.size()];
		for (int i = 0; i < stats.length; i++) {
			stats[i] = new ScenarioStats(names.get(i));
		}

		ScheduledExecutorService ticker = null;
		Instant startedAt = Instant.now();
		startNanos = System.nanoTime();
		if (config.progress() != null) {
			ticker = Executors.newSingleThreadScheduledExecutor(daemon("vigil-loadgen-progress"));
			long every = config.progressInterval().toNanos();
			long[] lastSent = { 0 };
			long[] lastTick = { startNanos };
			ticker.scheduleAtFixedRate(() -> tick(lastSent, lastTick), every, every, TimeUnit.NANOSECONDS);
		}
		long scheduled;
		long endNanos;
		try {
			scheduled = schedule();
			endNanos = System.nanoTime();
			drain();
		}
		finally {
			if (ticker != null) {
				ticker.shutdownNow();
			}
		}
		int unfinished = inFlight.get();
		transport.close();
		if (unfinished == 0) {
			io.shutdown();
		}
		Duration elapsed = Duration.ofNanos(endNanos - startNanos);
		List<LoadReport.ScenarioReport> reports = new ArrayList<>();
		synchronized (collectLock) {
			for (ScenarioStats s : stats) {
				s.recordUnfinished(s.inFlight.get(), config.requestTimeout().plus(DRAIN_GRACE));
				s.collect();
				reports.add(s.report(elapsed));
			}
		}
		return new LoadReport(config.target().toString(),
				config.profile().describe() + " for " + Units.formatDuration(config.duration()), startedAt, elapsed,
				scheduled, unfinished, maxLagNanos / 1e6, ScenarioStats.overall(reports, elapsed), reports);
	}

	/** The open-model loop. Returns the number of arrivals processed (sent or dropped). */
	private long schedule() {
		double seconds = config.duration().toNanos() / 1e9;
		RateProfile profile = config.profile();
		int max = config.maxInFlight();
		long n = 0;
		while (!stopRequested) {
			double t = profile.secondsUntilArrival(n);
			if (!(t < seconds)) { // also ends on NaN / infinity
				break;
			}
			long intended = startNanos + Math.round(t * 1e9);
			long now;
			// Never fire early: latency is measured from `intended`, so an early send would under-report.
			// parkNanos overshoots by tens of microseconds; arrivals due meanwhile then go out back to back,
			// each still timed from its own intended instant.
			while ((now = System.nanoTime()) < intended) {
				LockSupport.parkNanos(intended - now);
				if (stopRequested) {
					return n;
				}
			}
			fire(n, intended, now, max);
			n++;
		}
		return n;
	}

	private void fire(long seq, long intended, long now, int max) {
		Workload.Call call = workload.next(seq, intended);
		ScenarioStats s = stats[call.scenario()];
		s.scheduled.increment();
		// Only this thread increments, so check-then-increment cannot overshoot the bound.
		if (inFlight.get() >= max) {
			s.dropped.increment();
			return;
		}
		inFlight.incrementAndGet();
		s.inFlight.incrementAndGet();
		sent = sent + 1;
		if (now - intended > maxLagNanos) {
			maxLagNanos = now - intended;
		}
		try {
			transport.send(call, (status, body, failure) -> complete(s, call, intended, status, body, failure));
		}
		catch (RuntimeException e) {
			complete(s, call, intended, 0, null, e);
		}
	}

	private void complete(ScenarioStats s, Workload.Call call, long intended, int status, String body,
			Throwable failure) {
		long latency = System.nanoTime() - intended;
		try {
			s.record(status, failure, latency);
			workload.onResponse(call, status, body);
		}
		catch (RuntimeException ignored) {
			// A workload callback bug must not leak an in-flight slot; the response is already recorded.
		}
		finally {
			s.inFlight.decrementAndGet();
			inFlight.decrementAndGet();
		}
	}

	private void drain() {
		long deadline = System.nanoTime() + config.requestTimeout().plus(DRAIN_GRACE).toNanos();
		while (inFlight.get() > 0 && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
			LockSupport.parkNanos(2_000_000);
		}
	}

	private void tick(long[] lastSent, long[] lastTick) {
		try {
			long now = System.nanoTime();
			long sentNow = sent;
			double rate = (sentNow - lastSent[0]) / Math.max((now - lastTick[0]) / 1e9, 1e-9);
			lastSent[0] = sentNow;
			lastTick[0] = now;
			Histogram all = new Histogram(3);
			long completed = 0, errors = 0, dropped = 0;
			synchronized (collectLock) {
				for (ScenarioStats s : stats) {
					all.add(s.collect());
					completed += s.completed.sum();
					errors += s.errors.sum();
					dropped += s.dropped.sum();
				}
			}
			double p50 = all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(50) / 1000.0;
			double p99 = all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(99) / 1000.0;
			config.progress().accept(new Progress(Duration.ofNanos(now - startNanos), rate, inFlight.get(), p50, p99,
					completed, errors, dropped));
		}
		catch (RuntimeException ignored) {
			// Progress is best effort; an exception would cancel the periodic task silently anyway.
		}
	}

	private static Duration min(Duration a, Duration b) {
		return a.compareTo(b) <= 0 ? a : b;
	}

	static ThreadFactory daemon(String name) {
		AtomicInteger n = new AtomicInteger();
		return r -> {
			Thread t = new Thread(r, name + "-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
	}
}
