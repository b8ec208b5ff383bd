package io.shopstack.objectstore;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The store run as operators run it, {@code ObjectStoreApplication} in a JVM of its own on a data
 * dir: for what only a real process shows (SIGKILL in the middle of writes). Its output goes to a
 * file beside the data dir.
 */
final class StoreProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private StoreProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the store on {@code dataDir} and returns once its health endpoint answers. */
  static StoreProcess start(Path dataDir, Path log) throws IOException {
    int port = freePort();
    int adminPort = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ObjectStoreApplication.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("SHOP_BIND", "127.0.0.1");
    builder.environment().put("SHOP_OBJECT_PORT", String.valueOf(port));
    builder.environment().put("SHOP_ADMIN_PORT", String.valueOf(adminPort));
    builder.environment().put("SHOP_DATA_DIR", dataDir.toString());
    StoreProcess store = new StoreProcess(builder.start(), port);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health")).build();
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .until(
            () -> {
              if (!store.process.isAlive()) {
                throw new AssertionError("the store exited; see " + log);
              }
              return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
    return store;
  }

  int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook, no flush, nothing the process can do about it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
