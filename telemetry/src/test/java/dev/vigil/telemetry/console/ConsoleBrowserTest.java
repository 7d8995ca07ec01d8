package dev.vigil.telemetry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.server.TelemetryServer;
import dev.vigil.telemetry.tsdb.Labels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: headless Chromium loads the page from a running vigil-telemetry, runs its scripts
 * against the query APIs, and the rendered page shows the services it found. Without Chromium the test is skipped with
 * a message — except under CI=true, where a missing browser is a failure (.ci/run installs it).
 */
class ConsoleBrowserTest {

	@TempDir
	Path profile;

	@Test
	void theConsoleRendersServicesFromTheQueryApi() throws Exception {
		String chromium = chromium().orElseGet(() -> {
			if ("true".equals(System.getenv("CI"))) {
				fail("chromium is not installed; .ci/run installs Debian's chromium package (apt-get install chromium)");
			}
			Assumptions.abort("chromium not found on PATH: install Debian's chromium package to run the browser test");
			return null;
		});
		try (TelemetryServer server = TelemetryServer.start(ServerConfig.forTests())) {
			long now = System.currentTimeMillis();
			server.storage().append(Labels.of("__name__", "target_info", "job", "vigil-orders", "instance", "i-1"), now, 1);
			server.storage().append(Labels.of("__name__", "target_info", "job", "vigil-payments", "instance", "i-2"), now, 1);

			Process browser = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
					"--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
					"--virtual-time-budget=10000", "--dump-dom", "http://127.0.0.1:" + server.httpPort() + "/")
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			byte[] dom = browser.getInputStream().readAllBytes();
			assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
			String page = new String(dom, StandardCharsets.UTF_8);
			assertThat(page).contains("<h1>Vigil</h1>");
			// Rendered by the page's script from /api/v1/query, not present in the static HTML:
			assertThat(page).contains("<td>vigil-orders</td>", "<td>vigil-payments</td>", "class=\"up\"");
		}
	}

	private static Optional<String> chromium() {
		for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
			for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
				Path candidate = Path.of(dir, name);
				if (Files.isExecutable(candidate)) {
					return Optional.of(candidate.toString());
				}
			}
		}
		return Optional.empty();
	}

}
