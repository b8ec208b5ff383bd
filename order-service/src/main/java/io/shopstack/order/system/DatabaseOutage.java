package io.shopstack.order.system;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;

/**
 * Tells a database that is unreachable, shutting down or too slow (answered 503 with {@code
 * Retry-After}: the same request will work later, and nothing was stored) from a bug of ours (500),
 * and makes sure the service recovers by itself once the database is back.
 */
@Component
public class DatabaseOutage {

  private final DataSource dataSource;

  DatabaseOutage(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Drops the pool's connections after an outage was seen: they point at a server that is gone.
   * Hikari evicts a broken connection by itself only when the driver reports a SQLSTATE it knows
   * (PostgreSQL's 08xxx); H2's "connection is broken" it does not, and without this the pool kept
   * handing out dead connections after the database was back. Connections in use are closed when
   * returned; the next request opens fresh ones.
   */
  void dropPooledConnections() {
    if (dataSource instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
  }

  /** True for a failure that says the database is unreachable, shutting down or too slow. */
  public static boolean isOutage(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof DataAccessResourceFailureException
          || cause instanceof QueryTimeoutException
          || cause instanceof CannotAcquireLockException
          || cause instanceof SQLTransientConnectionException
          || cause instanceof SQLNonTransientConnectionException
          || cause instanceof SQLRecoverableException) {
        return true;
      }
      if (cause instanceof SQLException sql && isOutageState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQLSTATE class 08 (connection exception), 57P01-57P03 (PostgreSQL shutting down or not yet
   * accepting), 53 (out of resources, e.g. too many connections). H2's "connection is broken"
   * (90067) and "database is closed" (90098) say the same thing in H2's own codes.
   */
  private static boolean isOutageState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.startsWith("57P0")
            || state.startsWith("53")
            || state.equals("90067")
            || state.equals("90098")
            || state.equals("90121"));
  }
}
