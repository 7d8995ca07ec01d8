package dev.vigil.launcher.chaos;

import dev.vigil.launcher.LauncherException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The ground truth for "no lost or duplicated orders": the orders service's table (every accepted order) against the
 * notifications service's table (every order recorded). Both live in the one local-mode PostgreSQL, in their own
 * schemas, so one query can compare them.
 */
public final class OrderLedger {

	static final String LOST = """
			select count(*) from orders.orders o
			where o.created_at >= ? and o.created_at < ? and not exists (select 1 from notifications.received_orders n where n.order_id = o.id::text)
			""";

	static final String DUPLICATED = """
			select count(*) from (select n.order_id from notifications.received_orders n
			  join orders.orders o on n.order_id = o.id::text where o.created_at >= ? and o.created_at < ? group by n.order_id having count(*) > 1) d
			""";

	private final String jdbcUrl;

	private final String user;

	private final String password;

	public OrderLedger(String jdbcUrl, String user, String password) {
		this.jdbcUrl = jdbcUrl;
		this.user = user;
		this.password = password;
	}

	/**
	 * Orders created in [since, until) that notifications has not recorded. Bounded above: under background load new
	 * orders keep arriving, and one created a moment ago is in flight, not lost.
	 */
	public long lostBetween(Instant since, Instant until) {
		return count(LOST, since, until);
	}

	public long duplicatedBetween(Instant since, Instant until) {
		return count(DUPLICATED, since, until);
	}

	private long count(String sql, Instant since, Instant until) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setTimestamp(1, Timestamp.from(since));
			statement.setTimestamp(2, Timestamp.from(until));
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new LauncherException("cannot compare orders with notifications: " + ex.getMessage(), ex);
		}
	}

}
