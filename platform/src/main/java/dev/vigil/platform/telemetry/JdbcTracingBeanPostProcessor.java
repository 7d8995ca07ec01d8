package dev.vigil.platform.telemetry;

import javax.sql.DataSource;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.OpenTelemetryDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DataSource} bean with OpenTelemetry's JDBC instrumentation: one CLIENT span per statement, named
 * {@code SELECT users.accounts}, with {@code db.system.name}, {@code db.namespace}, {@code db.operation.name},
 * {@code db.collection.name} and {@code db.query.text} with literals replaced by {@code ?} (sanitization is on: query
 * parameters can hold personal data). {@code getConnection()} spans are off: the pool makes them noise.
 * <p>
 * The wrapped bean is an {@link OpenTelemetryDataSource}; it unwraps to the pool ({@code unwrap(HikariDataSource.class)}),
 * which is what Spring Boot's pool metrics and health use. Inject {@code DataSource}, not {@code HikariDataSource}.
 */
final class JdbcTracingBeanPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<OpenTelemetry> openTelemetry;

	private volatile JdbcTelemetry telemetry;

	JdbcTracingBeanPostProcessor(ObjectProvider<OpenTelemetry> openTelemetry) {
		this.openTelemetry = openTelemetry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof OpenTelemetryDataSource)) {
			return telemetry().wrap(dataSource);
		}
		return bean;
	}

	private JdbcTelemetry telemetry() {
		JdbcTelemetry result = this.telemetry;
		if (result == null) {
			result = JdbcTelemetry.builder(this.openTelemetry.getObject())
				.setQuerySanitizationEnabled(true)
				.setCaptureQueryParameters(false)
				.setDataSourceInstrumenterEnabled(false)
				.build();
			this.telemetry = result;
		}
		return result;
	}

}
