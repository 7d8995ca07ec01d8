package dev.vigil.telemetry.tsdb;

import java.util.List;

/** Read access to series, as the PromQL engine needs it. */
public interface Queryable {

	/**
	 * Series matching all matchers that have at least one sample in the inclusive range [mint, maxt], with the samples
	 * of that range. Order is unspecified.
	 */
	List<SeriesData> select(long mint, long maxt, List<Matcher> matchers);

}
