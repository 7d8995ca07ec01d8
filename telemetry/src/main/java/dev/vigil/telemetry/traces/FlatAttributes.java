package dev.vigil.telemetry.traces;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A span's attributes as one array of alternating names and values: a tenth of a HashMap's footprint for the
 * handful of attributes a span has, and a linear scan over ten names is as fast as hashing. Read-only.
 */
final class FlatAttributes extends AbstractMap<String, String> {

	static final FlatAttributes EMPTY = new FlatAttributes(new String[0]);

	private final String[] pairs;

	FlatAttributes(String[] pairs) {
		this.pairs = pairs;
	}

	@Override
	public String get(Object key) {
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i].equals(key)) {
				return pairs[i + 1];
			}
		}
		return null;
	}

	@Override
	public boolean containsKey(Object key) {
		return get(key) != null;
	}

	@Override
	public int size() {
		return pairs.length / 2;
	}

	/** Bytes held besides the strings: the array. */
	long arrayBytes() {
		return 16L + 4L * pairs.length;
	}

	@Override
	public Set<Map.Entry<String, String>> entrySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<Map.Entry<String, String>> iterator() {
				return new Iterator<>() {

					private int i;

					@Override
					public boolean hasNext() {
						return i < pairs.length;
					}

					@Override
					public Map.Entry<String, String> next() {
						if (i >= pairs.length) {
							throw new NoSuchElementException();
						}
						Map.Entry<String, String> entry = Map.entry(pairs[i], pairs[i + 1]);
						i += 2;
						return entry;
					}

				};
			}

			@Override
			public int size() {
				return pairs.length / 2;
			}

		};
	}

}
