package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.DateFormatter;
import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import io.shopstack.edge.support.TestClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cache seen by an HTTP client: hits, misses, ageing, passing and forwarding headers. */
class EdgeCacheServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final TestClock clock = new TestClock();
  private OriginFixture origin;
  private EdgeCacheServer edge;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local(
                    "edge-north",
                    origin.route("/products/")
                        + ",/orders/=127.0.0.1:"
                        + origin.port()
                        + ";allow=GET|HEAD|POST"),
                clock)
            .start();
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + edge.port() + path);
  }

  @Test
  void firstGetIsAMissThenAHitWithOneOriginFetch() throws Exception {
    HttpResponse<String> first = get("/products/42");
    HttpResponse<String> second = get("/products/42");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(second.body()).isEqualTo(first.body()).isEqualTo("from origin for /products/42");
    assertThat(origin.requests("/products/42")).isEqualTo(1);
  }

  @Test
  void queryStringIsPartOfTheKey() throws Exception {
    get("/products/42?color=red");
    HttpResponse<String> other = get("/products/42?color=blue");

    assertThat(other.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(origin.requests("/products/42")).isEqualTo(2);
  }

  @Test
  void ageGrowsWhileTheResponseIsStored() throws Exception {
    origin.answer(
        "/products/aged",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=60", "Age", "10"), "old news"));
    HttpResponse<String> miss = get("/products/aged");
    clock.advance(Duration.ofSeconds(5));
    HttpResponse<String> hit = get("/products/aged");

    // RFC 9111 4.2.3: the origin's Age plus the time spent here.
    assertThat(miss.headers().firstValue("Age")).hasValue("10");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.headers().firstValue("Age")).hasValue("15");
  }

  @Test
  void aStoredResponseExpiresAfterMaxAge() throws Exception {
    // The origin's Date header has one-second resolution, so a response may arrive up to a
    // second old (RFC 9111 apparent age): max-age=3 keeps the hit certain, 3.5 s more ends it.
    origin.answer("/products/short", Answer.cacheable(3, "brief"));
    get("/products/short");
    assertThat(get("/products/short").headers().firstValue("X-Cache")).hasValue("HIT");

    clock.advance(Duration.ofMillis(3500));
    HttpResponse<String> expired = get("/products/short");

    assertThat(expired.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(origin.requests("/products/short")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Cache-Control: no-store, max-age=60",
        "Cache-Control: private, max-age=60",
        "Cache-Control: public",
        "Cache-Control: max-age=0",
        "Cache-Control: s-maxage=0, max-age=60",
        "Vary: *"
      })
  void responsesACacheMustNotStoreAreAlwaysMisses(String header) throws Exception {
    String[] nameValue = header.split(": ", 2);
    Map<String, String> headers =
        nameValue[0].equals("Cache-Control")
            ? Map.of("Cache-Control", nameValue[1])
            : Map.of("Cache-Control", "max-age=60", nameValue[0], nameValue[1]);
    origin.answer("/products/personal", Answer.withHeaders(headers, "yours only"));

    for (int i = 0; i < 3; i++) {
      assertThat(get("/products/personal").headers().firstValue("X-Cache")).hasValue("MISS");
    }
    assertThat(origin.requests("/products/personal")).isEqualTo(3);
  }

  @Test
  void afterAnUncacheableAnswerRequestsGoToTheOriginSideBySide() throws Exception {
    origin.answer("/products/own", Answer.withHeaders(Map.of("Cache-Control", "private"), "mine"));
    get("/products/own"); // marks the key hit-for-pass
    CountDownLatch held = origin.hold("/products/own");

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      responses.add(
          http.sendAsync(
              HttpRequest.newBuilder(uri("/products/own")).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    // All three reach the held origin at once; queued on the waiting list only one would.
    await().until(() -> origin.requests("/products/own") == 4);
    held.countDown();

    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("mine");
    }
  }

  @Test
  void sMaxAgeWinsOverMaxAgeForASharedCache() throws Exception {
    origin.answer(
        "/products/shared",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=0, s-maxage=60"), "shared"));
    get("/products/shared");

    assertThat(get("/products/shared").headers().firstValue("X-Cache")).hasValue("HIT");
  }

  @Test
  void headIsAnsweredFromTheGetEntry() throws Exception {
    HttpResponse<String> getResponse = get("/products/7");
    HttpResponse<String> head =
        send(HttpRequest.newBuilder(uri("/products/7")).method("HEAD", noBody()));

    assertThat(head.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length"))
        .hasValue(String.valueOf(getResponse.body().length()));
    assertThat(origin.requests("/products/7")).isEqualTo(1);
  }

  @Test
  void aHeadMissFillsTheEntryWithAGet() throws Exception {
    send(HttpRequest.newBuilder(uri("/products/8")).method("HEAD", noBody()));

    assertThat(origin.lastMethod()).isEqualTo("GET");
    assertThat(get("/products/8").headers().firstValue("X-Cache")).hasValue("HIT");
  }

  @Test
  void postIsPassedThroughWhereAllowedAndMakesTheStoredPageStale() throws Exception {
    get("/orders/9");
    HttpResponse<String> posted =
        send(HttpRequest.newBuilder(uri("/orders/9")).POST(ofString("{\"price\":\"68\"}")));
    HttpResponse<String> after = get("/orders/9");

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(posted.body()).isEqualTo("posted 14 bytes");
    assertThat(posted.headers().firstValue("X-Cache")).hasValue("PASS");
    assertThat(origin.lastMethod()).isEqualTo("GET");
    assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(origin.requests("/orders/9")).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "DELETE", "POST", "PATCH", "OPTIONS"})
  void methodsARouteDoesNotAllowAre405AndNeverReachTheOrigin(String method) throws Exception {
    get("/products/img");
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(uri("/products/img"))
                .method(method, ofString("<h1>owned</h1>")));

    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(refused.body()).contains(method + " is not allowed on /products/");
    assertThat(origin.requests("/products/img")).isEqualTo(1);
    assertThat(get("/products/img").headers().firstValue("X-Cache")).hasValue("HIT");
  }

  @Test
  void forwardingHeadersReachTheOriginAndTheClient() throws Exception {
    String id = UUID.randomUUID().toString();
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/products/1"))
                .header("X-Request-Id", id)
                .header("Via", "1.1 phone-proxy")
                .GET());
    long receivedSecond = System.currentTimeMillis() / 1000;

    assertThat(origin.lastHeaders().getFirst("X-Request-Id")).isEqualTo(id);
    assertThat(origin.lastHeaders().getFirst("Via"))
        .isEqualTo("1.1 phone-proxy, 1.1 edge-north (shop-stack-edge)");
    assertThat(origin.lastHeaders().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue(id);
    assertThat(response.headers().firstValue("Via")).hasValue("1.1 edge-north (shop-stack-edge)");
    assertThat(response.headers().firstValue("X-Served-By")).hasValue("origin, edge-north");
    // A miss is as old as the origin's Date says (RFC 9111 4.2.3): Date counts whole seconds, so
    // the answer is 0 within Date's second and may be 1 when the fetch crossed into the next.
    long dateSecond =
        DateFormatter.parseHttpDate(response.headers().firstValue("Date").orElseThrow()).getTime()
            / 1000;
    assertThat(Long.parseLong(response.headers().firstValue("Age").orElseThrow()))
        .isBetween(0L, receivedSecond - dateSecond);
  }

  @Test
  void aRequestWithoutAnIdGetsAGeneratedOne() throws Exception {
    HttpResponse<String> response = get("/products/2");

    String generated = origin.lastHeaders().getFirst("X-Request-Id");
    assertThat(UUID.fromString(generated)).isNotNull();
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue(generated);
  }

  @Test
  void aPathWithoutARouteIs404AndSaysSo() throws Exception {
    HttpResponse<String> response = get("/checkout");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no origin route for /checkout").contains("/products/");
    assertThat(response.headers().firstValue("X-Served-By")).hasValue("edge-north");
    assertThat(origin.requests()).isZero();
  }

  @Test
  void healthAndMetricsOnTheAdminPort() throws Exception {
    HttpResponse<String> miss = get("/products/m");
    HttpResponse<String> hit = get("/products/m");
    String admin = "http://127.0.0.1:" + edge.adminPort();
    HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(admin + "/health")));
    MetricsScrape metrics = MetricsScrape.of(edge.adminPort());

    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(metrics.value("edge_requests_total", Map.of("result", "hit", "status", "2xx")))
        .isEqualTo(1.0);
    assertThat(metrics.value("edge_requests_total", Map.of("result", "miss", "status", "2xx")))
        .isEqualTo(1.0);
    assertThat(metrics.samples("edge_origin_fetches_total")).isNotEmpty();
    assertThat(metrics.value("edge_cache_entries", Map.of("instance", "edge-north")))
        .isEqualTo(1.0);
    assertThat(metrics.value("edge_origin_latency_seconds_count", Map.of())).isEqualTo(1.0);
    assertThat(metrics.samples("edge_origin_latency_seconds_bucket")).hasSizeGreaterThan(5);
    assertThat(metrics.value("edge_client_body_bytes_total", Map.of("result", "hit")))
        .isEqualTo(hit.body().length());
    assertThat(miss.headers().firstValue("X-Cache-Hits")).hasValue("0");
    assertThat(hit.headers().firstValue("X-Cache-Hits")).hasValue("1");
    assertThat(get("/products/m").headers().firstValue("X-Cache-Hits")).hasValue("2");
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }

  private static HttpRequest.BodyPublisher ofString(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }
}
