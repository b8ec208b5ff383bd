package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.order.OrderServiceApplication;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The order fast path against the path it stands in for: two instances on one H2 database, one with
 * the fast path (the default) and one with {@code shop.fast-path=false} (Spring MVC only), get the
 * same requests, good and bad, and must give the same status, the same headers and the same body.
 * Only what cannot be equal is set aside: {@code Date}, the body's framing ({@code Content-Length}
 * against chunked), and for a new order its id, {@code Location} and {@code createdAt}.
 */
class OrderFastPathHttpTests {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AtomicLong KEYS = new AtomicLong(System.nanoTime());
  private static final String DESIGN_ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\","
          + " \"price\": \"68\"}}";

  private static ConfigurableApplicationContext fast;
  private static ConfigurableApplicationContext mvc;

  @BeforeAll
  static void startBoth() throws Exception {
    Path dir = Files.createTempDirectory("order-service-fast-path");
    String database =
        "jdbc:h2:file:" + dir.resolve("orders") + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE";
    fast = OrderServiceApplication.start(instance(database, true));
    mvc = OrderServiceApplication.start(instance(database, false));
  }

  @AfterAll
  static void closeBoth() {
    if (mvc != null) {
      mvc.close();
    }
    if (fast != null) {
      fast.close();
    }
  }

