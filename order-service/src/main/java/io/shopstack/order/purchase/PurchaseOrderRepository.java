package io.shopstack.order.purchase;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Purchase orders in table {@code purchase_order} (db/migration). Plain SQL that H2 (local
 * topology) and PostgreSQL (Docker) both run unchanged.
 */
@Repository
class PurchaseOrderRepository {

  private final JdbcClient jdbc;

  PurchaseOrderRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
    KeyHolder keys = new GeneratedKeyHolder();
    int inserted =
        jdbc.sql(
                """
                INSERT INTO purchase_order
                  (order_date, class_name, author, price, served_by, client_address, created_at,
                   idempotency_key)
                SELECT :date, :className, :author, :price, :servedBy, :clientAddress, :createdAt,
                       :idempotencyKey
                FROM product
                WHERE title = :className AND author = :author AND price = :price
                ON CONFLICT DO NOTHING
                """)
            .param("date", order.date())
            .param("className", order.className())
            .param("author", order.author())
            .param("price", order.price())
            .param("servedBy", servedBy)
            .param("clientAddress", clientAddress)
            .param("createdAt", createdAt)
            .param("idempotencyKey", idempotencyKey)
            .update(keys, "id");
    return inserted == 0
        ? OptionalLong.empty()
        : OptionalLong.of(keys.getKeyAs(Number.class).longValue());
  }

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
