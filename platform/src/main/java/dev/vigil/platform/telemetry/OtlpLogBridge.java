package dev.vigil.platform.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Sends every Logback event to the OpenTelemetry SDK's log pipeline (OTLP export, configured by Spring Boot), in
 * addition to the JSON console output. Installed in code because a library must not ship a logback-spring.xml: that
 * would take the choice of logging configuration away from the service. Log records carry the trace and span id of
 * the current context, so the backend can join logs to traces without parsing the message.
 */
final class OtlpLogBridge implements InitializingBean, DisposableBean {

	static final String APPENDER_NAME = "VIGIL_OTLP";

	private final OpenTelemetry openTelemetry;

	private OpenTelemetryAppender appender;

	OtlpLogBridge(OpenTelemetry openTelemetry) {
		this.openTelemetry = openTelemetry;
	}

	@Override
	public void afterPropertiesSet() {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return; // another SLF4J binding: nothing to attach to
		}
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		if (root.getAppender(APPENDER_NAME) != null) {
			root.detachAppender(APPENDER_NAME); // left over by an earlier application context in the same JVM (tests)
		}
		OpenTelemetryAppender otel = new OpenTelemetryAppender();
		otel.setName(APPENDER_NAME);
		otel.setContext(context);
		otel.setOpenTelemetry(this.openTelemetry);
		// thread.name / thread.id are cheap and help when reading a trace's logs; code.* attributes need caller data
		// (a stack walk per event) and are left off.
		otel.setCaptureExperimentalAttributes(true);
		otel.setCaptureCodeAttributes(false);
		otel.start();
		root.addAppender(otel);
		this.appender = otel;
	}

	@Override
	public void destroy() {
		if (this.appender != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this.appender);
			this.appender.stop();
		}
	}

}
