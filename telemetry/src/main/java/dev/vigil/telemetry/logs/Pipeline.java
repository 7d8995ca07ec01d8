package dev.vigil.telemetry.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a selector's stages over one record. Line filters only read the line, which no supported stage rewrites, so
 * they all run first, on the stored UTF-8 bytes where possible (no string is made for lines a substring filter
 * rejects); parsers and label filters then run in query order.
 */
final class Pipeline {

	private final List<Stage.LineFilter> lineFilters = new ArrayList<>();

	private final List<Stage> labelStages = new ArrayList<>();

	private final boolean needsString;

	Pipeline(List<Stage> stages) {
		boolean string = false;
		for (Stage stage : stages) {
			if (stage instanceof Stage.LineFilter filter) {
				lineFilters.add(filter);
				string |= filter.regex();
			}
			else {
				labelStages.add(stage);
				string |= stage instanceof Stage.Parser;
			}
		}
		needsString = string;
	}

	/** Whether the labels (metadata, parsed fields) take part; if not, the stream alone decides the labels. */
	boolean usesLabels() {
		return !labelStages.isEmpty();
	}

	/** Whether the parsers need the line as a string. */
	boolean parses() {
		return labelStages.stream().anyMatch(stage -> stage instanceof Stage.Parser);
	}

	/**
	 * Applies the line filters to a stored payload; returns null if the line is dropped, else the line (or "" when
	 * {@code decode} is false and no filter needed the string).
	 */
	String filterLine(byte[] payload, boolean decode) {
		int start = RecordCodec.bodyStart(payload);
		int length = RecordCodec.bodyLength(payload);
		String line = needsString ? new String(payload, start, length, StandardCharsets.UTF_8) : null;
		for (Stage.LineFilter filter : lineFilters) {
			boolean hit = switch (filter.op()) {
				case CONTAINS, NOT_CONTAINS -> indexOf(payload, start, length, filter.utf8()) >= 0;
				case MATCH, NOT_MATCH -> filter.pattern().matcher(line).find();
			};
			boolean positive = filter.op() == Stage.LineFilter.Op.CONTAINS || filter.op() == Stage.LineFilter.Op.MATCH;
			if (hit != positive) {
				return null;
			}
		}
		if (line != null) {
			return line;
		}
		return decode ? new String(payload, start, length, StandardCharsets.UTF_8) : "";
	}

	/** Runs parsers and label filters; false drops the line. */
	boolean process(String line, LabelSet labels) {
		for (Stage stage : labelStages) {
			if (stage instanceof Stage.Parser parser) {
				if (parser.kind() == Stage.Parser.Kind.JSON) {
					LineParsers.json(line, labels);
				}
				else {
					LineParsers.logfmt(line, labels);
				}
			}
			else if (stage instanceof Stage.LabelFilter filter && !filter.predicate().test(labels)) {
				return false;
			}
		}
		return true;
	}

	static int indexOf(byte[] haystack, int start, int length, byte[] needle) {
		if (needle.length == 0) {
			return start;
		}
		int last = start + length - needle.length;
		byte first = needle[0];
		outer: for (int i = start; i <= last; i++) {
			if (haystack[i] != first) {
				continue;
			}
			for (int j = 1; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
