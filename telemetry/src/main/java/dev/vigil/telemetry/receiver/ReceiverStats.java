package dev.vigil.telemetry.receiver;

import java.util.concurrent.atomic.LongAdder;

/** What the receivers counted since start; read by self-monitoring. */
public final class ReceiverStats {

	final LongAdder dataPointsReceived = new LongAdder();
	final LongAdder dataPointsRejected = new LongAdder();
	final LongAdder samplesAppended = new LongAdder();
	final LongAdder spansReceived = new LongAdder();
	final LongAdder spansRejected = new LongAdder();
	final LongAdder logRecordsReceived = new LongAdder();
	final LongAdder logRecordsRejected = new LongAdder();
	final LongAdder requestsThrottled = new LongAdder();
	final LongAdder requestsInvalid = new LongAdder();
	final LongAdder requestsTooLarge = new LongAdder();

	public long dataPointsReceived() {
		return dataPointsReceived.sum();
	}

	public long dataPointsRejected() {
		return dataPointsRejected.sum();
	}

	public long samplesAppended() {
		return samplesAppended.sum();
	}

	public long spansReceived() {
		return spansReceived.sum();
	}

	public long spansRejected() {
		return spansRejected.sum();
	}

	public long logRecordsReceived() {
		return logRecordsReceived.sum();
	}

	public long logRecordsRejected() {
		return logRecordsRejected.sum();
	}

	public long requestsThrottled() {
		return requestsThrottled.sum();
	}

	public long requestsInvalid() {
		return requestsInvalid.sum();
	}

	public long requestsTooLarge() {
		return requestsTooLarge.sum();
	}

}
