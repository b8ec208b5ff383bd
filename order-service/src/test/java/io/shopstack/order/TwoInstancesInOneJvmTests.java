package io.shopstack.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local topology's situation: order-1 and order-2 started through {@link
 * OrderServiceApplication#start} in one JVM, on their own sockets, sharing one H2 database.
 */
class TwoInstancesInOneJvmTests {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ConfigurableApplicationContext order1;
  private static ConfigurableApplicationContext order2;

  @BeforeAll
  static void startBoth() throws Exception {
    Path dir = Files.createTempDirectory("order-service-two");
    String database =
        "jdbc:h2:file:" + dir.resolve("orders") + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE";
    order1 = OrderServiceApplication.start(instance("order-1", database));
    order2 = OrderServiceApplication.start(instance("order-2", database));
  }

  @AfterAll
  static void closeBoth() {
    if (order2 != null) {
      order2.close();
    }
    if (order1 != null) {
      order1.close();
    }
  }

  private static Map<String, Object> instance(String name, String database) {
    // The launcher's kind of map: what differs per instance, winning over order-service.yml.
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
        database);
  }

  @Test
  void eachInstanceAnswersUnderItsOwnNameAndBothRowsLandInTheSharedDatabase() throws Exception {
    HttpResponse<String> first = post(order1, "趣谈网络协议", "刘超");
    HttpResponse<String> second = post(order2, "深入浅出计算机组成原理", "徐文浩");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("X-Served-By")).hasValue("order-1");
    assertThat(second.headers().firstValue("X-Served-By")).hasValue("order-2");
    long firstId = JSON.readTree(first.body()).get("id").asLong();
    long secondId = JSON.readTree(second.body()).get("id").asLong();

    JdbcClient jdbc = order1.getBean(JdbcClient.class);
    List<String> servedBy =
        jdbc.sql("SELECT served_by FROM purchase_order WHERE id IN (:ids) ORDER BY id")
            .param("ids", List.of(firstId, secondId))
            .query(String.class)
            .list();
    assertThat(servedBy).containsExactly("order-1", "order-2");

    // One database: order-1 reads back the order order-2 took.
    HttpResponse<String> readBack = get(order1, "/purchaseOrder/" + secondId);
    assertThat(readBack.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(readBack.body()).get("servedBy").asString()).isEqualTo("order-2");
  }

  /**
   * The retry storm: 200 phones each send their order 5 times with one key, the retries
   * spread over both instances and sent concurrently. One order per phone must exist.
   */
  @Test
  void aRetryStormAcrossBothInstancesPlacesOneOrderPerKey() throws Exception {
    RetryStorm.placeOneOrderPerKey(
        order1, order2, "storm-" + System.nanoTime() + "-", order("趣谈网络协议", "刘超"));
  }

  /** Orders of both instances committed in groups, each answer checked against the rows. */
  @Test
  void concurrentOrdersCommittedInGroupsAreEachTheirOwnRow() throws Exception {
    ConcurrentOrders.placeAndCheck(
        List.of(
            uri(order1, "local.server.port", "/purchaseOrder"),
            uri(order2, "local.server.port", "/purchaseOrder")),
        List.of(port(order1, "local.management.port"), port(order2, "local.management.port")),
        order1.getBean(JdbcClient.class));
  }

  @Test
  void eachInstanceKeepsItsOwnMetrics() throws Exception {
    post(order2, "趣谈网络协议", "刘超");

    MetricsScrape metrics1 = MetricsScrape.of(port(order1, "local.management.port"));
    MetricsScrape metrics2 = MetricsScrape.of(port(order2, "local.management.port"));

    assertThat(metrics1.samples())
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("instance", "order-1"));
    assertThat(metrics2.samples())
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("instance", "order-2"));
    assertThat(metrics2.value("shop_orders_placed_total", Map.of())).isPositive();
    assertThat(admin(order1, "/health")).contains("\"UP\"");
    assertThat(admin(order2, "/health")).contains("\"UP\"");
  }

  @Test
  void theInstancesListenOnDifferentPorts() {
    assertThat(port(order1, "local.server.port")).isNotEqualTo(port(order2, "local.server.port"));
    assertThat(port(order1, "local.management.port"))
        .isNotEqualTo(port(order2, "local.management.port"));
  }

  private static HttpResponse<String> post(
      ConfigurableApplicationContext instance, String title, String author) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(instance, "local.server.port", "/purchaseOrder"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(order(title, author)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An order for a seeded course at its catalog price (68 for both used here). */
  private static String order(String title, String author) {
    return "{\"order\": {\"date\": \"2018-07-01\", \"className\": \""
        + title
        + "\", \"Author\": \""
        + author
        + "\", \"price\": \"68\"}}";
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext instance, String path)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(instance, "local.server.port", path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String admin(ConfigurableApplicationContext instance, String path)
      throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(uri(instance, "local.management.port", path))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static URI uri(ConfigurableApplicationContext instance, String portKey, String path) {
    return URI.create("http://127.0.0.1:" + port(instance, portKey) + path);
  }

  private static int port(ConfigurableApplicationContext instance, String key) {
    return instance.getEnvironment().getRequiredProperty(key, Integer.class);
  }
}
