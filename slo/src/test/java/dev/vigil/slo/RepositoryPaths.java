package dev.vigil.slo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root whether tests run from the module directory (Maven) or the root (IDE). */
final class RepositoryPaths {

	private RepositoryPaths() {
	}

	static Path root() {
		Path candidate = Path.of("").toAbsolutePath();
		while (candidate != null) {
			if (Files.isDirectory(candidate.resolve("slo/specs"))
					&& Files.isDirectory(candidate.resolve("deploy/observability"))) {
				return candidate;
			}
			candidate = candidate.getParent();
		}
		throw new IllegalStateException("repository root (with slo/specs and deploy/observability) not found above "
				+ Path.of("").toAbsolutePath());
	}

	static Path specs() {
		return root().resolve("slo/specs");
	}

	static Path rules() {
		return root().resolve("deploy/observability/rules");
	}

	static Path ruleTests() {
		return rules().resolve("tests");
	}

	static Path runbooks() {
		return root().resolve("docs/runbooks");
	}

}
