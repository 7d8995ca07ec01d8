package dev.vigil.telemetry.bench;

import dev.vigil.telemetry.receiver.RawBytesMarshaller;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client half of the OTLP/gRPC ingest benchmark: sends ExportMetricsServiceRequests of 1,000 data points as fast
 * as the server takes them, with a few requests in flight. Requests are protobuf-encoded once per instance as
 * templates; before each send only the fixed64 fields (timestamps, values, counts) are rewritten in a copy, so the
 * client's core is not the bottleneck and the bytes on the wire are exactly what an SDK would send.
 *
 * <p>Shapes: {@code counters} — 1,000 cumulative monotonic sums (10 metrics x 100 attribute sets of 3 string
 * attributes: method, route, status), 1 sample per point; {@code mixed} — 600 counters, 300 gauges, 100 explicit-bucket
 * histograms with 10 bounds (13 samples each: 11 buckets, _sum, _count), 2,200 samples per request. Every request
 * carries one resource (service.name, service.instance.id, host.name, os.type, telemetry.sdk.language, so target_info
 * is written too) with one scope. {@code instances} resources take turns, so the number of series is instances x
 * samples per request. Timestamps advance by 1 s per round over all instances (virtual time).
 *
 * <pre>IngestClient host port [shape] [instances] [inFlight]</pre>
 */
public final class IngestClient {

	private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	// NaN payloads that no real field in the template has: they mark the slots to rewrite
	private static final long MARK = 0x7FF4_0000_0000_0000L;

	private static final long TIME_MARK = 0x7FF5_0000_0000_0000L;

	private IngestClient() {
	}

	enum Slot { COUNTER, GAUGE, HIST_BUCKET, HIST_COUNT, HIST_SUM }

	/** One instance's request: the encoded bytes, where the slots are, and the running values. */
	static final class Template {

		final byte[] bytes;
		final int[] timeOffsets;
		final int[] slotOffsets;
		final Slot[] slotKinds;
		final int[][] histograms; // per histogram point: count slot, sum slot, bucket slots...
		final double[] values;
		final int samples;
		// one request per instance in flight: two concurrent requests of one instance could be stored out of order
		final Semaphore inFlight = new Semaphore(1);

		Template(byte[] bytes, List<Slot> kinds, List<int[]> histograms, int samples) {
			this.bytes = bytes;
			this.slotKinds = kinds.toArray(new Slot[0]);
			this.histograms = histograms.toArray(new int[0][]);
			this.values = new double[slotKinds.length];
			this.samples = samples;
			List<Integer> times = new ArrayList<>();
			slotOffsets = new int[slotKinds.length];
			java.util.Arrays.fill(slotOffsets, -1);
			for (int i = 0; i + 8 <= bytes.length; i++) {
				long w = (long) LONG_LE.get(bytes, i);
				if (w == TIME_MARK) {
					times.add(i);
				}
				else if ((w & 0xFFFF_0000_0000_0000L) == MARK && (w & 0xFFFF_FFFFL) < slotKinds.length
						&& (w & 0x0000_FFFF_0000_0000L) == 0) {
					slotOffsets[(int) (w & 0xFFFF_FFFFL)] = i;
				}
			}
			timeOffsets = times.stream().mapToInt(Integer::intValue).toArray();
			for (int o : slotOffsets) {
				if (o < 0) {
					throw new IllegalStateException("slot marker not found in the encoded template");
				}
			}
		}

		byte[] next(long timeNanos, Random r) {
			for (int[] h : histograms) {
				long total = 0;
				for (int k = 2; k < h.length; k++) {
					values[h[k]] += r.nextInt(3);
					total += (long) values[h[k]];
				}
				values[h[0]] = total;
				values[h[1]] += r.nextInt(1000) / 1000.0 * 3;
			}
			for (int i = 0; i < slotKinds.length; i++) {
				switch (slotKinds[i]) {
					case COUNTER -> values[i] += r.nextInt(21);
					case GAUGE -> values[i] = Math.round((values[i] + r.nextGaussian()) * 100) / 100.0;
					default -> {
					}
				}
			}
			byte[] out = bytes.clone();
			for (int o : timeOffsets) {
				LONG_LE.set(out, o, timeNanos);
			}
			for (int i = 0; i < slotKinds.length; i++) {
				long bits = switch (slotKinds[i]) {
					case HIST_BUCKET, HIST_COUNT -> (long) values[i];
					default -> Double.doubleToRawLongBits(values[i]);
				};
				LONG_LE.set(out, slotOffsets[i], bits);
			}
			return out;
		}

	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		String shape = args.length > 2 ? args[2] : "mixed";
		int instances = args.length > 3 ? Integer.parseInt(args[3]) : 4;
		int inFlight = args.length > 4 ? Integer.parseInt(args[4]) : 4;
		Template[] templates = new Template[instances];
		for (int i = 0; i < instances; i++) {
			templates[i] = template(shape, i);
		}
		System.out.printf("client: shape %s, %d instances, %,d bytes and %,d samples per request of 1,000 points, "
				+ "%,d series, %d requests in flight%n", shape, instances, templates[0].bytes.length,
				templates[0].samples, templates[0].samples * instances, inFlight);
		MethodDescriptor<byte[], ExportMetricsServiceResponse> export = MetricsServiceGrpc.getExportMethod()
			.toBuilder(RawBytesMarshaller.INSTANCE, MetricsServiceGrpc.getExportMethod().getResponseMarshaller())
			.build();
		ManagedChannel ch = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
		Semaphore slots = new Semaphore(inFlight);
		AtomicBoolean failed = new AtomicBoolean();
		AtomicLong rejected = new AtomicLong();
		Random r = new Random(1);
		// virtual time, 1 s per round, starting 4 h ago: far enough from the server's self-monitoring samples (written
		// at the current time) that retention, counted from the newest sample, does not drop the benchmark's series
		long t = (System.currentTimeMillis() - 4 * 3_600_000L) * 1_000_000L;
		while (!failed.get()) {
			for (Template tp : templates) {
				byte[] req = tp.next(t, r);
				tp.inFlight.acquire();
				slots.acquire();
				if (failed.get()) {
					break;
				}
				ClientCalls.asyncUnaryCall(ch.newCall(export, CallOptions.DEFAULT), req,
						new StreamObserver<ExportMetricsServiceResponse>() {
							@Override
							public void onNext(ExportMetricsServiceResponse value) {
								if (value.getPartialSuccess().getRejectedDataPoints() > 0
										&& rejected.getAndAdd(value.getPartialSuccess().getRejectedDataPoints()) == 0) {
									System.out.println("client: first rejection: "
											+ value.getPartialSuccess().getErrorMessage());
								}
							}

							@Override
							public void onError(Throwable e) {
								// the server exits when it has measured; anything else is worth seeing
								failed.set(true);
								tp.inFlight.release();
								slots.release();
							}

							@Override
							public void onCompleted() {
								tp.inFlight.release();
								slots.release();
							}
						});
			}
			t += 1_000_000_000L;
		}
		if (rejected.get() > 0) {
			System.out.printf("client: %,d data points rejected%n", rejected.get());
		}
		ch.shutdownNow();
	}

