package dev.vigil.platform.chaos;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every injected fault visible where an SRE would look: an event on the current span (so the trace of a slow
 * request says why) and a log line (which carries the trace id).
 */
final class FaultEvents {

	private static final Logger log = LoggerFactory.getLogger(FaultEvents.class);

	private static final AttributeKey<String> TYPE = AttributeKey.stringKey("vigil.chaos.fault.type");

	private static final AttributeKey<String> ID = AttributeKey.stringKey("vigil.chaos.fault.id");

	private static final boolean OTEL_PRESENT = present("io.opentelemetry.api.trace.Span");

	private FaultEvents() {
	}

	static void injected(Fault fault, String where) {
		if (OTEL_PRESENT) {
			Span.current().addEvent("chaos.fault", Attributes.of(TYPE, fault.type().name(), ID, fault.id()));
		}
		log.debug("chaos: injected {} into {} (fault {})", fault.type(), where, fault.id());
	}

	private static boolean present(String className) {
		try {
			Class.forName(className, false, FaultEvents.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
