package dev.vigil.remediator.action;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One place for "send, and turn anything but 2xx into an ActuatorException", shared by the HTTP actuators. */
public final class HttpCalls {

	private final HttpClient client;

	HttpCalls(HttpClient client) {
		this.client = client;
	}

	public static HttpCalls create() {
		return new HttpCalls(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
	}

	String send(HttpRequest request, String what) {
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new ActuatorException(what + " failed: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new ActuatorException(what + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ActuatorException(what + " interrupted", ex);
		}
	}

	private static String abbreviate(String body) {
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

}
