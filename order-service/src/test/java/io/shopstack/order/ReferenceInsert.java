package io.shopstack.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import tools.jackson.databind.JsonNode;

/**
 * The order insert as it was written with JdbcClient before it became plain JDBC (README "Speed"),
 * kept as the reference the plain statement is held to: the same order stored both ways must give
 * the same row, column by column, as the database's driver returns it.
 */
public final class ReferenceInsert {

  private ReferenceInsert() {}

  /**
   * Stores again, through the JdbcClient statement, the order the service answered with (its
   * fields, instance, client address and time) under {@code key}, and checks that both rows hold
   * the same values; the service's row must carry {@code serviceKey}.
   */
  public static void storesTheSameRow(
      JdbcClient jdbc, JsonNode answered, String serviceKey, String key) {
    JsonNode order = answered.get("order");
    KeyHolder keys = new GeneratedKeyHolder();
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
        .param("date", LocalDate.parse(order.get("date").asString()))
        .param("className", order.get("className").asString())
        .param("author", order.get("Author").asString())
        .param("price", new BigDecimal(order.get("price").asString()))
        .param("servedBy", answered.get("servedBy").asString())
        .param("clientAddress", answered.get("clientAddress").asString())
        .param(
            "createdAt",
            OffsetDateTime.ofInstant(
                Instant.parse(answered.get("createdAt").asString()), ZoneOffset.UTC))
        .param("idempotencyKey", key)
        .update(keys, "id");
    long referenceId = keys.getKeyAs(Number.class).longValue();

    Map<String, Object> service = row(jdbc, answered.get("id").asLong());
    Map<String, Object> reference = row(jdbc, referenceId);
    assertThat(service.remove("IDEMPOTENCY_KEY")).isEqualTo(serviceKey);
    assertThat(reference.remove("IDEMPOTENCY_KEY")).isEqualTo(key);
    assertThat(service).isEqualTo(reference).hasSize(7);
  }

  private static Map<String, Object> row(JdbcClient jdbc, long id) {
    // Upper-case labels: H2 and PostgreSQL name the columns alike.
    Map<String, Object> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    row.putAll(
        jdbc.sql(
                """
                SELECT order_date AS "ORDER_DATE", class_name AS "CLASS_NAME", author AS "AUTHOR",
                       price AS "PRICE", served_by AS "SERVED_BY",
                       client_address AS "CLIENT_ADDRESS", created_at AS "CREATED_AT",
                       idempotency_key AS "IDEMPOTENCY_KEY"
                FROM purchase_order WHERE id = :id
                """)
            .param("id", id)
            .query()
            .singleRow());
    return row;
  }
}
