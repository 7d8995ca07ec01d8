package dev.vigil.telemetry.api;

/**
 * An HTTP answer from the Prometheus API: status code and a JSON body ({@code application/json}).
 */
public record ApiResponse(int status, String body) {

	/** The content type of every body. */
	public static final String CONTENT_TYPE = "application/json";

}
