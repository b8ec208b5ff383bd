package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.testing.Curl;
import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import io.shopstack.edge.support.TestClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule file as an operator writes it, judged through the cache's HTTP port. */
class RuleFileTest {
  private static final String RULES =
      """
      rules:
        - prefix: /products/private/
          pass: true
        - prefix: /products/
          ttl: 300
          stripCookie: true
          stripSetCookie: true
        - prefix: /orders/
          methods: [GET, HEAD, POST]
        - prefix: /static/
          host: static.shop.example
          methods: [GET]
      """;

  @TempDir Path dir;
  private final TestClock clock = new TestClock();
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(rules, RULES);
    origin = new OriginFixture("origin");
    String routes =
        origin.route("/products/")
            + ","
            + origin.route("/orders/")
            + ","
            + origin.route("/static/")
            + ","
            + origin.route("/plain/");
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local("edge-north", routes, Map.of("SHOP_RULES", rules.toString())),
                clock)
            .start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  /** An answer the origin gives no freshness to: without a rule it is never a hit. */
  private void noFreshness(String path) {
    origin.answer(path, Answer.withHeaders(Map.of("Content-Type", "text/html"), "page " + path));
  }

  @Test
  void ttlOverrideMakesAnAnswerWithoutFreshnessAHitForThatLong() throws Exception {
    noFreshness("/products/1");
    noFreshness("/plain/1");

    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("MISS");
    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("HIT");
    // 5 s short of the ttl: a loaded machine took more than 1 s between these requests once.
    clock.advance(Duration.ofSeconds(295));
    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("HIT");
    clock.advance(Duration.ofSeconds(6));
    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("MISS");
    assertThat(origin.requests("/products/1")).isEqualTo(2);

    client.get("/plain/1");
    assertThat(EdgeClient.xCache(client.get("/plain/1"))).isEqualTo("MISS");
    assertThat(origin.requests("/plain/1")).isEqualTo(2);
  }

  @Test
  void ttlOverrideNeverStoresWhatTheOriginSaidNotTo() throws Exception {
    origin.answer(
        "/products/secret", Answer.withHeaders(Map.of("Cache-Control", "no-store"), "secret"));
    client.get("/products/secret");
    assertThat(EdgeClient.xCache(client.get("/products/secret"))).isEqualTo("MISS");
    assertThat(origin.requests("/products/secret")).isEqualTo(2);
  }

  @Test
  void cookiesAreStrippedBothWaysSoThePageIsShared() throws Exception {
    origin.answer(
        "/products/2",
        Answer.withHeaders(
            Map.of("Cache-Control", "max-age=60", "Set-Cookie", "tracker=1"), "page 2"));

    HttpResponse<String> first = client.get("/products/2", "Cookie", "session=alice");
    assertThat(origin.lastHeaders().containsKey("Cookie")).isFalse();
    assertThat(first.headers().firstValue("Set-Cookie")).isEmpty();
    HttpResponse<String> second = client.get("/products/2", "Cookie", "session=bob");
    assertThat(EdgeClient.xCache(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo("page 2");
  }

  @Test
  void passRuleSendsEveryRequestToTheOrigin() throws Exception {
    assertThat(EdgeClient.xCache(client.get("/products/private/cart"))).isEqualTo("PASS");
    assertThat(EdgeClient.xCache(client.get("/products/private/cart"))).isEqualTo("PASS");
    assertThat(origin.requests("/products/private/cart")).isEqualTo(2);
    // The more specific rule comes first in the file, so the broader one does not apply.
    assertThat(EdgeClient.xCache(client.get("/products/3"))).isEqualTo("MISS");
    assertThat(EdgeClient.xCache(client.get("/products/3"))).isEqualTo("HIT");
  }

  @Test
  void methodsPerRuleReplaceTheRoutesAllow() throws Exception {
    HttpResponse<String> post = client.send("POST", "/orders/7");
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(origin.lastMethod()).isEqualTo("POST");

    HttpResponse<String> delete = client.send("DELETE", "/orders/7");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");

    // A host-specific rule: HEAD is refused on that host only.
    Curl.Response head =
        Curl.run(
            "-I",
            "-H",
            "Host: static.shop.example",
            "http://127.0.0.1:" + edge.port() + "/static/a.css");
    assertThat(head.status()).isEqualTo(405);
    assertThat(head.header("Allow")).isEqualTo("GET");
    assertThat(client.send("HEAD", "/static/a.css").statusCode()).isEqualTo(200);
    assertThat(client.send("PUT", "/products/1").statusCode()).isEqualTo(405);
  }

  @Test
  void aBadRuleFileStopsTheCacheNamingTheProblem() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "rules:\n  - prefix: /a/\n    tll: 60\n");
    assertThatThrownBy(
            () ->
                EdgeConfigs.local(
                        "edge-north", origin.route("/"), Map.of("SHOP_RULES", bad.toString()))
                    .edgeRules())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("tll");
    Files.writeString(bad, "rules:\n  - prefix: /a/\n    pass: true\n    ttl: 60\n");
    assertThatThrownBy(
            () ->
                EdgeConfigs.local(
                        "edge-north", origin.route("/"), Map.of("SHOP_RULES", bad.toString()))
                    .edgeRules())
        .hasMessageContaining("pass rule");
  }
}
