package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.order.OrderServiceApplication;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database goes away under a running instance and comes back: orders fail fast with 503 while
 * it is gone, and succeed again without restarting the service. The database is H2 in server mode
 * on a real TCP socket, so stopping it breaks the pool's connections the way a stopped PostgreSQL
 * does.
 */
class DatabaseRestartTests {

  private static final String ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\","
          + " \"price\": \"68\"}}";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Path dataDir;
  private int databasePort;
  private Server database;
  private ConfigurableApplicationContext shop;

  @BeforeEach
  void startDatabaseAndShop() throws Exception {
    dataDir = Files.createTempDirectory("order-db-restart");
    try (ServerSocket free = new ServerSocket(0)) {
      databasePort = free.getLocalPort();
    }
    database = startDatabase();
    shop =
        OrderServiceApplication.start(
            Map.of(
                "server.address",
                "127.0.0.1",
                "server.port",
                0,
                "management.server.address",
                "127.0.0.1",
                "management.server.port",
                0,
                "shop.database-timeout",
                "2s",
                "spring.datasource.url",
                "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/orders;MODE=PostgreSQL"));
  }

  @AfterEach
  void stopBoth() {
    if (shop != null) {
      shop.close();
    }
    database.stop();
  }

  @Test
  void withTheDatabaseDownAnOrderIs503WithRetryAfterAndWorksAgainOnceItIsBack() throws Exception {
    assertThat(post().statusCode()).isEqualTo(201);

    database.stop();
    long start = System.nanoTime();
    // The request's own timeout (20 s) fails the test if the service hangs as it did (30 s).
    HttpResponse<String> down = post();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
    assertThat(down.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(down.body()).contains("database unavailable");
    System.out.println("order with the database down answered 503 in " + took.toMillis() + " ms");

    database = startDatabase();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(post().statusCode()).isEqualTo(201));
  }

  private Server startDatabase() throws Exception {
    return Server.createTcpServer(
            "-tcpPort",
            String.valueOf(databasePort),
            "-baseDir",
            dataDir.toString(),
            "-ifNotExists")
        .start();
  }

  private HttpResponse<String> post() throws Exception {
    int port = shop.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/purchaseOrder"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ORDER))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
