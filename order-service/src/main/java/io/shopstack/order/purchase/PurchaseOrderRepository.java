package io.shopstack.order.purchase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.stereotype.Component;

/**
 * Purchase orders in table {@code purchase_order} (db/migration). Plain SQL that H2 (local
 * topology) and PostgreSQL (Docker) both run unchanged.
 *
 * <p>A plain component, not a {@code @Repository}: that adds a proxy translating exceptions on
 * every call, which JdbcClient and {@link #saveIfInCatalog} already do themselves.
 */
@Component
class PurchaseOrderRepository {

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final SQLExceptionTranslator translator;

  PurchaseOrderRepository(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.dataSource = template.getDataSource();
    this.translator = template.getExceptionTranslator();
  }

  /**
   * Stores the order if the catalog sells its course, by its author, at its price, and no order
   * holds its idempotency key yet, and returns its generated id; empty when the catalog refused it
   * or the key is taken. One statement, one round trip: {@code INSERT ... SELECT FROM product}
   * judges the order by the catalog as it is at the insert, and {@code ON CONFLICT DO NOTHING}
   * makes a taken key an empty result instead of an error (PostgreSQL waits for an insert of the
   * same key still in flight, then does nothing if it committed). Committed when this returns
   * (auto-commit), so the 201 that follows is never sent for an order a crash could still lose.
   *
   * <p>Plain JDBC, since this is every order's statement: through JdbcClient the named parameters'
   * parsing and generic binding, the generated-key holder's row map and the exception-translation
   * proxy cost about as much CPU as the driver itself (JFR, README "Speed"). Failures are
   * translated as JdbcClient's are, by the same translator.
   *
   * @param idempotencyKey the client's key, or null
   * @throws org.springframework.dao.DuplicateKeyException when H2 still reports the taken key (a
   *     race with another insert of the key)
   */
  OptionalLong saveIfInCatalog(
      NewOrder order,
      String servedBy,
      String clientAddress,
      OffsetDateTime createdAt,
      String idempotencyKey) {
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try (PreparedStatement insert = connection.prepareStatement(SAVE_IF_IN_CATALOG, GENERATED_ID)) {
      bind(insert, new OrderRow(order, servedBy, clientAddress, createdAt, idempotencyKey));
      if (insert.executeUpdate() == 0) {
        return OptionalLong.empty();
      }
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new IllegalStateException("an order was inserted but no id came back");
        }
        return OptionalLong.of(keys.getLong(1));
      }
    } catch (SQLException e) {
      throw translated("saveIfInCatalog", e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /** One order's values for {@link #saveAllIfInCatalog}. */
  record OrderRow(
      NewOrder order,
      String servedBy,
      String clientAddress,
      OffsetDateTime createdAt,
      String idempotencyKey) {}

  /**
   * {@link #saveIfInCatalog} for several orders in one transaction: the same statement once per
   * order, sent as one JDBC batch (one round trip), then one commit, so the orders share the
   * commit's WAL flush and its round trip. Returns each order's id, in the order given, or 0 where
   * the catalog refused it or its key was taken (an order earlier in the same batch may have taken
   * it). Committed when this returns; on any failure the transaction is rolled back (nothing of the
   * batch is stored, unless the connection broke during the commit itself) and the translated
   * exception thrown.
   *
   * <p>The rows are inserted in the order given: callers that may run batches concurrently sort
   * them by idempotency key, so that two batches waiting for each other's keys never deadlock.
   */
  long[] saveAllIfInCatalog(List<OrderRow> rows) {
    Connection connection = DataSourceUtils.getConnection(dataSource);
    boolean autoCommit = true;
    try {
      autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      long[] ids = new long[rows.size()];
      try (PreparedStatement insert =
          connection.prepareStatement(SAVE_IF_IN_CATALOG, GENERATED_ID)) {
        for (OrderRow row : rows) {
          bind(insert, row);
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        if (counts.length != rows.size()) {
          throw new IllegalStateException(
              counts.length + " results for a batch of " + rows.size() + " orders");
        }
        try (ResultSet keys = insert.getGeneratedKeys()) {
          for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
              continue;
            }
            // SUCCESS_NO_INFO (-2) would not say which orders were stored: refuse, roll back.
            if (counts[i] != 1 || !keys.next()) {
              throw new IllegalStateException(
                  "batch result " + counts[i] + " for order " + i + " does not say its id");
            }
            ids[i] = keys.getLong(1);
          }
          if (keys.next()) {
            throw new IllegalStateException("more ids than orders stored in a batch");
          }
        }
      }
      connection.commit();
      return ids;
    } catch (SQLException e) {
      rollBack(connection);
      throw translated("saveAllIfInCatalog", e);
    } catch (RuntimeException e) {
      rollBack(connection);
      throw e;
    } finally {
      restoreAutoCommit(connection, autoCommit);
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  private static void bind(PreparedStatement insert, OrderRow row) throws SQLException {
    NewOrder order = row.order();
    insert.setObject(1, order.date());
    insert.setString(2, order.className());
    insert.setString(3, order.author());
    insert.setBigDecimal(4, order.price());
    insert.setString(5, row.servedBy());
    insert.setString(6, row.clientAddress());
    insert.setObject(7, row.createdAt());
    if (row.idempotencyKey() == null) {
      insert.setNull(8, Types.VARCHAR);
    } else {
      insert.setString(8, row.idempotencyKey());
    }
    insert.setString(9, order.className());
    insert.setString(10, order.author());
    insert.setBigDecimal(11, order.price());
  }

  private DataAccessException translated(String task, SQLException e) {
    DataAccessException translated = translator.translate(task, SAVE_IF_IN_CATALOG, e);
    return translated != null
        ? translated
        : new UncategorizedSQLException(task, SAVE_IF_IN_CATALOG, e);
  }

  /** After a failure: the failure is what the caller hears about, not a broken rollback. */
  private static void rollBack(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException ignored) {
      // the connection is broken; the pool drops it, and the database rolls back on its own
    }
  }

  private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
    try {
      connection.setAutoCommit(autoCommit);
    } catch (SQLException | RuntimeException ignored) {
      // a broken connection; the pool resets or drops it when it comes back
    }
  }

  private static final String SAVE_IF_IN_CATALOG =
      """
      INSERT INTO purchase_order
        (order_date, class_name, author, price, served_by, client_address, created_at,
         idempotency_key)
      SELECT ?, ?, ?, ?, ?, ?, ?, ?
      FROM product
      WHERE title = ? AND author = ? AND price = ?
      ON CONFLICT DO NOTHING
      """;

  /** The driver returns the generated id with the insert (PostgreSQL: RETURNING "id"). */
  private static final String[] GENERATED_ID = {"id"};

  Optional<PurchaseOrder> findById(long id) {
    return jdbc.sql(
            """
            SELECT id, order_date, class_name, author, price, served_by, client_address, created_at
            FROM purchase_order WHERE id = :id
            """)
        .param("id", id)
        .query(PurchaseOrderRepository::toPurchaseOrder)
        .optional();
  }

  Optional<PurchaseOrder> findByIdempotencyKey(String key) {
    return jdbc.sql(
            """
            SELECT id, order_date, class_name, author, price, served_by, client_address, created_at
            FROM purchase_order WHERE idempotency_key = :key
            """)
        .param("key", key)
        .query(PurchaseOrderRepository::toPurchaseOrder)
        .optional();
  }

  /**
   * Newest first, at most {@code limit} orders with an id below {@code before} (keyset paging: a
   * page does not shift when orders arrive meanwhile), matching every filter that is not null.
   */
  List<PurchaseOrder> list(OrderFilter filter, Long before, int limit) {
    StringBuilder sql =
        new StringBuilder(
            """
            SELECT id, order_date, class_name, author, price, served_by, client_address, created_at
            FROM purchase_order WHERE 1 = 1
            """);
    Map<String, Object> params = new HashMap<>();
    condition(sql, params, "id < :before", "before", before);
    condition(sql, params, "served_by = :servedBy", "servedBy", filter.servedBy());
    condition(sql, params, "class_name = :className", "className", filter.className());
    condition(sql, params, "author = :author", "author", filter.author());
    condition(sql, params, "order_date = :date", "date", filter.date());
    sql.append(" ORDER BY id DESC LIMIT :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString())
        .params(params)
        .query(PurchaseOrderRepository::toPurchaseOrder)
        .list();
  }

  private static void condition(
      StringBuilder sql, Map<String, Object> params, String clause, String name, Object value) {
    if (value != null) {
      sql.append(" AND ").append(clause);
      params.put(name, value);
    }
  }

  private static PurchaseOrder toPurchaseOrder(ResultSet row, int rowNum) throws SQLException {
    NewOrder order =
        new NewOrder(
            row.getObject("order_date", LocalDate.class),
            row.getString("class_name"),
            row.getString("author"),
            row.getBigDecimal("price"));
    OffsetDateTime createdAt = row.getObject("created_at", OffsetDateTime.class);
    return new PurchaseOrder(
        row.getLong("id"),
        order,
        row.getString("served_by"),
        row.getString("client_address"),
        createdAt.toInstant());
  }
}
