package dev.vigil.platform.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Caps the number of distinct values each tag of each meter may take. The first {@code maxValuesPerTag} values pass
 * unchanged; later new values become {@value #OTHER}, and {@code vigil.telemetry.clipped.tag.values} counts them. So an
 * accidental user id, order id or raw path on a metric costs at most one extra series per meter instead of one per
 * user, and the counter makes the mistake visible (alert on it rather than on a Prometheus OOM).
 * <p>
 * Micrometer applies a filter's {@code map} once per distinct meter id (then caches the meter), so the counter counts
 * clipped ids, not increments.
 */
final class CardinalityGuard implements MeterFilter, MeterBinder {

	static final String OTHER = "_other_";

	static final String CLIPPED_METRIC = "vigil.telemetry.clipped.tag.values";

	private final int maxValuesPerTag;

	private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

	private final LongAdder clipped = new LongAdder();

	CardinalityGuard(int maxValuesPerTag) {
		this.maxValuesPerTag = maxValuesPerTag;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		if (CLIPPED_METRIC.equals(id.getName())) {
			return id;
		}
		List<Tag> tags = id.getTags();
		List<Tag> replaced = null;
		for (int i = 0; i < tags.size(); i++) {
			Tag tag = tags.get(i);
			if (admit(id.getName(), tag)) {
				continue;
			}
			if (replaced == null) {
				replaced = new ArrayList<>(tags);
			}
			replaced.set(i, Tag.of(tag.getKey(), OTHER));
		}
		if (replaced == null) {
			return id;
		}
		this.clipped.increment();
		return id.replaceTags(replaced);
	}

	private boolean admit(String meterName, Tag tag) {
		Set<String> values = this.seen.computeIfAbsent(meterName + '\u0000' + tag.getKey(),
				(k) -> ConcurrentHashMap.newKeySet());
		// _other_ is always admitted: an id already clipped (it passes the composite registry's filters, then the
		// child registry's) must not be counted twice.
		if (OTHER.equals(tag.getValue()) || values.contains(tag.getValue())) {
			return true;
		}
		// Not atomic with the check above: under a race a few values more than the cap may be admitted. Harmless.
		if (values.size() >= this.maxValuesPerTag) {
			return false;
		}
		values.add(tag.getValue());
		return true;
	}

	long clippedCount() {
		return this.clipped.sum();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(CLIPPED_METRIC, this, CardinalityGuard::clippedCount)
			.description("Meter ids whose tag values were replaced by _other_ because a tag exceeded its cap")
			.register(registry);
	}

}
