package dev.vigil.telemetry.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subset of Go's {@code text/template} that Prometheus rule labels and annotations use in practice:
 * {@code {{ $labels.name }}}, {@code {{ $value }}}, {@code {{ $externalLabels.name }}}, {@code {{ .Labels.name }}},
 * pipelines ({@code {{ $value | humanize }}}), and the functions {@code humanize}, {@code humanize1024},
 * {@code humanizePercentage}, {@code humanizeDuration}, {@code printf}, {@code toUpper}, {@code toLower},
 * {@code title}, {@code index}. Anything else ({@code if}, {@code range}, {@code query}) is rejected when the rule
 * file loads, so a template never fails silently at alert time. Missing labels expand to the empty string, as with
 * Prometheus's {@code missingkey=zero}.
 */
final class Template {

	/** What a template sees. */
	record Data(Map<String, String> labels, Map<String, String> externalLabels, String externalURL, double value) {
	}

	private interface Part {

		void render(StringBuilder out, Data d);

	}

	private final List<Part> parts;

	private Template(List<Part> parts) {
		this.parts = parts;
	}

	static Template parse(String text) {
		List<Part> parts = new ArrayList<>();
		int i = 0;
		StringBuilder literal = new StringBuilder();
		while (i < text.length()) {
			int open = text.indexOf("{{", i);
			if (open < 0) {
				literal.append(text, i, text.length());
				break;
			}
			literal.append(text, i, open);
			int close = text.indexOf("}}", open + 2);
			if (close < 0) {
				throw new IllegalArgumentException("unclosed action: missing }} after position " + open);
			}
			String action = text.substring(open + 2, close);
			if (action.startsWith("-")) {
				action = action.substring(1);
				trimTrailing(literal);
			}
			boolean trimNext = false;
			if (action.endsWith("-")) {
				action = action.substring(0, action.length() - 1);
				trimNext = true;
			}
			if (literal.length() > 0) {
				String lit = literal.toString();
				parts.add((out, d) -> out.append(lit));
				literal.setLength(0);
			}
			String a = action.trim();
			if (!a.startsWith("/*")) {
				parts.add(compileAction(a));
			}
			i = close + 2;
			if (trimNext) {
				while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
					i++;
				}
			}
		}
		if (literal.length() > 0) {
			String lit = literal.toString();
			parts.add((out, d) -> out.append(lit));
		}
		return new Template(parts);
	}

	private static void trimTrailing(StringBuilder sb) {
		while (sb.length() > 0 && Character.isWhitespace(sb.charAt(sb.length() - 1))) {
			sb.setLength(sb.length() - 1);
		}
	}

	String expand(Data d) {
		StringBuilder sb = new StringBuilder();
		for (Part p : parts) {
			p.render(sb, d);
		}
		return sb.toString();
	}

	// --- actions ---

	private interface Operand {

		Object eval(Data d, Object piped);

	}

	private static Part compileAction(String action) {
		// the variable definitions Prometheus prepends to every template are implicit here
		if (action.matches("\\$\\w+\\s*:=\\s*\\.\\w+")) {
			return (out, d) -> {
			};
		}
		List<Operand> commands = new ArrayList<>();
		for (String cmd : splitPipeline(action)) {
			commands.add(compileCommand(cmd.trim()));
		}
		if (commands.isEmpty()) {
			throw new IllegalArgumentException("missing value for command");
		}
		return (out, d) -> {
			Object v = null;
			for (Operand c : commands) {
				v = c.eval(d, v);
			}
			out.append(print(v));
		};
	}

	private static List<String> splitPipeline(String s) {
		List<String> out = new ArrayList<>();
		int start = 0;
		boolean inStr = false;
		char quote = 0;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (inStr) {
				if (c == '\\' && quote == '"') {
					i++;
				}
				else if (c == quote) {
					inStr = false;
				}
			}
			else if (c == '"' || c == '`') {
				inStr = true;
				quote = c;
			}
			else if (c == '|') {
				out.add(s.substring(start, i));
				start = i + 1;
			}
		}
		out.add(s.substring(start));
		return out;
	}

	private static List<String> tokens(String s) {
		List<String> out = new ArrayList<>();
		int i = 0;
		while (i < s.length()) {
			char c = s.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			int start = i;
			if (c == '"' || c == '`') {
				i++;
				while (i < s.length() && s.charAt(i) != c) {
					if (c == '"' && s.charAt(i) == '\\') {
						i++;
					}
					i++;
				}
				if (i >= s.length()) {
					throw new IllegalArgumentException("unterminated quoted string");
				}
				i++;
			}
			else {
				while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
					i++;
				}
			}
			out.add(s.substring(start, i));
		}
		return out;
	}

	private static final List<String> FUNCTIONS = List.of("humanize", "humanize1024", "humanizePercentage",
			"humanizeDuration", "printf", "toUpper", "toLower", "title", "index");

	private static Operand compileCommand(String cmd) {
		List<String> toks = tokens(cmd);
		if (toks.isEmpty()) {
			throw new IllegalArgumentException("missing value for command");
		}
		String head = toks.get(0);
		if (FUNCTIONS.contains(head)) {
			List<Operand> args = new ArrayList<>();
			for (String t : toks.subList(1, toks.size())) {
				args.add(compileOperand(t));
			}
			return (d, piped) -> {
				List<Object> values = new ArrayList<>();
				for (Operand a : args) {
					values.add(a.eval(d, null));
				}
				if (piped != null) {
					values.add(piped);
				}
				return call(head, values);
			};
		}
		if (toks.size() != 1) {
			if (head.matches("[a-zA-Z]\\w*")) {
				throw new IllegalArgumentException("function \"" + head + "\" not supported; supported: " + FUNCTIONS);
			}
			throw new IllegalArgumentException("can't give argument to non-function " + head);
		}
		if (head.matches("[a-zA-Z]\\w*")) {
			throw new IllegalArgumentException(
					"\"" + head + "\" is not supported (no if/range/query/define); supported functions: " + FUNCTIONS);
		}
		Operand o = compileOperand(head);
		return (d, piped) -> o.eval(d, null);
	}

	private static Operand compileOperand(String t) {
		if (t.startsWith("\"")) {
			String s = unquote(t.substring(1, t.length() - 1));
			return (d, p) -> s;
		}
		if (t.startsWith("`")) {
			String s = t.substring(1, t.length() - 1);
			return (d, p) -> s;
		}
		if (t.matches("-?[0-9][0-9.eE+-]*")) {
			double v = Double.parseDouble(t);
			return (d, p) -> v;
		}
		String[] path = t.split("\\.", -1);
		String root = path[0].isEmpty() && path.length > 1 ? "." + path[1] : path[0];
		int rest = path[0].isEmpty() && path.length > 1 ? 2 : 1;
		String key = path.length > rest ? path[rest] : null;
		if (path.length > rest + 1) {
			throw new IllegalArgumentException("unsupported field chain " + t);
		}
		switch (root) {
			case "$labels", ".Labels":
				return key == null ? (d, p) -> d.labels() : (d, p) -> d.labels().getOrDefault(key, "");
			case "$externalLabels", ".ExternalLabels":
				return key == null ? (d, p) -> d.externalLabels()
						: (d, p) -> d.externalLabels().getOrDefault(key, "");
			case "$value", ".Value":
				return (d, p) -> d.value();
			case "$externalURL", ".ExternalURL":
				return (d, p) -> d.externalURL();
			case "$", ".":
				return (d, p) -> d.labels();
			default:
				throw new IllegalArgumentException("undefined variable or field \"" + t + "\"");
		}
	}

	private static String unquote(String s) {
		return s.replace("\\\"", "\"").replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
	}

	static String print(Object v) {
		if (v == null) {
			return "";
		}
		if (v instanceof Double d) {
			return GoFormat.value(d);
		}
		if (v instanceof Map<?, ?> m) {
			StringBuilder sb = new StringBuilder("map[");
			boolean first = true;
			for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
				if (!first) {
					sb.append(' ');
				}
				first = false;
				sb.append(e.getKey()).append(':').append(e.getValue());
			}
			return sb.append(']').toString();
		}
		return v.toString();
	}

	private static double number(Object v, String fn) {
		if (v instanceof Double d) {
			return d;
		}
		try {
			return Double.parseDouble(String.valueOf(v).trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException(fn + ": cannot convert \"" + v + "\" to a number");
		}
	}

	private static Object call(String fn, List<Object> args) {
		switch (fn) {
			case "humanize":
				return humanize(number(one(fn, args), fn));
			case "humanize1024":
				return humanize1024(number(one(fn, args), fn));
			case "humanizePercentage":
				return GoFormat.g(number(one(fn, args), fn) * 100, 4) + "%";
			case "humanizeDuration":
				return humanizeDuration(number(one(fn, args), fn));
			case "toUpper":
				return print(one(fn, args)).toUpperCase(Locale.ROOT);
			case "toLower":
				return print(one(fn, args)).toLowerCase(Locale.ROOT);
			case "title": {
				String s = print(one(fn, args));
				StringBuilder sb = new StringBuilder();
				boolean start = true;
				for (char c : s.toCharArray()) {
					sb.append(start ? Character.toUpperCase(c) : c);
					start = !Character.isLetterOrDigit(c);
				}
				return sb.toString();
			}
			case "index": {
				if (args.size() != 2 || !(args.get(0) instanceof Map<?, ?> m)) {
					throw new IllegalArgumentException("index: want a map and a key");
				}
				Object v = m.get(print(args.get(1)));
				return v == null ? "" : v;
			}
			case "printf":
				return printf(args);
			default:
				throw new IllegalArgumentException("function " + fn + " not supported");
		}
	}

	private static Object one(String fn, List<Object> args) {
		if (args.size() != 1) {
			throw new IllegalArgumentException(fn + ": want 1 argument, got " + args.size());
		}
		return args.get(0);
	}

	static String humanize(double v) {
		if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
			return GoFormat.g(v, 4);
		}
		String prefix = "";
		if (Math.abs(v) >= 1) {
			for (String p : new String[] { "k", "M", "G", "T", "P", "E", "Z", "Y" }) {
				if (Math.abs(v) < 1000) {
					break;
				}
				prefix = p;
				v /= 1000;
			}
			return GoFormat.g(v, 4) + prefix;
		}
		for (String p : new String[] { "m", "u", "n", "p", "f", "a", "z", "y" }) {
			if (Math.abs(v) >= 1) {
				break;
			}
			prefix = p;
			v *= 1000;
		}
		return GoFormat.g(v, 4) + prefix;
	}

	private static String humanize1024(double v) {
		if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
			return GoFormat.g(v, 4);
		}
		String prefix = "";
		for (String p : new String[] { "ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi" }) {
			if (Math.abs(v) < 1024) {
				break;
			}
			prefix = p;
			v /= 1024;
		}
		return GoFormat.g(v, 4) + prefix;
	}

	static String humanizeDuration(double v) {
		if (Double.isNaN(v) || Double.isInfinite(v)) {
			return GoFormat.g(v, 4);
		}
		if (v == 0) {
			return "0s";
		}
		if (Math.abs(v) >= 1) {
			String sign = v < 0 ? "-" : "";
			v = Math.abs(v);
			long duration = (long) v;
			long seconds = duration % 60;
			long minutes = (duration / 60) % 60;
			long hours = (duration / 3600) % 24;
			long days = duration / 86400;
			if (days != 0) {
				return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
			}
			if (hours != 0) {
				return sign + hours + "h " + minutes + "m " + seconds + "s";
			}
			if (minutes != 0) {
				return sign + minutes + "m " + seconds + "s";
			}
			return sign + GoFormat.g(v, 4) + "s";
		}
		String prefix = "";
		for (String p : new String[] { "m", "u", "n", "p", "f", "a", "z", "y" }) {
			if (Math.abs(v) >= 1) {
				break;
			}
			prefix = p;
			v *= 1000;
		}
		return GoFormat.g(v, 4) + prefix + "s";
	}

	// Go verbs %s %v %d %f %e %g %q %% with optional precision
	private static String printf(List<Object> args) {
		if (args.isEmpty()) {
			throw new IllegalArgumentException("printf: missing format");
		}
		String fmt = print(args.get(0));
		StringBuilder out = new StringBuilder();
		int argi = 1;
		for (int i = 0; i < fmt.length(); i++) {
			char c = fmt.charAt(i);
			if (c != '%') {
				out.append(c);
				continue;
			}
			int j = i + 1;
			while (j < fmt.length() && "0123456789.+- #".indexOf(fmt.charAt(j)) >= 0) {
				j++;
			}
			if (j >= fmt.length()) {
				out.append("%!(NOVERB)");
				break;
			}
			String flags = fmt.substring(i + 1, j);
			char verb = fmt.charAt(j);
			i = j;
			if (verb == '%') {
				out.append('%');
				continue;
			}
			if (argi >= args.size()) {
				out.append("%!").append(verb).append("(MISSING)");
				continue;
			}
			Object a = args.get(argi++);
			switch (verb) {
				case 'v', 's' -> out.append(String.format(Locale.ROOT, "%" + flags.replace(".", "") + "s", print(a)));
				case 'q' -> out.append('"').append(print(a).replace("\"", "\\\"")).append('"');
				case 'd' -> out.append(String.format(Locale.ROOT, "%" + flags + "d", (long) number(a, "printf")));
				case 'f', 'e' -> out.append(String.format(Locale.ROOT, "%" + flags + verb, number(a, "printf")));
				case 'g' -> {
					int p = flags.contains(".") ? Integer.parseInt(flags.substring(flags.indexOf('.') + 1)) : -1;
					double n = number(a, "printf");
					out.append(p >= 0 ? GoFormat.g(n, Math.max(p, 1)) : GoFormat.value(n));
				}
				default -> out.append("%!").append(verb).append("(").append(print(a)).append(")");
			}
		}
		return out.toString();
	}

}
