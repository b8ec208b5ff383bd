package io.shopstack.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many orders at once, so that each instance commits them in groups (GroupCommit), with every kind
 * of outcome mixed into the groups: new orders with and without a key, retries of a key racing each
 * other, one key sent with two different orders, an unknown course and a wrong price. Then every
 * answer is checked against the rows: each 201 is its row, field by field; a key has one row, the
 * one all its 201s name, and its other order got 422; a refused order stored nothing; no row exists
 * that no 201 announced. Run on H2 and on PostgreSQL.
 */
public final class ConcurrentOrders {

  private static final int BLOCKS = 40;
  private static final int CLIENTS = 48;
  private static final int MAX_ATTEMPTS = 10;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private enum Kind {
    NEW_WITHOUT_KEY,
    NEW_WITH_KEY,
    SHARED_KEY_FIRST_ORDER,
    SHARED_KEY_OTHER_ORDER,
    UNKNOWN_COURSE,
    WRONG_PRICE
  }

  private record Sent(Kind kind, String key, LocalDate date, String className, String price) {}

  private record Answer(Sent sent, int status, JsonNode body, boolean replayed) {}

  private ConcurrentOrders() {}

  /**
   * Sends the orders to the instances in turn ({@code POST /purchaseOrder} URIs), checks the
   * answers against the rows, and that the instances (their admin ports) stored them in groups.
   */
  public static void placeAndCheck(List<URI> instances, List<Integer> adminPorts, JdbcClient jdbc)
      throws Exception {
    String run = "group-" + System.nanoTime() + "-";
    // Dates no other test uses: they tell this run's rows from all others, keys or not.
    LocalDate first = LocalDate.of(2100, 1, 1).plusDays(Math.floorMod(System.nanoTime(), 30_000));
    LocalDate other = first.plusDays(1);
    double[] groupsBefore = groups(adminPorts);

    List<Sent> orders = new ArrayList<>();
    for (int b = 0; b < BLOCKS; b++) {
      orders.add(new Sent(Kind.NEW_WITHOUT_KEY, null, first, "趣谈网络协议", "68"));
      orders.add(new Sent(Kind.NEW_WITH_KEY, run + "own-" + b, first, "趣谈网络协议", "68"));
      orders.add(new Sent(Kind.SHARED_KEY_FIRST_ORDER, run + "shared-" + b, first, "趣谈网络协议", "68"));
      orders.add(new Sent(Kind.SHARED_KEY_FIRST_ORDER, run + "shared-" + b, first, "趣谈网络协议", "68"));
      orders.add(new Sent(Kind.SHARED_KEY_OTHER_ORDER, run + "shared-" + b, other, "趣谈网络协议", "68"));
      orders.add(new Sent(Kind.UNKNOWN_COURSE, run + "unknown-" + b, first, "不存在的课", "68"));
      orders.add(new Sent(Kind.WRONG_PRICE, null, first, "趣谈网络协议", "69"));
    }
    List<Answer> answers = send(instances, orders);

    Map<String, Set<Long>> idsByKey = new HashMap<>();
    Map<String, Set<LocalDate>> placedDateByKey = new HashMap<>();
    Set<Long> announced = new HashSet<>();
    for (Answer answer : answers) {
      Sent sent = answer.sent();
      switch (sent.kind()) {
        case NEW_WITHOUT_KEY, NEW_WITH_KEY -> {
          assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
          assertThat(answer.replayed()).as(answer.toString()).isFalse();
        }
        case SHARED_KEY_FIRST_ORDER, SHARED_KEY_OTHER_ORDER ->
            assertThat(answer.status()).as(answer.toString()).isIn(201, 422);
        case UNKNOWN_COURSE -> assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
        case WRONG_PRICE -> assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
      }
      if (answer.status() != 201) {
        continue;
      }
      long id = answer.body().get("id").asLong();
      announced.add(id);
      if (sent.key() != null) {
        idsByKey.computeIfAbsent(sent.key(), k -> new HashSet<>()).add(id);
        placedDateByKey.computeIfAbsent(sent.key(), k -> new HashSet<>()).add(sent.date());
      }
      assertThat(row(jdbc, id)).as("row of " + answer).isEqualTo(expectedRow(answer));
    }
    // One order per key, named by every 201 of that key, all of them for the same order ...
    assertThat(idsByKey).allSatisfy((key, ids) -> assertThat(ids).as(key).hasSize(1));
    assertThat(placedDateByKey).allSatisfy((key, dates) -> assertThat(dates).as(key).hasSize(1));
    // ... and a key's other order was refused, never stored as well.
    for (Answer answer : answers) {
      Sent sent = answer.sent();
      if (sent.key() != null && sent.key().contains("shared-")) {
        boolean won = placedDateByKey.get(sent.key()).contains(sent.date());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(won ? 201 : 422);
      }
    }
    assertThat(placedDateByKey.keySet().stream().filter(k -> k.contains("shared-")))
        .hasSize(BLOCKS);
    // Nothing stored that no 201 announced, nothing stored twice.
    List<Long> stored =
        jdbc.sql("SELECT id FROM purchase_order WHERE order_date IN (:first, :other)")
            .param("first", first)
            .param("other", other)
            .query(Long.class)
            .list();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(announced);
    assertThat(stored).hasSize(BLOCKS * 3);

    // The point of the exercise: the orders were committed in groups, not one commit each.
    double[] groupsAfter = groups(adminPorts);
    double commits = groupsAfter[0] - groupsBefore[0];
    double grouped = groupsAfter[1] - groupsBefore[1];
    assertThat(grouped)
        .as("orders stored per commit: %s in %s commits", grouped, commits)
        .isGreaterThan(commits);
  }

