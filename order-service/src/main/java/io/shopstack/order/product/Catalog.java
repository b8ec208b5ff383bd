package io.shopstack.order.product;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The courses the shop sells, table {@code product} (db/migration V4). Read on every use, never
 * cached in an instance: both instances behind the SLB then render the same page and judge an order
 * by the same price, the moment a price changes.
 */
@Repository
public class Catalog {

  private static final String COLUMNS =
      "SELECT sku, title, author, price, description, updated_at FROM product";

  private final JdbcClient jdbc;

  Catalog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<Product> products() {
    return jdbc.sql(COLUMNS + " ORDER BY sku").query(Catalog::toProduct).list();
  }

  public Optional<Product> find(String sku) {
    return jdbc.sql(COLUMNS + " WHERE sku = :sku")
        .param("sku", sku)
        .query(Catalog::toProduct)
        .optional();
  }

  /** The course an order names by its {@code className}. */
  public Optional<Product> findByTitle(String title) {
    return jdbc.sql(COLUMNS + " WHERE title = :title")
        .param("title", title)
        .query(Catalog::toProduct)
        .optional();
  }

  private static Product toProduct(ResultSet row, int rowNum) throws SQLException {
    return new Product(
        row.getString("sku"),
        row.getString("title"),
        row.getString("author"),
        row.getBigDecimal("price"),
        row.getString("description"),
        row.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
