package dev.vigil.telemetry.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.otlp.MetricsTranslator;
import dev.vigil.telemetry.otlp.SampleSink;
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
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

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
	 * @throws MalformedRequest when the bytes are not a valid request; nothing is stored then
	 */
	public ExportMetricsServiceResponse exportMetrics(byte[] body, int offset, int length) {
		MetricsTranslator.Decoded d;
		try {
			d = translator.translate(body, offset, length, samples);
		}
		catch (InvalidProtocolBufferException e) {
			stats.requestsInvalid.increment();
			throw new MalformedRequest("cannot decode OTLP/protobuf metrics request: " + e.getMessage());
		}
		stats.dataPointsReceived.add(d.dataPoints());
		return metricsResponse(d.result());
	}

	/** A request body that is not valid OTLP protobuf: INVALID_ARGUMENT (gRPC) or 400 (HTTP), never an error 500. */
	public static final class MalformedRequest extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MalformedRequest(String message) {
			super(message);
		}

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

	public ExportTraceServiceResponse exportTraces(ExportTraceServiceRequest request) {
		long received = 0;
		long rejected = 0;
		String firstError = "";
		List<ResourceSpans> valid = new ArrayList<>(request.getResourceSpansCount());
		for (ResourceSpans rs : request.getResourceSpansList()) {
			ResourceSpans.Builder keep;
			long rejectedHere = 0;
			for (ScopeSpans ss : rs.getScopeSpansList()) {
				for (Span s : ss.getSpansList()) {
					received++;
					String err = validate(s);
					if (err != null) {
						rejectedHere++;
						if (firstError.isEmpty()) {
							firstError = err;
						}
					}
				}
			}
			rejected += rejectedHere;
			if (rejectedHere == 0) {
				valid.add(rs);
			}
			else {
				// rebuild only the resources that contain invalid spans
				keep = rs.toBuilder().clearScopeSpans();
				for (ScopeSpans ss : rs.getScopeSpansList()) {
					ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
					for (Span s : ss.getSpansList()) {
						if (validate(s) == null) {
							sb.addSpans(s);
						}
					}
					keep.addScopeSpans(sb);
				}
				valid.add(keep.build());
			}
		}
		stats.spansReceived.add(received);
		stats.spansRejected.add(rejected);
		traces.accept(valid);
		if (rejected == 0) {
			return ExportTraceServiceResponse.getDefaultInstance();
		}
		return ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
				.setRejectedSpans(rejected)
				.setErrorMessage(rejected + " spans rejected; first: " + firstError))
			.build();
	}

	private static String validate(Span s) {
		if (s.getTraceId().size() != 16) {
			return "span " + s.getName() + ": trace_id must be 16 bytes, got " + s.getTraceId().size();
		}
		if (s.getSpanId().size() != 8) {
			return "span " + s.getName() + ": span_id must be 8 bytes, got " + s.getSpanId().size();
		}
		return null;
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
