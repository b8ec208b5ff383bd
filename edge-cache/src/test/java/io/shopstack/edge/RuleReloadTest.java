package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import io.shopstack.common.testing.ServiceProcess;
import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule file changed under a running cache, as an operator does with Varnish's {@code
 * vcl.load}/{@code vcl.use}: {@code POST /rules/reload} on the admin port or {@code SIGHUP}
 * switches to a good file, and a bad one is refused with its error while the old rules keep
 * deciding.
 */
class RuleReloadTest {
  /** Pages without any freshness of their own: only a ttl rule makes them hits. */
  private static final String TTL_RULES =
      """
      rules:
        - prefix: /products/
          ttl: 300
      """;

  private static final String PASS_RULES =
      """
      rules:
        - prefix: /products/
          pass: true
      """;

  @TempDir Path dir;
  private Path rules;
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;
  private final HttpClient admin = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    rules = dir.resolve("rules.yml");
    Files.writeString(rules, TTL_RULES);
    origin = new OriginFixture("origin");
    for (int i = 1; i <= 3; i++) {
      origin.answer("/products/" + i, Answer.withHeaders(Map.of(), "page " + i));
    }
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local(
                    "edge-north",
                    origin.route("/products/"),
                    Map.of("SHOP_RULES", rules.toString())))
            .start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private HttpResponse<String> reload() throws Exception {
    return admin.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edge.adminPort() + EdgeCacheServer.RELOAD_RULES))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String xCacheOfSecondGet(String path) throws Exception {
    client.get(path);
    return EdgeClient.xCache(client.get(path));
  }

  @Test
  void aGoodFileTakesOverOnAdminPostWithoutARestart() throws Exception {
    assertThat(xCacheOfSecondGet("/products/1")).isEqualTo("HIT");

    Files.writeString(rules, PASS_RULES);
    HttpResponse<String> reloaded = reload();

    assertThat(reloaded.statusCode()).isEqualTo(200);
    assertThat(reloaded.body()).contains("reloaded: 1 rules");
    assertThat(xCacheOfSecondGet("/products/2")).isEqualTo("PASS");
    assertThat(origin.requests("/products/2")).isEqualTo(2);
    assertThat(scrape())
        .contains("edge_rules_reloads_total{instance=\"edge-north\",outcome=\"applied\"} 1.0");
  }

  @Test
  void aBadFileIsRefusedWithItsErrorAndTheOldRulesStay() throws Exception {
    Files.writeString(rules, "rules:\n  - prefix: /products/\n    tll: 300\n");
    HttpResponse<String> typo = reload();
    Files.writeString(rules, "rules:\n  - prefix: /products/\n    pass: true\n    ttl: 300\n");
    HttpResponse<String> contradiction = reload();
    Files.delete(rules);
    HttpResponse<String> gone = reload();

    assertThat(List.of(typo, contradiction, gone))
        .allSatisfy(
            refused -> {
              assertThat(refused.statusCode()).isEqualTo(422);
              assertThat(refused.body()).contains("refused, the 1 rules in use stay");
            });
    assertThat(typo.body()).contains("tll");
    assertThat(xCacheOfSecondGet("/products/1")).isEqualTo("HIT"); // the ttl rule still decides
    assertThat(scrape())
        .contains("edge_rules_reloads_total{instance=\"edge-north\",outcome=\"refused\"} 3.0");
  }

  private String scrape() throws Exception {
    return admin
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * The shipped main in a process of its own, so the signal reaches what an operator runs. Without
   * a handler the JVM takes SIGHUP as a request to exit.
   */
  @Test
  void sighupReloadsTheRunningProcess() throws Exception {
    ServiceProcess cache =
        ServiceProcess.of(EdgeCacheMain.class)
            .environment("SHOP_INSTANCE", "edge-hup")
            .environment("SHOP_BIND", "127.0.0.1")
            .environment("SHOP_HTTP_PORT", "0")
            .environment("SHOP_ADMIN_PORT", "0")
            .environment("SHOP_ROUTES", origin.route("/products/"))
            .environment("SHOP_RULES", rules.toString())
            .start();
    try {
      EdgeClient hup = new EdgeClient(Integer.parseInt(cache.awaitLine(LISTENING)));
      hup.get("/products/3");
      assertThat(EdgeClient.xCache(hup.get("/products/3"))).isEqualTo("HIT");

      Files.writeString(rules, PASS_RULES);
      ExternalCommand.run(Duration.ofSeconds(10), "kill", "-HUP", String.valueOf(cache.pid()))
          .assertSuccess();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> cache.output().stream().anyMatch(line -> line.contains("reloaded: 1 rules")));
      assertThat(cache.isAlive()).as("still running after SIGHUP: %s", cache.output()).isTrue();
      hup.get("/products/2");
      assertThat(EdgeClient.xCache(hup.get("/products/2"))).isEqualTo("PASS");
    } finally {
      cache.close();
    }
  }

  private static final Pattern LISTENING = Pattern.compile("caching on http://[^:]+:(\\d+)");
}
