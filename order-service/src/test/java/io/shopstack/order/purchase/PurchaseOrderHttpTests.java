package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import io.shopstack.order.Courses;
import io.shopstack.order.ShopHttpTest;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The order API as the app (or curl) sees it over HTTP, and the rows it leaves behind. */
class PurchaseOrderHttpTests extends ShopHttpTest {

  @Autowired JdbcClient jdbc;

  @Test
  void theDesignOrderIsCreatedStoredAndReadBack() {
    HttpResponse<String> created =
        send(
            request(shop("/purchaseOrder"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Request-Id", "journey-42")
                .POST(HttpRequest.BodyPublishers.ofString(DESIGN_ORDER))
                .build());

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("X-Served-By")).hasValue(INSTANCE);
    assertThat(created.headers().firstValue("X-Request-Id")).hasValue("journey-42");
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/purchaseOrder/\\d+");
    JsonNode body = json(created);
    long id = body.get("id").asLong();
    assertThat(location).isEqualTo("/purchaseOrder/" + id);
    assertThat(body.get("order")).isEqualTo(JSON.readTree(DESIGN_ORDER).get("order"));
    assertThat(body.get("servedBy").asString()).isEqualTo(INSTANCE);
    assertThat(body.get("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    Map<String, Object> row =
        jdbc.sql("SELECT * FROM purchase_order WHERE id = :id").param("id", id).query().singleRow();
    assertThat(row)
        .containsEntry("class_name", "趣谈网络协议")
        .containsEntry("author", "刘超")
        .containsEntry("served_by", INSTANCE)
        .containsEntry("client_address", "127.0.0.1");
    assertThat(
            jdbc.sql("SELECT order_date FROM purchase_order WHERE id = :id")
                .param("id", id)
                .query(LocalDate.class)
                .single())
        .isEqualTo(LocalDate.of(2018, 7, 1));
    assertThat((BigDecimal) row.get("price")).isEqualByComparingTo("68");

    HttpResponse<String> read = send(request(shop(location)).build());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read)).isEqualTo(body);
  }

  @Test
  void curlSendingTheDesignRequestGets201() throws Exception {
    Curl.Response response =
        Curl.run(
            Duration.ofSeconds(20),
            "-H",
            "Host: www.shop.example",
            "-H",
            "Content-Type: application/json; charset=utf-8",
            "--data-binary",
            DESIGN_ORDER,
            shop("/purchaseOrder").toString());

    assertThat(response.raw()).startsWith("HTTP/1.1 201");
    assertThat(response.header("Location")).matches("/purchaseOrder/\\d+");
    assertThat(response.body()).contains("\"Author\":\"刘超\"", "\"price\":\"68\"");
  }

  @Test
  void aRetryWithTheSameKeyAndBodyReplaysTheOriginalOrder() {
    String key = "retry-" + System.nanoTime();
    HttpResponse<String> first = postWithKey(key, DESIGN_ORDER);
    // Same order, other spelling of the same JSON and price: still the same purchase.
    HttpResponse<String> retry =
        postWithKey(
            key,
            "{\"order\":{\"price\":\"68.00\",\"Author\":\"刘超\",\"className\":\"趣谈网络协议\","
                + "\"date\":\"2018-07-01\"}}");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.headers().firstValue("Location"))
        .isEqualTo(first.headers().firstValue("Location"));
    assertThat(json(retry)).isEqualTo(json(first));
    assertThat(ordersWithKey(key)).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIs422AndPlacesNothing() {
    String key = "reused-" + System.nanoTime();
    long id = json(postWithKey(key, DESIGN_ORDER)).get("id").asLong();

    HttpResponse<String> reused = postWithKey(key, DESIGN_ORDER.replace("\"68\"", "\"99\""));

    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.body()).contains("Idempotency-Key", String.valueOf(id));
    assertThat(ordersWithKey(key)).isEqualTo(1);
  }

  @Test
  void aKeyThatCannotBeAHeaderValueIs400() {
    HttpResponse<String> response = postWithKey("x".repeat(256), DESIGN_ORDER);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("Idempotency-Key");
  }

