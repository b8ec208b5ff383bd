package io.shopstack.edge;

import static io.shopstack.edge.support.EdgeClient.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import io.shopstack.edge.support.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Serving stale (RFC 5861 and Varnish's grace): while one background request refreshes an entry,
 * and in place of an origin that fails, but never against the origin's must-revalidate.
 */
class StaleServingTest {
  private final TestClock clock = new TestClock();
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local(
                    "edge-north", origin.route("/products/"), Map.of("SHOP_GRACE_SECONDS", "0")),
                clock)
            .start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private void page(String path, String cacheControl, String body) {
    origin.answer(
        path, Answer.withHeaders(Map.of("Cache-Control", cacheControl, "ETag", "\"e\""), body));
  }

  @Test
  void staleWhileRevalidateAnswersAtOnceAndRefreshesInTheBackground() throws Exception {
    page("/products/swr", "max-age=1, stale-while-revalidate=60", "page");
    client.get("/products/swr");
    clock.advance(Duration.ofSeconds(5));
    page("/products/swr", "max-age=100, stale-while-revalidate=60", "page");
    CountDownLatch held = origin.hold("/products/swr");

    // The origin is held: a client that waited for it would time out.
    HttpResponse<String> stale = client.get("/products/swr");
    HttpResponse<String> alsoStale = client.get("/products/swr");
    held.countDown();

    assertThat(xCache(stale)).isEqualTo("STALE");
    assertThat(stale.body()).isEqualTo("page");
    assertThat(xCache(alsoStale)).isEqualTo("STALE");
    await().until(() -> origin.notModified() == 1);
    await().untilAsserted(() -> assertThat(xCache(client.get("/products/swr"))).isEqualTo("HIT"));
    assertThat(origin.requests("/products/swr")).isEqualTo(2); // one refresh for both
  }

  @Test
  void staleIfErrorStandsInForAFailingOrigin() throws Exception {
    page("/products/sie", "max-age=1, stale-if-error=60", "kept");
    client.get("/products/sie");
    clock.advance(Duration.ofSeconds(5));
    origin.answer("/products/sie", Answer.status(503, Map.of(), "down"));

    HttpResponse<String> on503 = client.get("/products/sie");
    origin.close();
    HttpResponse<String> onRefused = client.get("/products/sie");

    assertThat(on503.statusCode()).isEqualTo(200);
    assertThat(xCache(on503)).isEqualTo("STALE");
    assertThat(on503.body()).isEqualTo("kept");
    assertThat(onRefused.statusCode()).isEqualTo(200);
    assertThat(xCache(onRefused)).isEqualTo("STALE");
  }

  @Test
  void mustRevalidateIsNeverServedStale() throws Exception {
    page("/products/mr", "max-age=1, must-revalidate, stale-if-error=60", "strict");
    client.get("/products/mr");
    clock.advance(Duration.ofSeconds(5));
    origin.close();

    HttpResponse<String> response = client.get("/products/mr");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(xCache(response)).isNotEqualTo("STALE");
  }

  @Test
  void theConfiguredGraceCoversOriginsThatSaidNothing() throws Exception {
    edge.close();
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local(
                    "edge-north", origin.route("/products/"), Map.of("SHOP_GRACE_SECONDS", "30")),
                clock)
            .start();
    client = new EdgeClient(edge.port());
    page("/products/grace", "max-age=1", "graceful");
    client.get("/products/grace");
    clock.advance(Duration.ofSeconds(10));
    origin.close();

    HttpResponse<String> inGrace = client.get("/products/grace");
    clock.advance(Duration.ofSeconds(60));
    HttpResponse<String> pastGrace = client.get("/products/grace");

    assertThat(xCache(inGrace)).isEqualTo("STALE");
    assertThat(inGrace.body()).isEqualTo("graceful");
    assertThat(pastGrace.statusCode()).isEqualTo(502);
  }

  @Test
  void aClientsMaxStaleTakesAStaleEntryWithoutAskingTheOrigin() throws Exception {
    page("/products/ms", "max-age=1", "patient");
    client.get("/products/ms");
    clock.advance(Duration.ofSeconds(5));

    HttpResponse<String> accepted = client.get("/products/ms", "Cache-Control", "max-stale=60");
    HttpResponse<String> tooOld = client.get("/products/ms", "Cache-Control", "max-stale=1");

    assertThat(xCache(accepted)).isEqualTo("STALE");
    assertThat(xCache(tooOld)).isEqualTo("REVALIDATED");
    assertThat(origin.requests("/products/ms")).isEqualTo(2);
  }

  @Test
  void onlyIfCachedWithNothingStoredIs504() throws Exception {
    HttpResponse<String> response =
        client.get("/products/absent", "Cache-Control", "only-if-cached");

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(origin.requests()).isZero();
  }
}
