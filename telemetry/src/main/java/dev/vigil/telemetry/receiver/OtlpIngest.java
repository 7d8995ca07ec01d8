package dev.vigil.telemetry.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.otlp.MetricsTranslator;
import dev.vigil.telemetry.otlp.SampleSink;
import dev.vigil.telemetry.traces.SpanBatch;
import dev.vigil.telemetry.traces.SpanDecoder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/**
 * The transport-independent part of the OTLP receivers: validates, translates and hands on decoded requests, and
 * builds responses with {@code partial_success} per the OTLP spec (rejected count + message; an empty response when
 * everything was accepted).
 */
public final class OtlpIngest {

	private final MetricsTranslator translator;
	private final SampleSink samples;
	private final TraceSink traces;
	private final LogSink logs;
	private final IngestLimiter limiter;
	private final SpanDecoder decoder = new SpanDecoder();
	private final ReceiverStats stats = new ReceiverStats();

	public OtlpIngest(MetricsTranslator translator, SampleSink samples, TraceSink traces, LogSink logs,
			IngestLimiter limiter) {
		this.translator = translator;
		this.samples = samples;
		this.traces = traces;
		this.logs = logs;
		this.limiter = limiter;
	}

	public ReceiverStats stats() {
		return stats;
	}

	public IngestLimiter limiter() {
		return limiter;
	}

	public ExportMetricsServiceResponse exportMetrics(ExportMetricsServiceRequest request) {
		stats.dataPointsReceived.add(MetricsTranslator.countDataPoints(request));
		return metricsResponse(translator.translate(request, samples));
	}

	/**
	 * Exports a serialized {@code ExportMetricsServiceRequest} (an OTLP protobuf body) without building its
	 * messages; the same outcome as parsing it and calling {@link #exportMetrics(ExportMetricsServiceRequest)}.
	 * @throws InvalidProtocolBufferException when the bytes are not a valid request: nothing is stored (the caller
	 * counts an invalid request)
	 */
	public ExportMetricsServiceResponse exportMetrics(byte[] body, int offset, int length)
			throws InvalidProtocolBufferException {
		MetricsTranslator.Decoded d = translator.translate(body, offset, length, samples);
		stats.dataPointsReceived.add(d.dataPoints());
		return metricsResponse(d.result());
	}

	private ExportMetricsServiceResponse metricsResponse(MetricsTranslator.Result r) {
		stats.samplesAppended.add(r.samplesAppended());
		stats.dataPointsRejected.add(r.rejectedDataPoints());
		if (r.rejectedDataPoints() == 0 && r.errorMessage().isEmpty()) {
			return ExportMetricsServiceResponse.getDefaultInstance();
		}
		return ExportMetricsServiceResponse.newBuilder()
			.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
				.setRejectedDataPoints(r.rejectedDataPoints())
				.setErrorMessage(r.errorMessage()))
			.build();
	}

	/**
	 * Ingests a serialized {@code ExportTraceServiceRequest} as received (OTLP/gRPC and OTLP/HTTP protobuf bodies;
	 * JSON ones once converted): decoded in place by the one {@link SpanDecoder}, without parsing it into objects.
	 * Spans with wrong-sized trace or span ids are rejected (partial success); the rest are stored.
	 *
	 * @throws InvalidProtocolBufferException when the request is not valid protobuf: nothing is stored
	 */
	public ExportTraceServiceResponse exportTraces(byte[] request) throws InvalidProtocolBufferException {
		SpanBatch batch = decoder.decodeRequest(request); // the caller counts an invalid request
		stats.spansReceived.add(batch.received());
		stats.spansRejected.add(batch.rejected());
		traces.accept(batch);
		if (batch.rejected() == 0) {
			return ExportTraceServiceResponse.getDefaultInstance();
		}
		return ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
				.setRejectedSpans(batch.rejected())
				.setErrorMessage(batch.rejected() + " spans rejected; first: " + batch.firstError()))
			.build();
	}

	/** Ingests a parsed request (tests, tools) the same way, serialized first. */
	public ExportTraceServiceResponse exportTraces(ExportTraceServiceRequest request) {
		try {
			return exportTraces(request.toByteArray());
		}
		catch (InvalidProtocolBufferException e) {
			throw new IllegalArgumentException("a built request cannot be malformed: " + e.getMessage(), e);
		}
	}

	public ExportLogsServiceResponse exportLogs(ExportLogsServiceRequest request) {
		long received = 0;
		for (ResourceLogs rl : request.getResourceLogsList()) {
			for (ScopeLogs sl : rl.getScopeLogsList()) {
				received += sl.getLogRecordsCount();
			}
		}
		stats.logRecordsReceived.add(received);
		logs.accept(request.getResourceLogsList());
		return ExportLogsServiceResponse.getDefaultInstance();
	}

}
