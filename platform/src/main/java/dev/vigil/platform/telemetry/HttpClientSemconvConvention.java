package dev.vigil.platform.telemetry;

import java.io.IOException;
import java.net.URI;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.ClientRequestObservationConvention;

/**
 * HTTP client observations (RestClient, RestTemplate) named after the OpenTelemetry HTTP semantic conventions: metric
 * {@code http.client.request.duration}, span name {@code METHOD} or {@code METHOD url.template}, attributes
 * {@code http.request.method}, {@code http.response.status_code}, {@code server.address}, {@code server.port},
 * {@code url.template} and {@code error.type}. Spring Framework 7 ships a semconv convention for the server side
 * only ({@code OpenTelemetryServerRequestObservationConvention}); this is its client counterpart.
 * <p>
 * All low-cardinality attributes are bounded: the URI <em>template</em> (never the expanded URI) and the downstream
 * host, which is one of a handful of configured services.
 */
final class HttpClientSemconvConvention implements ClientRequestObservationConvention {

	private static final String OTHER = "_OTHER";

	@Override
	public String getName() {
		return "http.client.request.duration";
	}

	@Override
	public String getContextualName(ClientRequestObservationContext context) {
		String method = method(context);
		return (context.getUriTemplate() != null) ? method + " " + context.getUriTemplate() : method;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ClientRequestObservationContext context) {
		URI uri = uri(context.getCarrier());
		KeyValues values = KeyValues.of(KeyValue.of("http.request.method", method(context)),
				KeyValue.of("server.address", (uri != null && uri.getHost() != null) ? uri.getHost() : "unknown"),
				KeyValue.of("server.port", Integer.toString(port(uri))),
				KeyValue.of("url.template", (context.getUriTemplate() != null) ? context.getUriTemplate() : "none"));
		Integer status = status(context.getResponse());
		values = values.and("http.response.status_code", (status != null) ? status.toString() : "0");
		// error.type: the exception class when the call failed, else the status code for 4xx/5xx (semconv HTTP).
		String errorType = "none";
		if (context.getError() != null) {
			errorType = context.getError().getClass().getName();
		}
		else if (status != null && status >= 400) {
			errorType = status.toString();
		}
		return values.and("error.type", errorType);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ClientRequestObservationContext context) {
		URI uri = uri(context.getCarrier());
		// url.full without the query string: queries may carry tokens or personal data.
		return (uri != null) ? KeyValues.of("url.full", uri.getScheme() + "://" + uri.getRawAuthority()
				+ ((uri.getRawPath() != null) ? uri.getRawPath() : "")) : KeyValues.empty();
	}

	private static String method(ClientRequestObservationContext context) {
		ClientHttpRequest request = context.getCarrier();
		if (request == null) {
			return OTHER;
		}
		String method = request.getMethod().name();
		return switch (method) {
			case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" -> method;
			default -> OTHER; // semconv: unknown methods collapse to _OTHER to bound cardinality
		};
	}

	private static URI uri(ClientHttpRequest request) {
		return (request != null) ? request.getURI() : null;
	}

	private static int port(URI uri) {
		if (uri == null) {
			return 0;
		}
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static Integer status(ClientHttpResponse response) {
		if (response == null) {
			return null;
		}
		try {
			return response.getStatusCode().value();
		}
		catch (IOException ex) {
			return null;
		}
	}

}
