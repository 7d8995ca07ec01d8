package dev.vigil.telemetry.promql;

/**
 * A 1-based line and column in a query text, for error messages: PromQL writes it {@code 1:38}, LogQL
 * {@code line 1, col 38}.
 */
public record TextPosition(int line, int column) {

	/** The position of character {@code offset} of {@code text} (offsets past the end count to the end). */
	public static TextPosition of(String text, int offset) {
		int line = 1;
		int column = 1;
		for (int i = 0; i < offset && i < text.length(); i++) {
			if (text.charAt(i) == '\n') {
				line++;
				column = 1;
			}
			else {
				column++;
			}
		}
		return new TextPosition(line, column);
	}

	@Override
	public String toString() {
		return line + ":" + column;
	}

}
