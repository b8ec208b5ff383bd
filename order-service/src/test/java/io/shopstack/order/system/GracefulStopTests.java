package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.order.OrderServiceApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A graceful stop as the SLB sees it: its health checks turn 503 first, while the order listener
 * still serves, and only after the SLB had its checks answered does the listener stop accepting.
 */
class GracefulStopTests {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** What one round of the watcher saw: the two health paths and a product page (-1: refused). */
  record Look(int readiness, int health, int page) {}

  @Test
  void readinessGoesDownBeforeTheListenerStops() throws Exception {
    Path dir = Files.createTempDirectory("order-graceful");
    ConfigurableApplicationContext shop =
        OrderServiceApplication.start(
            Map.of(
                "shop.instance",
                "order-drain",
                "server.address",
                "127.0.0.1",
                "server.port",
                0,
                "management.server.address",
                "127.0.0.1",
                "management.server.port",
                0,
                // A round checks twice, then asks for a page. The stop may begin mid-round (one
                // 503 check), and the page of the round whose check was the last counted races
                // the listener's close: 8 leave three whole rounds answered before it (6 did not
                // always, at load 19).
                "shop.drain.probes",
                8,
                "spring.datasource.url",
                "jdbc:h2:file:"
                    + dir.resolve("orders")
                    + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE"));
    int port = port(shop, "local.server.port");
    int admin = port(shop, "local.management.port");
    List<Look> seen = new CopyOnWriteArrayList<>();
    // The balancer: checks and a request every round, as long as the order port answers.
    CompletableFuture<Void> watcher =
        CompletableFuture.runAsync(
            () -> {
              Look look;
              do {
                look =
                    new Look(
                        status(admin, "/health/readiness"),
                        status(admin, "/health"),
                        status(port, "/products/course-1001"));
                seen.add(look);
              } while (look.page() != -1);
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 3);
    assertThat(seen).allSatisfy(look -> assertThat(look).isEqualTo(new Look(200, 200, 200)));

    CompletableFuture<Void> stop = CompletableFuture.runAsync(shop::close);
    watcher.get(60, TimeUnit.SECONDS);
    stop.get(60, TimeUnit.SECONDS);

    // Out of service (both paths the SLB may check) while orders are still taken...
    assertThat(seen)
        .filteredOn(look -> look.readiness() == 503 && look.health() == 503 && look.page() == 200)
        .hasSizeGreaterThanOrEqualTo(3);
    // (The admin port closes at the listener's graceful stop: a last round may find it gone.)
    assertThat(seen).noneMatch(look -> look.readiness() != 200 && look.health() == 200);
    // ...and never the other way round: no round found the listener gone while still "ready".
    assertThat(seen).noneMatch(look -> look.page() != 200 && look.readiness() == 200);
    assertThat(seen.get(seen.size() - 1).page()).isEqualTo(-1);
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int port(ConfigurableApplicationContext shop, String key) {
    return shop.getEnvironment().getRequiredProperty(key, Integer.class);
  }
}
