package dev.vigil.telemetry.logs;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;

/** One stage of a log pipeline, after the stream selector. */
sealed interface Stage {

	/** {@code |= "x"}, {@code != "x"}, {@code |~ "re"}, {@code !~ "re"}; regexes are unanchored (Loki's rule). */
	record LineFilter(Op op, String text, Pattern pattern, byte[] utf8) implements Stage {

		enum Op {
			CONTAINS("|="), NOT_CONTAINS("!="), MATCH("|~"), NOT_MATCH("!~");

			final String text;

			Op(String text) {
				this.text = text;
			}
		}

		static LineFilter of(Op op, String text, Pattern pattern) {
			return new LineFilter(op, text, pattern, text.getBytes(StandardCharsets.UTF_8));
		}

		boolean regex() {
			return op == Op.MATCH || op == Op.NOT_MATCH;
		}

	}

	/** {@code | json} or {@code | logfmt}: extracts labels from the line. */
	record Parser(Kind kind) implements Stage {

		enum Kind {
			JSON, LOGFMT
		}

	}

	/** {@code | status="500"}, {@code | duration > 10s and level != "debug"}. */
	record LabelFilter(LabelPredicate predicate) implements Stage {

	}

}
