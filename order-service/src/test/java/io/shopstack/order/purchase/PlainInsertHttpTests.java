package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.Courses;
import io.shopstack.order.ReferenceInsert;
import io.shopstack.order.ShopHttpTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * On H2: the order's plain-JDBC insert stores the row the JdbcClient statement it replaced stored
 * ({@link ReferenceInsert}); PostgresOrdersTests holds it to the same on PostgreSQL.
 */
class PlainInsertHttpTests extends ShopHttpTest {

  @Autowired JdbcClient jdbc;

  @Test
  void anOrderWithAKeyIsTheRowJdbcClientStored() {
    long stamp = System.nanoTime();
    String title = "网络协议 " + "\uD83D\uDE00".repeat(3) + " " + stamp;
    Courses.sell(jdbc, title, "刘超 O'Brien", "68.50");

    HttpResponse<String> created = place(title, "刘超 O'Brien", "68.5", "plain-" + stamp);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    ReferenceInsert.storesTheSameRow(
        jdbc, JSON.readTree(created.body()), "plain-" + stamp, "reference-" + stamp);
  }

  @Test
  void anOrderWithoutAKeyIsTheRowJdbcClientStored() {
    HttpResponse<String> created = place("趣谈网络协议", "刘超", "68", null);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    ReferenceInsert.storesTheSameRow(jdbc, JSON.readTree(created.body()), null, null);
  }

  private HttpResponse<String> place(String title, String author, String price, String key) {
    String body =
        JSON.createObjectNode()
            .set(
                "order",
                JSON.createObjectNode()
                    .put("date", "2018-07-01")
                    .put("className", title)
                    .put("Author", author)
                    .put("price", price))
            .toString();
    HttpRequest.Builder request =
        request(shop("/purchaseOrder"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return send(request.build());
  }
}
