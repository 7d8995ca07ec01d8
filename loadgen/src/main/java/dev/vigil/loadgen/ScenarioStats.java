package dev.vigil.loadgen;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency recording for one scenario. Recording is wait-free ({@link Recorder}, {@link LongAdder}) so
 * I/O threads never contend; the cumulative histogram is only touched by whoever holds the engine's collect lock.
 */
final class ScenarioStats {

	private static final int SIGNIFICANT_DIGITS = 3;

	final String name;

	final LongAdder scheduled = new LongAdder();

	final LongAdder dropped = new LongAdder();

	final LongAdder completed = new LongAdder();

	final LongAdder errors = new LongAdder();

	final LongAdder rateLimited = new LongAdder();

	final LongAdder timeouts = new LongAdder();

	final LongAdder ioErrors = new LongAdder();

	/** Outstanding requests of this scenario, so stragglers given up on are charged to the right one. */
	final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

	/** Index = HTTP status code; codes outside [100, 599] are folded into 0 ("other"). */
	private final AtomicLongArray statusCounts = new AtomicLongArray(600);

	private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);

	/** Guarded by the engine's collect lock. */
	private final Histogram cumulative = new Histogram(SIGNIFICANT_DIGITS);

	private Histogram recycled;

	ScenarioStats(String name) {
		this.name = name;
	}

	void record(int status, Throwable failure, long latencyNanos) {
		completed.increment();
		if (failure != null) {
			errors.increment();
			if (isTimeout(failure)) {
				timeouts.increment();
				recorder.recordValue(Math.max(0, latencyNanos / 1000));
			}
			else {
				ioErrors.increment();
			}
			return;
		}
		statusCounts.incrementAndGet(status >= 100 && status < 600 ? status : 0);
		recorder.recordValue(Math.max(0, latencyNanos / 1000));
		if (status == 429) {
			rateLimited.increment();
		}
		else if (status < 200 || status > 299) {
			errors.increment();
		}
	}

	/** Requests given up on at the end of the run: they are timeouts that never got to report themselves. */
	void recordUnfinished(long count, Duration waited) {
		for (long i = 0; i < count; i++) {
			completed.increment();
			errors.increment();
			timeouts.increment();
			recorder.recordValue(waited.toNanos() / 1000);
		}
	}

	static boolean isTimeout(Throwable t) {
		Throwable c = t;
		while (c instanceof CompletionException && c.getCause() != null) {
			c = c.getCause();
		}
		return c instanceof HttpTimeoutException;
	}

	/** Moves what was recorded since the last call into the cumulative histogram. Caller holds the collect lock. */
	Histogram collect() {
		recycled = recorder.getIntervalHistogram(recycled);
		cumulative.add(recycled);
		return cumulative;
	}

	LoadReport.ScenarioReport report(Duration elapsed) {
		Map<Integer, Long> codes = new TreeMap<>();
		for (int i = 0; i < statusCounts.length(); i++) {
			long c = statusCounts.get(i);
			if (c > 0) {
				codes.put(i, c);
			}
		}
		return report(name, scheduled.sum(), dropped.sum(), completed.sum(), errors.sum(), rateLimited.sum(),
				timeouts.sum(), ioErrors.sum(), codes, cumulative, elapsed);
	}

	static LoadReport.ScenarioReport report(String name, long scheduled, long dropped, long completed, long errors,
			long rateLimited, long timeouts, long ioErrors, Map<Integer, Long> codes, Histogram histogram,
			Duration elapsed) {
		double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
		return new LoadReport.ScenarioReport(name, scheduled, scheduled - dropped, dropped, completed, errors,
				rateLimited, timeouts, ioErrors, codes, completed / seconds, LoadReport.Latency.of(histogram),
				histogram);
	}

	/** Sums scenario reports into the "all" line. */
	static LoadReport.ScenarioReport overall(Iterable<LoadReport.ScenarioReport> parts, Duration elapsed) {
		long scheduled = 0, dropped = 0, completed = 0, errors = 0, limited = 0, timeouts = 0, io = 0;
		Map<Integer, Long> codes = new TreeMap<>();
		Histogram all = new Histogram(SIGNIFICANT_DIGITS);
		for (LoadReport.ScenarioReport p : parts) {
			scheduled += p.scheduled();
			dropped += p.dropped();
			completed += p.completed();
			errors += p.errors();
			limited += p.rateLimited();
			timeouts += p.timeouts();
			io += p.ioErrors();
			p.statusCounts().forEach((k, v) -> codes.merge(k, v, Long::sum));
			all.add(p.latencyMicros());
		}
		return report("all", scheduled, dropped, completed, errors, limited, timeouts, io, codes, all, elapsed);
	}
}
