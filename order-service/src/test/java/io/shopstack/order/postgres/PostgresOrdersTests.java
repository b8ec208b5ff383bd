package io.shopstack.order.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.order.ConcurrentOrders;
import io.shopstack.order.Courses;
import io.shopstack.order.OrderServiceApplication;
import io.shopstack.order.ReferenceInsert;
import io.shopstack.order.RetryStorm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The behaviours the issue found broken, against a real PostgreSQL (UTF-8) instead of H2: two
 * instances, Flyway migrating it from empty, the retry storm, text the old SQL_ASCII database
 * failed on, and a database stopped and started under running instances.
 */
class PostgresOrdersTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LocalPostgres postgres;
  private static ConfigurableApplicationContext order1;
  private static ConfigurableApplicationContext order2;

  @BeforeAll
  static void start() throws Exception {
    postgres = LocalPostgres.start();
    order1 = OrderServiceApplication.start(instance("order-1"));
    order2 = OrderServiceApplication.start(instance("order-2"));
  }

  @AfterAll
  static void stop() {
    for (ConfigurableApplicationContext instance :
        new ConfigurableApplicationContext[] {order2, order1}) {
      if (instance != null) {
        instance.close();
      }
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static Map<String, Object> instance(String name) {
    return Map.of(
        "shop.instance",
        name,
        // Group commit on (off by default): ConcurrentOrders checks the groups formed.
        "shop.group-commit.max-batch",
        32,
        "server.address",
        "127.0.0.1",
        "server.port",
        0,
        "management.server.address",
        "127.0.0.1",
        "management.server.port",
        0,
        "spring.datasource.url",
        postgres.jdbcUrl(),
        "spring.datasource.username",
        "shop");
  }

  @Test
  void aRetryStormAcrossBothInstancesPlacesOneOrderPerKey() throws Exception {
    RetryStorm.placeOneOrderPerKey(
        order1, order2, "pg-storm-" + System.nanoTime() + "-", order("趣谈网络协议", "刘超"));
  }

  /**
   * Orders of both instances committed in groups, with retries and conflicting keys inside the
   * groups: each answer checked against the rows.
   */
  @Test
  void concurrentOrdersCommittedInGroupsAreEachTheirOwnRow() throws Exception {
    ConcurrentOrders.placeAndCheck(
        List.of(purchaseOrders(order1), purchaseOrders(order2)),
        List.of(adminPort(order1), adminPort(order2)),
        order1.getBean(JdbcClient.class));
  }

  private static URI purchaseOrders(ConfigurableApplicationContext instance) {
    int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return URI.create("http://127.0.0.1:" + port + "/purchaseOrder");
  }

  private static int adminPort(ConfigurableApplicationContext instance) {
    return instance.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
  }

  @Test
  void textThatFailedOnSqlAsciiIsStoredAndReadBackExactly() throws Exception {
    String title = "趣".repeat(190) + "\uD83D\uDE00".repeat(10);
    String author = "刘".repeat(100);
    Courses.sell(order1.getBean(JdbcClient.class), title, author, "68");

    HttpResponse<String> created = post(order1, order(title, author), null);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = JSON.readTree(created.body()).get("id").asLong();
    JsonNode read = JSON.readTree(get(order2, "/purchaseOrder/" + id).body());
    assertThat(read.get("order").get("className").asString()).isEqualTo(title);
    assertThat(read.get("order").get("Author").asString()).isEqualTo(author);
    assertThat(
            order1
                .getBean(JdbcClient.class)
                .sql(
                    "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'postgres'")
                .query(String.class)
                .single())
        .isEqualTo("UTF8");
  }

  /**
   * The plain-JDBC insert stores on PostgreSQL the row the JdbcClient statement it replaced stored,
   * with a key and without ({@link ReferenceInsert}).
   */
  @Test
  void anOrderIsTheRowJdbcClientStored() throws Exception {
    JdbcClient jdbc = order1.getBean(JdbcClient.class);
    long stamp = System.nanoTime();
    String title = "网络协议 " + "\uD83D\uDE00".repeat(3) + " " + stamp;
    Courses.sell(jdbc, title, "刘超 O'Brien", "68");

    HttpResponse<String> keyed = post(order1, order(title, "刘超 O'Brien"), "plain-" + stamp);
    HttpResponse<String> keyless = post(order1, order(title, "刘超 O'Brien"), null);

    assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(201);
    assertThat(keyless.statusCode()).as(keyless.body()).isEqualTo(201);
    ReferenceInsert.storesTheSameRow(
        jdbc, JSON.readTree(keyed.body()), "plain-" + stamp, "reference-" + stamp);
    ReferenceInsert.storesTheSameRow(jdbc, JSON.readTree(keyless.body()), null, null);
  }

  /** The catalog seeded by Flyway on PostgreSQL judges orders as on H2. */
  @Test
  void theSeededCatalogRefusesUnknownCoursesAndOtherPrices() throws Exception {
    HttpResponse<String> unknown = post(order1, order("没有这门课", "刘超"), null);
    HttpResponse<String> cheaper =
        post(order2, order("趣谈网络协议", "刘超").replace("\"68\"", "\"1\""), null);
    HttpResponse<String> page = get(order2, "/products/course-1001");

    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
    assertThat(unknown.body()).contains("order.className");
    assertThat(cheaper.statusCode()).as(cheaper.body()).isEqualTo(409);
    assertThat(JSON.readTree(cheaper.body()).get("currentPrice").asString()).isEqualTo("68");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Last-Modified"))
        .hasValue("Sun, 01 Jul 2018 00:00:00 GMT");
  }

  /**
   * The round trips an order costs, counted by PostgreSQL itself: a new order is one statement (the
   * insert judges catalog and key), a retry one more (the look-up of the order its key placed).
   * Each statement is a round trip and, in auto-commit, a transaction.
   */
  @Test
  void aNewOrderIsOneStatementAndARetryOneMore() throws Exception {
    JdbcClient jdbc = order1.getBean(JdbcClient.class);
    jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").update();
    jdbc.sql("SELECT pg_stat_statements_reset()").query(Object.class).list();
    String key = "one-statement-" + System.nanoTime();

    HttpResponse<String> placed = post(order1, order("趣谈网络协议", "刘超"), key);
    Map<String, Long> afterNew = orderStatements(jdbc);
    HttpResponse<String> retried = post(order2, order("趣谈网络协议", "刘超"), key);
    Map<String, Long> afterRetry = orderStatements(jdbc);

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
    assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(afterNew).containsExactly(Map.entry("INSERT", 1L));
    assertThat(afterRetry).containsOnly(Map.entry("INSERT", 2L), Map.entry("SELECT", 1L));
  }

  /** Calls of the statements that touch purchase_order, by their first word. */
  private static Map<String, Long> orderStatements(JdbcClient jdbc) {
    Map<String, Long> calls = new TreeMap<>();
    jdbc.sql(
            """
            SELECT split_part(query, ' ', 1) AS verb, SUM(calls) AS calls FROM pg_stat_statements
            WHERE query LIKE '%purchase_order%' AND query NOT LIKE '%pg_stat_statements%'
            GROUP BY 1
            """)
        .query((row, n) -> calls.put(row.getString("verb"), row.getLong("calls")))
        .list();
    return calls;
  }

  @Test
  void aNulCharacterIs400NotA500() throws Exception {
    HttpResponse<String> response = post(order1, order("趣谈网络协议", "刘\\u0000超"), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("order.Author");
  }

  @Test
  void withPostgresStoppedOrdersAre503AndWorkAgainOnceItIsBack() throws Exception {
    assertThat(post(order1, order("趣谈网络协议", "刘超"), null).statusCode()).isEqualTo(201);

    postgres.stopServer();
    try {
      long start = System.nanoTime();
      HttpResponse<String> down = post(order1, order("趣谈网络协议", "刘超"), null);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println(
          "PostgreSQL stopped: order answered " + down.statusCode() + " in " + millis + " ms");

      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).isPresent();
      assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    } finally {
      postgres.startServer();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(post(order2, order("趣谈网络协议", "刘超"), null).statusCode()).isEqualTo(201));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(post(order1, order("趣谈网络协议", "刘超"), null).statusCode()).isEqualTo(201));
  }

  private static String order(String title, String author) {
    return "{\"order\": {\"date\": \"2018-07-01\", \"className\": \""
        + title
        + "\", \"Author\": \""
        + author
        + "\", \"price\": \"68\"}}";
  }

  private static HttpResponse<String> post(
      ConfigurableApplicationContext instance, String body, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(instance, "/purchaseOrder"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext instance, String path)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(instance, path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ConfigurableApplicationContext instance, String path) {
    int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
