package dev.vigil.platform.telemetry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

class DbClientMetricsSpanProcessorTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final DbClientMetricsSpanProcessor processor = new DbClientMetricsSpanProcessor(
			new StaticListableBeanFactory(java.util.Map.of("registry", this.registry)).getBeanProvider(
					io.micrometer.core.instrument.MeterRegistry.class));

	private final Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(this.processor).build().get("test");

	@Test
	void everyDbClientSpanIsCountedInTheTimerOfItsTags() {
		for (int i = 0; i < 3; i++) {
			dbSpan("SELECT", "orders", null);
		}
		dbSpan("SELECT", "order_lines", null);
		dbSpan("INSERT", "orders", "23505");
		this.tracer.spanBuilder("GET /api/orders").setSpanKind(SpanKind.SERVER).startSpan().end(); // not a DB span

		assertThat(timerCount("SELECT", "orders", "none")).isEqualTo(3);
		assertThat(timerCount("SELECT", "order_lines", "none")).isEqualTo(1);
		assertThat(timerCount("INSERT", "orders", "23505")).isEqualTo(1);
		assertThat(this.registry.find(DbClientMetricsSpanProcessor.METRIC).timers()).hasSize(3);
		assertThat(this.processor.cachedTimers()).isEqualTo(3);
	}

	@Test
	void theTimerCacheIsBoundedAndSpansBeyondItAreStillCounted() {
		int distinct = DbClientMetricsSpanProcessor.MAX_CACHED_TIMERS + 10;
		for (int i = 0; i < distinct; i++) {
			dbSpan("SELECT", "table_" + i, null);
		}
		dbSpan("SELECT", "table_" + (distinct - 1), null); // not cached: registered again, same meter

		assertThat(this.processor.cachedTimers()).isEqualTo(DbClientMetricsSpanProcessor.MAX_CACHED_TIMERS);
		assertThat(this.registry.find(DbClientMetricsSpanProcessor.METRIC).timers()).hasSize(distinct);
		assertThat(timerCount("SELECT", "table_" + (distinct - 1), "none")).isEqualTo(2);
	}

	private void dbSpan(String operation, String collection, String errorType) {
		var builder = this.tracer.spanBuilder(operation + " " + collection)
			.setSpanKind(SpanKind.CLIENT)
			.setAttribute("db.system.name", "postgresql")
			.setAttribute("db.operation.name", operation)
			.setAttribute("db.collection.name", collection);
		if (errorType != null) {
			builder.setAttribute("error.type", errorType);
		}
		builder.startSpan().end();
	}

	private long timerCount(String operation, String collection, String errorType) {
		return this.registry.get(DbClientMetricsSpanProcessor.METRIC)
			.tag("db.system.name", "postgresql")
			.tag("db.operation.name", operation)
			.tag("db.collection.name", collection)
			.tag("error.type", errorType)
			.timer()
			.count();
	}

}
