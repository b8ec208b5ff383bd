package io.shopstack.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts a course into the catalog the way an operator does, with SQL on table {@code product}: tests
 * that order other titles than the seed's (long Unicode text, one title per listing) need it sold.
 */
public final class Courses {

  private static final AtomicLong NEXT = new AtomicLong(System.nanoTime());

  private Courses() {}

  /** Adds a course and returns its sku. */
  public static String sell(JdbcClient jdbc, String title, String author, String price) {
    String sku = "test-" + NEXT.incrementAndGet();
    jdbc.sql(
            """
            INSERT INTO product (sku, title, author, price, description, updated_at)
            VALUES (:sku, :title, :author, :price, 'a course for a test', :updatedAt)
            """)
        .param("sku", sku)
        .param("title", title)
        .param("author", author)
        .param("price", new BigDecimal(price))
        .param(
            "updatedAt",
            OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC))
        .update();
    return sku;
  }

  /** A price change as an operator makes it: the row and its Last-Modified together. */
  public static void reprice(JdbcClient jdbc, String sku, String price, Instant when) {
    jdbc.sql("UPDATE product SET price = :price, updated_at = :when WHERE sku = :sku")
        .param("price", new BigDecimal(price))
        .param("when", OffsetDateTime.ofInstant(when, ZoneOffset.UTC))
        .param("sku", sku)
        .update();
  }
}
