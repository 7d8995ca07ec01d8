package dev.vigil.telemetry;

public final class TelemetryMain {

	public static void main(String[] args) {
	}

}