  private HttpResponse<String> postWithKey(String key, String body) {
    return send(
        request(shop("/purchaseOrder"))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private long ordersWithKey(String key) {
    return jdbc.sql("SELECT COUNT(*) FROM purchase_order WHERE idempotency_key = :key")
        .param("key", key)
        .query(Long.class)
        .single();
  }

  /** The findings: 67 Chinese characters gave 500 on a SQL_ASCII database. */
  @Test
  void textAtTheCharacterLimitsIsStoredAndEchoedExactly() {
    String title = "趣".repeat(190) + "\uD83D\uDE00".repeat(10);
    String author = "刘".repeat(100);
    Courses.sell(jdbc, title, author, "68");
    HttpResponse<String> created =
        postJson(
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \""
                + title
                + "\", \"Author\": \""
                + author
                + "\", \"price\": \"68\"}}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = json(created).get("id").asLong();
    assertThat(json(created).get("order").get("className").asString()).isEqualTo(title);
    assertThat(
            jdbc.sql("SELECT class_name FROM purchase_order WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single())
        .isEqualTo(title);
    HttpResponse<String> read = send(request(shop("/purchaseOrder/" + id)).build());
    assertThat(json(read).get("order").get("Author").asString()).isEqualTo(author);
  }

  @Test
  void nulAndLoneSurrogatesAre400NamingTheField() {
    HttpResponse<String> nul = postJson(DESIGN_ORDER.replace("\"刘超\"", "\"刘\\u0000超\""));
    HttpResponse<String> surrogate =
        postJson(DESIGN_ORDER.replace("\"趣谈网络协议\"", "\"趣谈\\ud800网络协议\""));

    assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
    assertThat(nul.body()).contains("order.Author", "NUL");
    assertThat(surrogate.statusCode()).as(surrogate.body()).isEqualTo(400);
    assertThat(surrogate.body()).contains("order.className", "surrogate");
  }

  @Test
  void theListingPagesNewestFirstThroughFiltersAndFollowsItsNextLinks() {
    String title = "列表-" + System.nanoTime();
    Courses.sell(jdbc, title, "刘超", "68");
    List<Long> placed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      placed.add(json(postJson(DESIGN_ORDER.replace("趣谈网络协议", title))).get("id").asLong());
    }
    postJson(DESIGN_ORDER);

    List<Long> listed = new ArrayList<>();
    String next =
        "/purchaseOrder?limit=2&className=" + URLEncoder.encode(title, StandardCharsets.UTF_8);
    while (next != null) {
      HttpResponse<String> page = send(request(shop(next)).build());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = json(page);
      body.get("orders").forEach(order -> listed.add(order.get("id").asLong()));
      next = body.has("next") && !body.get("next").isNull() ? body.get("next").asString() : null;
    }

    Collections.reverse(placed);
    assertThat(listed).containsExactlyElementsOf(placed);
  }

  @Test
  void unknownOrderIs404Json() {
    HttpResponse<String> response = send(request(shop("/purchaseOrder/999999")).build());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(response).get("detail").asString()).contains("999999");
  }

  @Test
  void malformedJsonIs400NamingTheProblemAndTheNextOrderStillWorks() {
    HttpResponse<String> response = postJson("{\"order\": {\"date\": \"2018-07-01\",");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("X-Served-By")).hasValue(INSTANCE);
    String error = json(response).get("detail").asString();
    assertThat(error).startsWith("malformed JSON: ").contains("end-of-input", "line 1");
    assertThat(error).doesNotContain("Source:", "io.shopstack", "Exception");

    assertThat(postJson(DESIGN_ORDER).statusCode()).isEqualTo(201);
  }

  @Test
  void missingAuthorIs400NamingTheField() {
    // "author" in lower case is not the contract's "Author".
    HttpResponse<String> response =
        postJson(
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\","
                + " \"author\": \"刘超\", \"price\": \"68\"}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
    assertThat(problem.get("detail").asString()).isEqualTo("order.Author is required");
    assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("order.Author");
  }

  @Test
  void everyBadFieldIsNamedInOneProblem() {
    HttpResponse<String> response =
        postJson(
            "{\"order\": {\"date\": \"2018-13-01\", \"className\": \"\","
                + " \"Author\": \"刘超\", \"price\": \"-68\"}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("errors").valueStream().map(bad -> bad.get("field").asString()))
        .containsExactly("order.date", "order.className", "order.price");
  }

  @Test
  void bodyOverTheLimitIs413AndNothingIsStored() {
    long before = rows();
    byte[] oversized = oversizedOrder();

    HttpResponse<String> response =
        send(
            request(shop("/purchaseOrder"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(oversized))
                .build());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("X-Served-By")).hasValue(INSTANCE);
    assertThat(json(response).get("detail").asString()).contains("65536");
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    long before = rows();
    byte[] oversized = oversizedOrder();

    // A body from a stream has no length up front: the client sends it chunked.
    HttpResponse<String> response =
        send(
            request(shop("/purchaseOrder"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(oversized)))
                .build());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void chunkedBodyUnderTheLimitIsAnOrderLikeAnyOther() {
    byte[] order = DESIGN_ORDER.getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> response =
        send(
            request(shop("/purchaseOrder"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(order)))
                .build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).get("order").get("className").asString()).isEqualTo("趣谈网络协议");
  }

  @Test
  void aClientThatTakesNoJsonIs406AndPlacesNothing() {
    String key = "no-json-" + System.nanoTime();
    HttpResponse<String> refused =
        send(
            request(shop("/purchaseOrder"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/xml")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(DESIGN_ORDER))
                .build());

    assertThat(refused.statusCode()).isEqualTo(406);
    assertThat(ordersWithKey(key)).isZero();
  }

  @Test
  void wrongContentTypeIs415() {
    HttpResponse<String> response =
        send(
            request(shop("/purchaseOrder"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(DESIGN_ORDER))
                .build());

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(json(response).get("detail").asString()).contains("text/plain", "application/json");
  }

  @Test
  void unknownPathIs404JsonNotAWhitelabelPage() {
    HttpResponse<String> response = send(request(shop("/no/such/page")).build());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("X-Served-By")).hasValue(INSTANCE);
    assertThat(json(response).get("detail").asString()).contains("/no/such/page");
  }

  private long rows() {
    return jdbc.sql("SELECT COUNT(*) FROM purchase_order").query(Long.class).single();
  }

  /** A well-formed order whose className alone makes the body 70 000 bytes: only size is wrong. */
  private static byte[] oversizedOrder() {
    String padded = DESIGN_ORDER.replace("趣谈网络协议", "x".repeat(70_000));
    return padded.getBytes(StandardCharsets.UTF_8);
  }
}
