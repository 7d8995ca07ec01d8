package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.otlp.PrometheusNaming.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamingTest {

	// expectations from Prometheus's otlptranslator (BuildCompliantName with suffixes)
	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "NULL", value = {
			"http.server.request.duration | s       | HISTOGRAM             | http_server_request_duration_seconds",
			"system.memory.usage          | By      | NON_MONOTONIC_COUNTER | system_memory_usage_bytes",
			"vigil.orders.placed          | {order} | MONOTONIC_COUNTER     | vigil_orders_placed_total",
			"jvm.cpu.recent_utilization   | 1       | GAUGE                 | jvm_cpu_recent_utilization_ratio",
			"requests                     | 1       | MONOTONIC_COUNTER     | requests_total",
			"gc.duration                  | ms      | HISTOGRAM             | gc_duration_milliseconds",
			"throughput                   | By/s    | GAUGE                 | throughput_bytes_per_second",
			"requests.total               | ''      | MONOTONIC_COUNTER     | requests_total",
			"duration_seconds             | s       | GAUGE                 | duration_seconds",
			"2xx.count                    | ''      | GAUGE                 | _2xx_count",
			"foo__bar                     | ''      | GAUGE                 | foo_bar",
			"db.client.connections.usage  | {connection} | GAUGE            | db_client_connections_usage",
			"temperature                  | Cel     | GAUGE                 | temperature_celsius",
			"weird.unit                   | km/h    | GAUGE                 | weird_unit_km_per_hour",
			"vigil.revenue.cents          | ''      | MONOTONIC_COUNTER     | vigil_revenue_cents_total",
			"bytes.second                 | By/s    | GAUGE                 | bytes_second_per_second",
			"io.per_second                | By/s    | GAUGE                 | io_per_second_bytes_per_second",
			"___                          | ''      | GAUGE                 | ''" })
	void shouldNameMetricsAsPrometheusDoes(String name, String unit, Kind kind, String expected) {
		assertThat(PrometheusNaming.metricName(name, unit, kind)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "http.request.method | http_request_method", "1abc | key_1abc",
			"_foo | key_foo", "__foo | __foo", "a-b/c | a_b_c", "ok | ok", "ünï | key_n_" })
	void shouldSanitizeLabelNames(String key, String expected) {
		assertThat(PrometheusNaming.labelName(key)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "0.005,0.005", "1,1", "1000,1000", "2.5,2.5", "1e-7,0.0000001" })
	void shouldFormatBoundsWithoutExponent(double v, String expected) {
		assertThat(PrometheusNaming.formatFloat(v)).isEqualTo(expected);
	}

}
