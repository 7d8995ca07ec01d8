package dev.vigil.slo;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Sloth identity labels of one SLO, and the selector that picks its recorded series. */
final class SloSelector {

	static final String ID = "sloth_id";

	static final String SERVICE = "sloth_service";

	static final String SLO = "sloth_slo";

	static final String WINDOW = "sloth_window";

	private SloSelector() {
	}

	static Map<String, String> labels(OpenSloSpec spec) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put(ID, spec.slothId());
		labels.put(SERVICE, spec.service());
		labels.put(SLO, spec.name());
		return labels;
	}

	static String selector(OpenSloSpec spec) {
		return "{" + ID + "=\"" + spec.slothId() + "\", " + SERVICE + "=\"" + spec.service() + "\", " + SLO + "=\""
				+ spec.name() + "\"}";
	}

	static String sliErrorRecord(java.time.Duration nominalWindow) {
		return "slo:sli_error:ratio_rate" + PrometheusDuration.format(nominalWindow);
	}

}
