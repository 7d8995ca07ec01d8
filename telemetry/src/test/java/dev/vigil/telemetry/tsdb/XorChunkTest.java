package dev.vigil.telemetry.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class XorChunkTest {

	private static List<double[]> roundTrip(XorChunk c) {
		List<double[]> out = new ArrayList<>();
		c.decode((t, v) -> out.add(new double[] { t, v }));
		return out;
	}

	@Test
	void shouldRoundTripIrregularTimestampsAndArbitraryValues() {
		Random r = new Random(42);
		XorChunk c = new XorChunk();
		long[] ts = new long[120];
		double[] vs = new double[120];
		long t = 1_700_000_000_000L;
		for (int i = 0; i < 120; i++) {
			// jitter exercises every delta-of-delta bucket, including the 64-bit escape
			t += switch (i % 5) {
				case 0 -> 15_000;
				case 1 -> 15_000 + r.nextInt(2000);
				case 2 -> 1 + r.nextInt(100_000);
				case 3 -> 3_000_000_000L;
				default -> 1;
			};
			ts[i] = t;
			vs[i] = switch (i % 4) {
				case 0 -> r.nextGaussian() * 1e6;
				case 1 -> i;
				case 2 -> StaleNaN.VALUE;
				default -> Double.NEGATIVE_INFINITY;
			};
			c.append(ts[i], vs[i]);
		}
		List<double[]> out = roundTrip(c);
		assertThat(out).hasSize(120);
		for (int i = 0; i < 120; i++) {
			assertThat((long) out.get(i)[0]).isEqualTo(ts[i]);
			assertThat(Double.doubleToRawLongBits(out.get(i)[1])).isEqualTo(Double.doubleToRawLongBits(vs[i]));
		}
	}

	@Test
	void shouldCompressRegularCounterBelowOneAndAHalfBytesPerSample() {
		XorChunk c = new XorChunk();
		double v = 0;
		for (int i = 0; i < 120; i++) {
			v += i % 3;
			c.append(1_700_000_000_000L + i * 15_000L, v);
		}
		assertThat(c.encodedBytes() / 120.0).isLessThanOrEqualTo(1.5);
		assertThat(roundTrip(c)).hasSize(120);
	}

}
