package dev.vigil.telemetry.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Prometheus PromQL test scripts under {@code src/test/resources/promql}. Cases listed in
 * {@code passing.txt} must pass (regression guard); other cases report their outcome without failing the build. The
 * current passing set is written to {@code target/promql-passing.txt} to refresh the committed list.
 */
class PromqlConformanceTest {

	@TestFactory
	Stream<DynamicTest> promqlConformance() throws IOException, URISyntaxException {
		List<ConformanceScript.Outcome> outcomes = runAll();
		Set<String> mustPass = readPassingList();
		printSummary(outcomes);
		writeCurrentPassing(outcomes);
		List<DynamicTest> tests = new ArrayList<>();
		for (ConformanceScript.Outcome o : outcomes) {
			tests.add(DynamicTest.dynamicTest(o.id() + " " + o.query(), () -> {
				if (mustPass.contains(o.id())) {
					assertThat(o.status()).as(o.detail()).isEqualTo(ConformanceScript.Status.PASSED);
				}
				else {
					Assumptions.assumeTrue(o.status() == ConformanceScript.Status.PASSED,
							o.status() + ": " + o.detail());
				}
			}));
		}
		return tests.stream();
	}

	static List<ConformanceScript.Outcome> runAll() throws IOException, URISyntaxException {
		Path dir = Path.of(PromqlConformanceTest.class.getResource("/promql").toURI());
		List<Path> files;
		try (Stream<Path> s = Files.list(dir)) {
			files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
		}
		List<ConformanceScript.Outcome> all = new ArrayList<>();
		for (Path f : files) {
			ConformanceScript script = new ConformanceScript(f.getFileName().toString(),
					Files.readString(f, StandardCharsets.UTF_8));
			script.run();
			all.addAll(script.outcomes);
		}
		return all;
	}

	static void printSummary(List<ConformanceScript.Outcome> outcomes) {
		int passed = 0;
		int failed = 0;
		Map<String, Integer> skipped = new TreeMap<>();
		for (ConformanceScript.Outcome o : outcomes) {
			switch (o.status()) {
				case PASSED -> passed++;
				case FAILED -> failed++;
				case SKIPPED -> skipped.merge(o.detail(), 1, Integer::sum);
			}
		}
		int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
		StringBuilder reasons = new StringBuilder();
		skipped.forEach((k, v) -> reasons.append(reasons.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
		System.out.println("promql conformance: " + passed + " passed, " + failed + " failed, " + skippedTotal
				+ " skipped (" + reasons + ")");
	}

	private static Set<String> readPassingList() throws IOException {
		var in = PromqlConformanceTest.class.getResourceAsStream("/promql/passing.txt");
		Set<String> out = new LinkedHashSet<>();
		if (in == null) {
			return out;
		}
		try (in) {
			for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				l = l.strip();
				if (!l.isEmpty() && !l.startsWith("#")) {
					out.add(l);
				}
			}
		}
		return out;
	}

	private static void writeCurrentPassing(List<ConformanceScript.Outcome> outcomes) throws IOException {
		StringBuilder sb = new StringBuilder();
		for (ConformanceScript.Outcome o : outcomes) {
			if (o.status() == ConformanceScript.Status.PASSED) {
				sb.append(o.id()).append('\n');
			}
		}
		Path target = Path.of("target");
		if (Files.isDirectory(target)) {
			Files.writeString(target.resolve("promql-passing.txt"), sb.toString());
		}
	}

	/** Prints failures for local iteration: {@code java ... PromqlConformanceTest [filter]}. */
	public static void main(String[] args) throws Exception {
		List<ConformanceScript.Outcome> outcomes = runAll();
		for (ConformanceScript.Outcome o : outcomes) {
			if (o.status() == ConformanceScript.Status.FAILED && (args.length == 0 || o.id().contains(args[0]))) {
				System.out.println(o.id() + " | " + o.query() + "\n    " + o.detail());
			}
		}
		printSummary(outcomes);
		writeCurrentPassing(outcomes);
	}

}