  private static List<Answer> send(List<URI> instances, List<Sent> orders) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Answer>> pending = new ArrayList<>();
      for (int i = 0; i < orders.size(); i++) {
        Sent sent = orders.get(i);
        URI instance = instances.get(i % instances.size());
        pending.add(clients.submit(() -> place(instance, sent)));
      }
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> answer : pending) {
        answers.add(answer.get(120, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * A 503 (nothing stored, Retry-After) is sent again, as a phone does; the rows must still add up.
   */
  private static Answer place(URI instance, Sent sent) throws Exception {
    String body =
        "{\"order\": {\"date\": \"%s\", \"className\": \"%s\", \"Author\": \"刘超\", \"price\": \"%s\"}}"
            .formatted(sent.date(), sent.className(), sent.price());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(instance)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (sent.key() != null) {
      request.header("Idempotency-Key", sent.key());
    }
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 503 || attempt == MAX_ATTEMPTS) {
        return new Answer(
            sent,
            response.statusCode(),
            JSON.readTree(response.body()),
            response.headers().firstValue("Idempotent-Replayed").isPresent());
      }
      Thread.sleep(
          TimeUnit.SECONDS.toMillis(response.headers().firstValueAsLong("Retry-After").orElse(1)));
    }
  }

  /** The row as the 201 described it and the request sent it. */
  private static Map<String, Object> expectedRow(Answer answer) {
    JsonNode body = answer.body();
    Map<String, Object> row = new HashMap<>();
    row.put("id", body.get("id").asLong());
    row.put("order_date", answer.sent().date());
    row.put("class_name", answer.sent().className());
    row.put("author", "刘超");
    row.put("price", new BigDecimal(answer.sent().price()).setScale(2));
    row.put("served_by", body.get("servedBy").asString());
    row.put("client_address", body.get("clientAddress").asString());
    row.put("created_at", OffsetDateTime.parse(body.get("createdAt").asString()).toInstant());
    row.put("idempotency_key", answer.sent().key());
    return row;
  }

  private static Map<String, Object> row(JdbcClient jdbc, long id) {
    return jdbc.sql(
            """
            SELECT id, order_date, class_name, author, price, served_by, client_address,
                   created_at, idempotency_key
            FROM purchase_order WHERE id = :id
            """)
        .param("id", id)
        .query(
            (rs, n) -> {
              Map<String, Object> row = new HashMap<>();
              row.put("id", rs.getLong("id"));
              row.put("order_date", rs.getObject("order_date", LocalDate.class));
              row.put("class_name", rs.getString("class_name"));
              row.put("author", rs.getString("author"));
              row.put("price", rs.getBigDecimal("price").setScale(2));
              row.put("served_by", rs.getString("served_by"));
              row.put("client_address", rs.getString("client_address"));
              row.put("created_at", rs.getObject("created_at", OffsetDateTime.class).toInstant());
              row.put("idempotency_key", rs.getString("idempotency_key"));
              return row;
            })
        .single();
  }

  /** Commits and the orders they stored, summed over the instances. */
  private static double[] groups(List<Integer> adminPorts) {
    double[] sums = new double[2];
    for (int port : adminPorts) {
      MetricsScrape metrics = MetricsScrape.of(port);
      sums[0] += metrics.value("shop_orders_commit_group_count", Map.of());
      sums[1] += metrics.value("shop_orders_commit_group_sum", Map.of());
    }
    return sums;
  }
}
