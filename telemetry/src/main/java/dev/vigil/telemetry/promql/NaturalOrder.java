package dev.vigil.telemetry.promql;

/** Natural string ordering (digit runs compared numerically), as the natsort package Prometheus uses. */
final class NaturalOrder {

	private NaturalOrder() {
	}

	static int compare(String a, String b) {
		int i = 0;
		int j = 0;
		while (i < a.length() && j < b.length()) {
			char ca = a.charAt(i);
			char cb = b.charAt(j);
			if (Character.isDigit(ca) && Character.isDigit(cb)) {
				int si = i;
				int sj = j;
				while (i < a.length() && Character.isDigit(a.charAt(i))) {
					i++;
				}
				while (j < b.length() && Character.isDigit(b.charAt(j))) {
					j++;
				}
				String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
				String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
				if (na.length() != nb.length()) {
					return Integer.compare(na.length(), nb.length());
				}
				int c = na.compareTo(nb);
				if (c != 0) {
					return c;
				}
				continue;
			}
			if (ca != cb) {
				return Character.compare(ca, cb);
			}
			i++;
			j++;
		}
		return Integer.compare(a.length() - i, b.length() - j);
	}

}
