package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.Courses;
import io.shopstack.order.ShopHttpTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Orders are judged by the catalog in the database: an unknown course or author is 422 naming the
 * field, another price is 409 with the current one, and in both cases nothing is stored.
 */
class CatalogCheckHttpTests extends ShopHttpTest {

  @Autowired JdbcClient jdbc;

  @Test
  void aCourseTheShopDoesNotSellIs422NamingClassNameAndStoresNothing() {
    String title = "不存在的课程-" + System.nanoTime();
    HttpResponse<String> response = postJson(DESIGN_ORDER.replace("趣谈网络协议", title));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(fieldsOf(json(response))).containsExactly("order.className");
    assertThat(ordersOf(title)).isZero();
  }

  @Test
  void anotherAuthorThanTheCatalogsIs422NamingAuthor() {
    HttpResponse<String> response = postJson(DESIGN_ORDER.replace("刘超", "某人"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(fieldsOf(json(response))).containsExactly("order.Author");
  }

  @Test
  void anotherPriceIs409WithTheCurrentPriceAndStoresNothing() {
    String title = "价格-" + System.nanoTime();
    String sku = Courses.sell(jdbc, title, "刘超", "68.50");

    HttpResponse<String> response =
        postJson(DESIGN_ORDER.replace("趣谈网络协议", title).replace("\"68\"", "\"60\""));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    JsonNode problem = json(response);
    assertThat(problem.get("currentPrice").asString()).isEqualTo("68.50");
    assertThat(problem.get("sku").asString()).isEqualTo(sku);
    assertThat(fieldsOf(problem)).containsExactly("order.price");
    assertThat(problem.get("detail").asString()).contains("60", "68.50");
    assertThat(ordersOf(title)).isZero();

    // The app shows the current price and asks again: that order goes through.
    HttpResponse<String> again =
        postJson(DESIGN_ORDER.replace("趣谈网络协议", title).replace("\"68\"", "\"68.5\""));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(json(again).get("order").get("price").asString()).isEqualTo("68.50");
  }

  @Test
  void aPriceChangeIsSeenByTheNextOrderButARetryStillGetsItsOrder() {
    String title = "涨价-" + System.nanoTime();
    String sku = Courses.sell(jdbc, title, "刘超", "68");
    String order = DESIGN_ORDER.replace("趣谈网络协议", title);
    String key = "before-the-change-" + System.nanoTime();
    HttpResponse<String> placed = postWithKey(key, order);

    Courses.reprice(jdbc, sku, "72", Instant.now());

    HttpResponse<String> retry = postWithKey(key, order);
    HttpResponse<String> newOrder = postJson(order);
    assertThat(placed.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(json(retry).get("id")).isEqualTo(json(placed).get("id"));
    assertThat(newOrder.statusCode()).as(newOrder.body()).isEqualTo(409);
    assertThat(json(newOrder).get("currentPrice").asString()).isEqualTo("72");
    assertThat(ordersOf(title)).isEqualTo(1);
  }

  @Test
  void theCatalogListingComesFromTheDatabase() {
    String title = "新课-" + System.nanoTime();
    String sku = Courses.sell(jdbc, title, "刘超", "10");

    HttpResponse<String> listing = send(request(shop("/products")).build());

    assertThat(json(listing).findValuesAsString("sku")).contains("course-1001", sku);
    assertThat(json(listing).findValuesAsString("title")).contains("趣谈网络协议", title);
  }

  private HttpResponse<String> postWithKey(String key, String body) {
    return send(
        request(shop("/purchaseOrder"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private long ordersOf(String title) {
    return jdbc.sql("SELECT COUNT(*) FROM purchase_order WHERE class_name = :title")
        .param("title", title)
        .query(Long.class)
        .single();
  }

  private static List<String> fieldsOf(JsonNode problem) {
    return problem.get("errors").findValuesAsString("field");
  }
}
