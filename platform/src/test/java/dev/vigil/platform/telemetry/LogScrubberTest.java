package dev.vigil.platform.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogScrubberTest {

	@Test
	void masksSecretsAndPersonalData() {
		assertThat(LogScrubber.scrub("user alice@example.com registered")).isEqualTo("user *** registered");
		assertThat(LogScrubber.scrub("login password=hunter2 ok")).isEqualTo("login password=*** ok");
		assertThat(LogScrubber.scrub("{\"password\": \"s3cr3t\"}")).isEqualTo("{\"password\": \"***\"}");
		assertThat(LogScrubber.scrub("Authorization: Bearer abc.def-ghi_jkl")).doesNotContain("abc.def-ghi_jkl");
		assertThat(LogScrubber.scrub("jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl end"))
			.isEqualTo("jwt *** end");
		assertThat(LogScrubber.scrub("card 4111 1111 1111 1111 declined")).isEqualTo("card *** declined");
		assertThat(LogScrubber.scrub("card 4111111111111111")).isEqualTo("card ***");
	}

	@Test
	void leavesOrdinaryTextAlone() {
		String plain = "order 1234 placed in 12 ms";
		assertThat(LogScrubber.scrub(plain)).isSameAs(plain);
		// 13 digits, not Luhn-valid: an epoch-millis timestamp survives.
		assertThat(LogScrubber.scrub("at 1700000000001 done")).isEqualTo("at 1700000000001 done");
		assertThat(LogScrubber.scrub("route=/api/orders/{id}")).isEqualTo("route=/api/orders/{id}");
	}

}
