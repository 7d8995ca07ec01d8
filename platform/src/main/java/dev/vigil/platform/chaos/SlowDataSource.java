package dev.vigil.platform.chaos;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** Applies SLOW_DB faults when a connection is borrowed: every transaction of the service waits, as with a slow DB. */
class SlowDataSource extends DelegatingDataSource {

	private final ChaosFaults faults;

	SlowDataSource(DataSource target, ChaosFaults faults) {
		super(target);
		this.faults = faults;
	}

	@Override
	public Connection getConnection() throws SQLException {
		slowDown();
		return super.getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		slowDown();
		return super.getConnection(username, password);
	}

	private void slowDown() {
		faults.strike(FaultType.SLOW_DB, null).ifPresent(fault -> {
			FaultEvents.injected(fault, "database connection");
			ChaosFaults.delay(fault);
		});
	}

}
