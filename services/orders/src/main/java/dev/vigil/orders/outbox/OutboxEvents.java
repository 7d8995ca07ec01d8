package dev.vigil.orders.outbox;

import java.util.UUID;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.platform.telemetry.KafkaTracing;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends events to the transactional outbox. Must run inside the transaction that changes the aggregate: the event
 * exists if and only if the change was committed.
 */
@Repository
public class OutboxEvents {

	private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

	private final JdbcClient jdbc;

	OutboxEvents(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void append(UUID aggregateId, Message event) {
		this.jdbc.sql("""
				insert into outbox (aggregate_id, event_type, payload, traceparent)
				values (:id, :type, :payload, :traceparent)
				""")
			.param("id", aggregateId)
			.param("type", event.getDescriptorForType().getName())
			.param("payload", toJson(event))
			// null when no span is in scope (tracing disabled, or a call outside a request)
			.param("traceparent", KafkaTracing.currentTraceparent())
			.update();
	}

	private static String toJson(Message event) {
		try {
			return JSON.print(event);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("Cannot render " + event.getDescriptorForType().getName(), ex);
		}
	}

}
