package dev.vigil.notifications.intake;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.proto.orders.v1.OrderPlaced;

/**
 * Reads the protobuf-JSON OrderPlaced event. Unknown fields are ignored so that orders can add fields without
 * poisoning this consumer; a missing order id is poison, since it is the deduplication key.
 */
final class OrderPlacedParser {

	private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

	private OrderPlacedParser() {
	}

	static OrderPlaced parse(String json) {
		if (json == null || json.isBlank()) {
			throw new PoisonMessageException("empty OrderPlaced record", null);
		}
		OrderPlaced.Builder event = OrderPlaced.newBuilder();
		try {
			JSON.merge(json, event);
		}
		catch (InvalidProtocolBufferException | RuntimeException ex) {
			throw new PoisonMessageException("unparsable OrderPlaced record: " + ex.getMessage(), ex);
		}
		if (event.getOrderId().isBlank()) {
			throw new PoisonMessageException("OrderPlaced record without order_id", null);
		}
		return event.build();
	}

}
