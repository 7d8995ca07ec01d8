package dev.vigil.platform.grpc;

import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcStatusProblemsTests {

	@ParameterizedTest
	@CsvSource({ "INVALID_ARGUMENT, quantity must be positive, 400", "NOT_FOUND, unknown product, 404",
			"ALREADY_EXISTS, exists, 409", "FAILED_PRECONDITION, out of stock, 409",
			"FAILED_PRECONDITION, payment declined: insufficient funds, 422", "UNAVAILABLE, down, 503",
			"DEADLINE_EXCEEDED, slow, 503", "RESOURCE_EXHAUSTED, busy, 429", "INTERNAL, boom, 502",
			"UNKNOWN, ?, 502" })
	void shouldMapGrpcCodesToHttpStatuses(Status.Code code, String description, int expected) {
		ProblemDetail problem = GrpcStatusProblems.toProblem(Status.fromCode(code).withDescription(description));
		assertThat(problem.getStatus()).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "INTERNAL, NullPointerException at Foo.java:12", "UNAVAILABLE, connection refused 10.0.0.7" })
	void shouldNotLeakInfrastructureDescriptions(Status.Code code, String description) {
		ProblemDetail problem = GrpcStatusProblems.toProblem(Status.fromCode(code).withDescription(description));
		assertThat(problem.getDetail()).doesNotContain(description);
	}

	@ParameterizedTest
	@CsvSource({ "NOT_FOUND, product sku-9 not found", "FAILED_PRECONDITION, insufficient stock for sku-1" })
	void shouldPassOnClientFacingDescriptions(Status.Code code, String description) {
		ProblemDetail problem = GrpcStatusProblems.toProblem(Status.fromCode(code).withDescription(description));
		assertThat(problem.getDetail()).isEqualTo(description);
	}

}
