package io.shopstack.order.crash;

import static org.awaitility.Awaitility.await;

import io.shopstack.order.OrderServiceApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An order-service in a JVM of its own, started the way Docker starts it ({@code main}, configured
 * by SHOP_* variables), so that the test can {@code kill -9} it: no shutdown hook, no graceful
 * stop, no flush, exactly what a crashed instance gets.
 */
final class OrderProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private OrderProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts an instance on the database and waits until it is ready. */
  static OrderProcess start(String name, String databaseUrl, String databaseUser, Path dir)
      throws IOException {
    int port = freePort();
    int admin = freePort();
    Path log = Files.createTempFile(dir, name, ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC",
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    OrderServiceApplication.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "SHOP_INSTANCE",
                name,
                "SHOP_BIND",
                "127.0.0.1",
                "SHOP_ORDER_PORT",
                String.valueOf(port),
                "SHOP_ADMIN_PORT",
                String.valueOf(admin),
                "SHOP_DB_URL",
                databaseUrl,
                "SHOP_DB_USER",
                databaseUser));
    OrderProcess started = new OrderProcess(builder.start(), port, log);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .failFast("order process exited; see " + log, () -> !started.process.isAlive())
        .until(() -> ready(admin));
    return started;
  }

  URI purchaseOrder() {
    return URI.create("http://127.0.0.1:" + port + "/purchaseOrder");
  }

  /** SIGKILL, what {@code kill -9} sends: the JVM gets no chance to do anything. */
  void killDashNine() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, a graceful stop. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  Path log() {
    return log;
  }

  private static boolean ready(int admin) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + admin + "/health/readiness"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
