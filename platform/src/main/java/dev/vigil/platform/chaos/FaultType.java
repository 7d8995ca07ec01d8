package dev.vigil.platform.chaos;

/** The faults a service can be told to suffer. Each is applied where the real failure would show up. */
public enum FaultType {

	/** Extra delay before handling an inbound request (HTTP or gRPC): a slow service. */
	LATENCY,
	/** A share of inbound requests fails (HTTP 503 / gRPC UNAVAILABLE): a flaky service. */
	ERROR,
	/** A share of inbound requests throws inside the handler (HTTP 500 / gRPC INTERNAL): a bug. */
	EXCEPTION,
	/** Busy threads burning CPU for the fault's lifetime. */
	CPU,
	/** Heap held for the fault's lifetime: garbage-collection pressure. */
	MEMORY,
	/** Extra delay when borrowing a database connection: a slow database. */
	SLOW_DB,
	/** Outbound calls (gRPC client) fail with UNAVAILABLE: a dependency outage as this service sees it. */
	DEPENDENCY_FAILURE

}