  private static Map<String, Object> instance(String database, boolean fastPath) {
    // One name for both: X-Served-By and servedBy are then equal when the paths agree.
    return Map.of(
        "shop.instance",
        "order-cmp",
        "shop.fast-path",
        fastPath,
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
  void aNewOrderIsAnsweredAlikeAndTheFastPathReallyAnsweredIt() throws Exception {
    HttpResponse<String> viaFast = send(fast, post(DESIGN_ORDER).header("Idempotency-Key", key()));
    HttpResponse<String> viaMvc = send(mvc, post(DESIGN_ORDER).header("Idempotency-Key", key()));

    assertThat(viaFast.statusCode()).isEqualTo(201);
    assertSame(viaFast, viaMvc, true);
    // Spring MVC streams its JSON (chunked); the fast path writes it whole with its length.
    assertThat(viaFast.headers().firstValue("Content-Length")).isPresent();
    assertThat(viaMvc.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    assertThat(viaFast.headers().firstValue("Location"))
        .hasValue("/purchaseOrder/" + JSON.readTree(viaFast.body()).get("id").asLong());
  }

  @Test
  void aNewOrderWithoutAKeyOrARequestIdIsAnsweredAlike() throws Exception {
    HttpRequest.Builder plain =
        withoutRequestId("/purchaseOrder")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(DESIGN_ORDER));
    HttpResponse<String> viaFast = send(fast, plain);
    HttpResponse<String> viaMvc = send(mvc, plain);

    assertThat(viaFast.headers().firstValue("X-Request-Id").orElseThrow())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertSame(viaFast, viaMvc, true);
  }

  @Test
  void retriesAndReadsOfOneOrderAreAnsweredIdentically() throws Exception {
    String key = key();
    HttpResponse<String> placed = send(fast, post(DESIGN_ORDER).header("Idempotency-Key", key));
    assertThat(placed.statusCode()).isEqualTo(201);
    String location = placed.headers().firstValue("Location").orElseThrow();

    List<HttpRequest.Builder> requests =
        List.of(
            post(DESIGN_ORDER).header("Idempotency-Key", key),
            post(DESIGN_ORDER.replace("\"68\"", "\"68.00\"")).header("Idempotency-Key", key),
            post(DESIGN_ORDER.replace("2018-07-01", "2018-07-02")).header("Idempotency-Key", key),
            get(location),
            get(location).header("Accept", "application/json"),
            get("/purchaseOrder/999999999"),
            get("/purchaseOrder/abc"),
            get("/purchaseOrder/12345678901234567890"),
            get(location + "?x=1"));
    for (HttpRequest.Builder request : requests) {
      assertSame(send(fast, request), send(mvc, request), false);
    }
    assertThat(send(fast, post(DESIGN_ORDER).header("Idempotency-Key", key)).headers().map())
        .containsEntry("idempotent-replayed", List.of("true"));
  }

  @Test
  void badOrdersAreRefusedIdentically() throws Exception {
    List<String> bodies =
        List.of(
            DESIGN_ORDER.replace(", \"Author\": \"刘超\"", ""),
            DESIGN_ORDER.replace("趣谈网络协议", "趣谈\\u0000网络协议"),
            DESIGN_ORDER.replace("刘超", "\\ud800"),
            DESIGN_ORDER.replace("趣谈网络协议", "no such course"),
            DESIGN_ORDER.replace("刘超", "someone else"),
            DESIGN_ORDER.replace("\"68\"", "\"72\""),
            DESIGN_ORDER.replace("\"68\"", "\"-1\""),
            DESIGN_ORDER.replace("\"68\"", "\"sixty\""),
            DESIGN_ORDER.replace("2018-07-01", "2018-13-01"),
            DESIGN_ORDER.replace("趣谈网络协议", "x".repeat(201)),
            "{\"order\": null}",
            "{}",
            "null",
            "[]",
            "   ",
            "{\"order\": {\"date\": \"2018-07-0",
            DESIGN_ORDER + " trailing",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": 5}}");
    for (String body : bodies) {
      assertSame(send(fast, post(body)), send(mvc, post(body)), false);
    }
  }

  @Test
  void requestsTheFastPathLeavesToSpringMvcAreAnsweredIdentically() throws Exception {
    List<HttpRequest.Builder> requests =
        List.of(
            post(DESIGN_ORDER).header("Idempotency-Key", "x".repeat(256)),
            post(DESIGN_ORDER).header("Idempotency-Key", "a b"),
            post(DESIGN_ORDER).header("Idempotency-Key", key()).header("Idempotency-Key", key()),
            post(DESIGN_ORDER).setHeader("Content-Type", "text/plain"),
            post(DESIGN_ORDER).setHeader("Content-Type", "application/json; charset=iso-8859-1"),
            post(DESIGN_ORDER).setHeader("Content-Type", "APPLICATION/JSON"),
            post(DESIGN_ORDER.replace("\"68\"", "68")),
            post(DESIGN_ORDER.replace("{\"order\"", "{\"extra\": 1, \"order\"")),
            post(DESIGN_ORDER).header("Accept", "application/xml"),
            post(DESIGN_ORDER).header("Accept", "application/json"),
            request("/purchaseOrder?x=1").POST(HttpRequest.BodyPublishers.ofString(DESIGN_ORDER)),
            request("/purchaseOrder").PUT(HttpRequest.BodyPublishers.ofString(DESIGN_ORDER)),
            post("{\"order\": {\"pad\": \"" + "x".repeat(70_000) + "\"}}"));
    for (HttpRequest.Builder request : requests) {
      // a new order may come out of some of these: its id and time cannot be equal
      assertSame(send(fast, request), send(mvc, request), true);
    }
  }

  /** Two keys in one request name two purchases: nothing is placed, the 400 says why. */
  @Test
  void twoIdempotencyKeysAreRefused() throws Exception {
    for (ConfigurableApplicationContext instance : List.of(fast, mvc)) {
      HttpResponse<String> answer =
          send(
              instance,
              post(DESIGN_ORDER).header("Idempotency-Key", key()).header("Idempotency-Key", key()));
      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body()).contains("Idempotency-Key").contains("must be one value");
    }
  }

  /** The phone's connection breaks in the middle of its body: a JSON 400 either way. */
  @Test
  void aBodyCutShortIsRefusedIdentically() throws Exception {
    String cut =
        "POST /purchaseOrder HTTP/1.1\r\nHost: www.shop.example\r\nX-Request-Id: cut\r\n"
            + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"order\": {";
    String viaFast = halfClosed(fast, cut);
    String viaMvc = halfClosed(mvc, cut);

    assertThat(viaFast).startsWith("HTTP/1.1 400 ").contains("application/problem+json");
    assertThat(withoutDate(viaFast)).isEqualTo(withoutDate(viaMvc));
  }

  /** Sends {@code request}, closes the sending side and returns everything answered. */
  private static String halfClosed(ConfigurableApplicationContext instance, String request)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port(instance, "local.server.port"))) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The answer without its Date line and its framing (length or chunks). */
  private static String withoutDate(String answer) {
    int bodyStart = answer.indexOf("\r\n\r\n");
    String head = answer.substring(0, bodyStart);
    String body = answer.substring(bodyStart + 4);
    List<String> lines = new ArrayList<>();
    for (String line : head.split("\r\n")) {
      String name = line.toLowerCase(Locale.ROOT);
      if (!name.startsWith("date:")
          && !name.startsWith("content-length:")
          && !name.startsWith("transfer-encoding:")) {
        lines.add(line);
      }
    }
    return lines + "\n" + body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1);
  }

  @Test
  void fastPathOrdersAreCountedWhereSpringCountsItsOwn() throws Exception {
    send(fast, post(DESIGN_ORDER).header("Idempotency-Key", key()));
    send(fast, post(DESIGN_ORDER.replace("\"68\"", "\"72\"")));

    MetricsScrape metrics = MetricsScrape.of(port(fast, "local.management.port"));
    assertThat(metrics.value("http_server_requests_seconds_count", requestTags("201")))
        .isPositive();
    assertThat(metrics.value("http_server_requests_seconds_count", requestTags("409")))
        .isPositive();
    assertThat(metrics.value("shop_orders_placed_total", Map.of())).isPositive();
  }

  private static Map<String, String> requestTags(String status) {
    return Map.of("method", "POST", "uri", "/purchaseOrder", "status", status);
  }

  /** Same status, headers and body, but for what two answers cannot share (class comment). */
  private static void assertSame(
      HttpResponse<String> viaFast, HttpResponse<String> viaMvc, boolean newOrder) {
    String what = viaFast.request().method() + " " + viaFast.request().uri().getPath();
    assertThat(viaFast.statusCode()).as(what).isEqualTo(viaMvc.statusCode());
    assertThat(comparableHeaders(viaFast, newOrder))
        .as(what + " headers")
        .isEqualTo(comparableHeaders(viaMvc, newOrder));
    assertThat(comparableBody(viaFast, newOrder))
        .as(what + " body")
        .isEqualTo(comparableBody(viaMvc, newOrder));
  }

  private static Map<String, List<String>> comparableHeaders(
      HttpResponse<String> response, boolean newOrder) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
    for (String framing : List.of("date", "content-length", "transfer-encoding")) {
      headers.remove(framing);
    }
    if (!response.request().headers().firstValue("X-Request-Id").isPresent()) {
      headers.remove("x-request-id"); // a random one of each path's own
    }
    if (newOrder && response.statusCode() == 201) {
      headers.remove("location");
    }
    if (response.statusCode() == 413) {
      // Jetty closes the connection when the refused body has not all arrived yet: a race
      headers.remove("connection");
    }
    return headers;
  }

  private static Object comparableBody(HttpResponse<String> response, boolean newOrder) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.contains("json")) {
      return response.body();
    }
    JsonNode body = JSON.readTree(response.body());
    if (newOrder && response.statusCode() == 201 && body instanceof ObjectNode order) {
      order.remove(List.of("id", "createdAt"));
    }
    return body;
  }

  private static String key() {
    return "fast-path-" + KEYS.incrementAndGet();
  }

  private static HttpRequest.Builder post(String body) {
    return request("/purchaseOrder")
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private static HttpRequest.Builder request(String path) {
    // A request ID of the client's own, so that both answers echo the same one
    return withoutRequestId(path).header("X-Request-Id", "cmp-request");
  }

  private static HttpRequest.Builder withoutRequestId(String path) {
    return HttpRequest.newBuilder(URI.create("http://placeholder" + path))
        .timeout(Duration.ofSeconds(20));
  }

  private static HttpResponse<String> send(
      ConfigurableApplicationContext instance, HttpRequest.Builder request) throws Exception {
    HttpRequest built = request.build();
    URI uri = built.uri();
    URI target =
        URI.create(
            "http://127.0.0.1:"
                + port(instance, "local.server.port")
                + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    HttpRequest.Builder copy = HttpRequest.newBuilder(built, (name, value) -> true).uri(target);
    return HTTP.send(copy.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int port(ConfigurableApplicationContext instance, String key) {
    return instance.getEnvironment().getRequiredProperty(key, Integer.class);
  }
}