	private static KeyValue kv(String k, String v) {
		return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
	}

	static Template template(String shape, int instance) {
		List<Slot> kinds = new ArrayList<>();
		List<int[]> hists = new ArrayList<>();
		int samples = 1; // target_info
		ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
			.setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.bench").setVersion("1.0"));
		String[] routes = new String[50];
		for (int i = 0; i < routes.length; i++) {
			routes[i] = "/api/v1/resource" + i + "/{id}";
		}
		int counters = shape.equals("counters") ? 1000 : 600;
		int gauges = shape.equals("counters") ? 0 : 300;
		int histograms = shape.equals("counters") ? 0 : 100;
		for (int m = 0; m < counters / 100; m++) {
			Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
				.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
			for (int s = 0; s < 100; s++) {
				sum.addDataPoints(numberPoint(kinds, Slot.COUNTER, s, routes));
				samples++;
			}
			scope.addMetrics(Metric.newBuilder().setName("bench.requests." + m).setUnit("{request}").setSum(sum));
		}
		for (int m = 0; m < gauges / 100; m++) {
			Gauge.Builder g = Gauge.newBuilder();
			for (int s = 0; s < 100; s++) {
				g.addDataPoints(numberPoint(kinds, Slot.GAUGE, s, routes));
				samples++;
			}
			scope.addMetrics(Metric.newBuilder().setName("bench.queue.size." + m).setUnit("{item}").setGauge(g));
		}
		double[] bounds = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
		for (int m = 0; m < histograms / 50; m++) {
			Histogram.Builder h = Histogram.newBuilder()
				.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
			for (int s = 0; s < 50; s++) {
				int[] slots = new int[2 + bounds.length + 1];
				HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder()
					.setTimeUnixNano(TIME_MARK)
					.setStartTimeUnixNano(1_000_000_000L)
					.addAllAttributes(attributes(s, routes));
				slots[0] = slot(kinds, Slot.HIST_COUNT);
				p.setCount(MARK | slots[0]);
				slots[1] = slot(kinds, Slot.HIST_SUM);
				p.setSum(Double.longBitsToDouble(MARK | slots[1]));
				for (double b : bounds) {
					p.addExplicitBounds(b);
				}
				for (int k = 0; k <= bounds.length; k++) {
					slots[2 + k] = slot(kinds, Slot.HIST_BUCKET);
					p.addBucketCounts(MARK | slots[2 + k]);
				}
				hists.add(slots);
				h.addDataPoints(p);
				samples += bounds.length + 3;
			}
			scope.addMetrics(Metric.newBuilder().setName("bench.request.duration." + m).setUnit("s").setHistogram(h));
		}
		ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder()
				.setResource(Resource.newBuilder()
					.addAttributes(kv("service.name", "bench-service"))
					.addAttributes(kv("service.instance.id", "instance-" + instance))
					.addAttributes(kv("host.name", "host-" + instance))
					.addAttributes(kv("os.type", "linux"))
					.addAttributes(kv("telemetry.sdk.language", "java")))
				.addScopeMetrics(scope))
			.build();
		return new Template(req.toByteArray(), kinds, hists, samples);
	}

	private static int slot(List<Slot> kinds, Slot kind) {
		kinds.add(kind);
		return kinds.size() - 1;
	}

	private static NumberDataPoint numberPoint(List<Slot> kinds, Slot kind, int s, String[] routes) {
		return NumberDataPoint.newBuilder()
			.setStartTimeUnixNano(1_000_000_000L)
			.setTimeUnixNano(TIME_MARK)
			.setAsDouble(Double.longBitsToDouble(MARK | slot(kinds, kind)))
			.addAllAttributes(attributes(s, routes))
			.build();
	}

	private static List<KeyValue> attributes(int s, String[] routes) {
		return List.of(kv("http.request.method", s % 2 == 0 ? "GET" : "POST"), kv("http.route", routes[s / 2]),
				kv("http.response.status_code", "200"));
	}

}
