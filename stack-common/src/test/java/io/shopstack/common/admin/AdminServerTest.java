package io.shopstack.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthFollowsTheServiceAndMetricsSpeakPrometheus() throws Exception {
    var registry = Metrics.registry("test-1");
    registry.counter("dns_queries", "rcode", "NOERROR").increment(3);
    AtomicReference<Health> health = new AtomicReference<>(Health.healthy());
    try (var admin =
        new AdminServer("test", new InetSocketAddress("127.0.0.1", 0), registry, health::get)
            .start()) {
      var up = get(admin.port(), "/health");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).contains("\"status\":\"UP\"");

      health.set(Health.unhealthy("no backend reachable"));
      var down = get(admin.port(), "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("no backend reachable");

      var metrics = get(admin.port(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body())
          .contains("dns_queries_total{instance=\"test-1\",rcode=\"NOERROR\"} 3.0");

      assertThat(get(admin.port(), "/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void serviceActionsRunOnPostOnlyAndReportTheirOutcome() throws Exception {
    var registry = Metrics.registry("test-2");
    AtomicInteger reloads = new AtomicInteger();
    Map<String, AdminAction> actions =
        Map.of(
            "/reload",
            () ->
                reloads.incrementAndGet() == 1
                    ? AdminAction.Result.ok("reloaded 1 zone\n")
                    : new AdminAction.Result(422, "zone.db:7: bad TTL\n"));
    try (var admin =
        new AdminServer(
                "test", new InetSocketAddress("127.0.0.1", 0), registry, Health::healthy, actions)
            .start()) {
      var post =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/reload"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      var first = http.send(post, HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("reloaded 1 zone\n");
      var second = http.send(post, HttpResponse.BodyHandlers.ofString());
      assertThat(second.statusCode()).isEqualTo(422);
      assertThat(second.body()).contains("zone.db:7");

      var get = get(admin.port(), "/reload");
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.headers().firstValue("allow")).hasValue("POST");
      assertThat(reloads).hasValue(2);
      assertThat(get(admin.port(), "/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anActionUnderAPathTakesEveryPathBelowIt() throws Exception {
    var registry = Metrics.registry("test-3");
    AtomicReference<String> seen = new AtomicReference<>();
    AdminAction steering =
        new AdminAction() {
          @Override
          public Result run() {
            return new Result(404, "name one\n");
          }

          @Override
          public Result run(Map<String, String> parameters) {
            seen.set(parameters.get(REST_OF_PATH) + "?" + parameters.get("by"));
            return Result.ok("steered\n");
          }
        };
    try (var admin =
        new AdminServer(
                "test",
                new InetSocketAddress("127.0.0.1", 0),
                registry,
                Health::healthy,
                Map.of(
                    "/backends/*", steering, "/backends/all", () -> AdminAction.Result.ok("all\n")))
            .start()) {
      var steered = post(admin.port(), "/backends/www/10.0.0.1:80/drain?by=ops");
      assertThat(steered.statusCode()).isEqualTo(200);
      assertThat(seen).hasValue("www/10.0.0.1:80/drain?ops");
      assertThat(post(admin.port(), "/backends/all").body())
          .as("an exact path wins over the one above it")
          .isEqualTo("all\n");
      assertThat(post(admin.port(), "/backends/").statusCode())
          .as("nothing below: not the action's")
          .isEqualTo(405);
      assertThat(post(admin.port(), "/other/x").statusCode()).isEqualTo(405);
      assertThat(get(admin.port(), "/backends/www/10.0.0.1:80/drain").statusCode()).isEqualTo(405);
    }
  }

  private HttpResponse<String> post(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
