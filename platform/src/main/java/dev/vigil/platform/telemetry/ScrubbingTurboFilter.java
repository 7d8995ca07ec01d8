package dev.vigil.platform.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Masks secrets in every log message before any appender sees it: the JSON console appender and the OTLP log bridge
 * alike. A turbo filter runs once per logging call, ahead of all appenders, so one place covers every output. When
 * the formatted message needs masking, the filter denies the original call and hands the masked event straight to
 * the appenders ({@link Logger#callAppenders}, which does not re-enter turbo filters).
 * <p>
 * Limits: exception messages and SLF4J fluent key/value pairs are not rewritten.
 */
final class ScrubbingTurboFilter extends TurboFilter {

	static final String NAME = "vigilLogScrubber";

	ScrubbingTurboFilter() {
		setName(NAME);
	}

	/** Installs the filter into the Logback context behind SLF4J, once; a no-op for other SLF4J bindings. */
	static void install() {
		if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			install(context);
		}
	}

	static void install(LoggerContext context) {
		boolean present = context.getTurboFilterList().stream().anyMatch((f) -> NAME.equals(f.getName()));
		if (!present) {
			ScrubbingTurboFilter filter = new ScrubbingTurboFilter();
			filter.setContext(context);
			filter.start();
			context.addTurboFilter(filter);
		}
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
		// Called for isXxxEnabled() checks too (format == null) and for disabled levels: stay out of their way.
		if (format == null || logger == null || level == null || level.levelInt < logger.getEffectiveLevel().levelInt) {
			return FilterReply.NEUTRAL;
		}
		String formatted = (params == null || params.length == 0) ? format
				: MessageFormatter.arrayFormat(format, params).getMessage();
		String scrubbed = LogScrubber.scrub(formatted);
		if (scrubbed == formatted) {
			return FilterReply.NEUTRAL;
		}
		Throwable throwable = (t != null) ? t : MessageFormatter.getThrowableCandidate(params);
		LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, scrubbed, throwable, null);
		if (marker != null) {
			event.addMarker(marker);
		}
		logger.callAppenders(event);
		return FilterReply.DENY;
	}

}
