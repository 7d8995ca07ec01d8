package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {

	private static KeyValue str(String k, String v) {
		return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
	}

	@Test
	void shouldFindAnEntryByEqualAttributesDecodedAnew() {
		SeriesCache cache = new SeriesCache(100);
		Object ctx = cache.context(List.of("job", "metric"));
		cache.put(ctx, List.of(str("method", "GET"), str("route", "/a")), "series-1");
		assertThat(cache.get(cache.context(List.of("job", "metric")), List.of(str("method", "GET"), str("route", "/a"))))
			.isEqualTo("series-1");
	}

	@Test
	void shouldTellApartAttributesThatOnlyDifferInTheirSplitContextOrType() {
		SeriesCache cache = new SeriesCache(100);
		Object ctx = cache.context("a");
		cache.put(ctx, List.of(str("a\u0000\u0001b", "c")), "one");
		assertThat(cache.get(ctx, List.of(str("a", "b\u0000\u0001c")))).isNull();
		assertThat(cache.get(ctx, List.of(str("a\u0000\u0001b", "c")))).isEqualTo("one");
		assertThat(cache.get(cache.context("b"), List.of(str("a\u0000\u0001b", "c")))).isNull();
		cache.put(ctx, List.of(str("n", "1")), "string");
		KeyValue intOne = KeyValue.newBuilder().setKey("n").setValue(AnyValue.newBuilder().setIntValue(1)).build();
		assertThat(cache.get(ctx, List.of(intOne))).isNull();
		assertThat(cache.get(ctx, List.of(str("n", "1"), str("m", "2")))).isNull();
	}

	@Test
	void shouldStartOverWhenFull() {
		SeriesCache cache = new SeriesCache(2);
		Object ctx = cache.context("a");
		cache.put(ctx, List.of(str("k", "1")), 1);
		cache.put(ctx, List.of(str("k", "2")), 2);
		cache.put(ctx, List.of(str("k", "3")), 3);
		assertThat(cache.get(ctx, List.of(str("k", "1")))).isNull();
		assertThat(cache.get(ctx, List.of(str("k", "3")))).isEqualTo(3);
	}

}
