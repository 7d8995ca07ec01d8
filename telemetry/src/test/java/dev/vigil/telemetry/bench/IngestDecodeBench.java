package dev.vigil.telemetry.bench;

import dev.vigil.telemetry.otlp.ExemplarStore;
import dev.vigil.telemetry.otlp.MetricsTranslator;
import dev.vigil.telemetry.otlp.StorageSink;
import dev.vigil.telemetry.tsdb.Storage;
import java.util.Random;

/**
 * The part of OTLP metrics ingest after the transport, in one thread: the requests of {@link IngestClient} (same
 * bytes, same shapes) translated from their serialized form and appended to an in-memory storage, without gRPC or
 * Netty. Prints samples per CPU-second of that thread, the ceiling for {@code ingest.sh}. Not a unit test:
 * {@code IngestDecodeBench [mixed|counters] [instances] [warmupSeconds] [seconds]}.
 */
public final class IngestDecodeBench {

	private IngestDecodeBench() {
	}

	public static void main(String[] args) throws Exception {
		String shape = args.length > 0 ? args[0] : "counters";
		int instances = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
		int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
		IngestClient.Template[] templates = new IngestClient.Template[instances];
		for (int i = 0; i < instances; i++) {
			templates[i] = IngestClient.template(shape, i);
		}
		Storage storage = Storage.inMemory();
		StorageSink sink = new StorageSink(storage);
		MetricsTranslator translator = new MetricsTranslator(50_000, 500_000, new ExemplarStore(10, 100_000));
		Random r = new Random(1);
		long[] t = { (System.currentTimeMillis() - 4 * 3_600_000L) * 1_000_000L };
		ThreadCpuLoop.Result result = ThreadCpuLoop.run(warmup, seconds, () -> {
			long samples = 0;
			for (IngestClient.Template tp : templates) {
				byte[] req = tp.next(t[0], r);
				samples += translator.translate(req, 0, req.length, sink).result().samplesAppended();
			}
			t[0] += 1_000_000_000L;
			return samples;
		});
		System.out.printf("decode+translate+append (%s, %d instances): %,.0f samples per CPU-second (%.1f CPU-s); "
				+ "fast-path points %,d; series %,d%n", shape, instances, result.perCpuSecond(), result.cpuSeconds(),
				translator.fastPathDataPoints(), storage.stats().series());
	}

}
