package dev.vigil.telemetry.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class LabelsTest {

	@Test
	void shouldSortByNameDropEmptyValuesAndPrintLikePrometheus() {
		Labels l = Labels.of("job", "api", "__name__", "up", "empty", "", "instance", "a:1");
		assertThat(l.names()).containsExactly("__name__", "instance", "job");
		assertThat(l.get("empty")).isEmpty();
		assertThat(l).hasToString("up{instance=\"a:1\", job=\"api\"}");
		assertThat(l.withoutMetricName()).hasToString("{instance=\"a:1\", job=\"api\"}");
		assertThat(l.keep(List.of("job"))).isEqualTo(Labels.of("job", "api"));
	}

	@Test
	void shouldHashWithXxHash64LikePrometheus() {
		// reference values of xxHash64 with seed 0
		assertThat(XxHash64.hash(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
		assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x44BC2CF5AD770999L);
	}

}
