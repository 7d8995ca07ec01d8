package dev.vigil.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.launcher.LauncherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLoaderTest {

	@TempDir
	Path dir;

	@Test
	void theShippedExperimentsLoadAndCoverEveryRequiredFault() {
		List<Experiment> experiments = new ExperimentLoader().loadAll(Path.of("../chaos/experiments"));
		assertThat(experiments).hasSizeGreaterThanOrEqualTo(8);
		assertThat(experiments).extracting(e -> e.fault().kind())
			.contains("crash", "pause", "latency", "error", "postgres-stop", "redis-stop", "kafka-stop", "memory");
		assertThat(experiments).allSatisfy(e -> assertThat(e.steadyState()).isNotEmpty());
	}

	@Test
	void parsesTheFaultAndItsParameters() throws Exception {
		Path file = write("ok.yaml", """
				name: x
				fault: {kind: latency, target: payments, latencyMs: 200, duration: 1m30s}
				expect: {alert: A, detectWithin: 45s}
				""");
		Experiment experiment = new ExperimentLoader().load(file);
		assertThat(experiment.fault().duration()).isEqualTo(Duration.ofSeconds(90));
		assertThat(experiment.fault().parameters()).containsEntry("latencyMs", 200);
		assertThat(experiment.expect().detectWithin()).isEqualTo(Duration.ofSeconds(45));
		assertThat(experiment.expect().noLostOrders()).isTrue();
	}

	@Test
	void errorsNameTheFileAndTheField() throws Exception {
		assertThatThrownBy(() -> new ExperimentLoader().load(write("a.yaml", "name: x\nfault: {kind: meteor, target: y, duration: 1s}")))
			.isInstanceOf(LauncherException.class).hasMessageContaining("a.yaml: fault.kind \"meteor\" is unknown");
		assertThatThrownBy(() -> new ExperimentLoader().load(write("b.yaml", "name: x\nfault: {kind: kill, target: y, duration: soon}")))
			.hasMessageContaining("b.yaml: fault.duration is \"soon\"");
		assertThatThrownBy(() -> new ExperimentLoader().load(write("c.yaml", "fault: {kind: kill, target: y, duration: 1s}")))
			.hasMessageContaining("c.yaml: name is missing");
		assertThatThrownBy(() -> new ExperimentLoader().load(write("d.yaml", "name: x\nsteadyState: [{query: up, max: lots}]\nfault: {kind: kill, target: y, duration: 1s}")))
			.hasMessageContaining("d.yaml: steadyState[0].max must be a number");
	}

	private Path write(String name, String yaml) throws Exception {
		Path file = dir.resolve(name);
		Files.writeString(file, yaml);
		return file;
	}

}
