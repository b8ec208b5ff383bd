package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that does not answer must not stall the hits from memory. The stored object's file is
 * swapped for a named pipe with no writer, so reading it blocks as long as the test wants, like a
 * dying disk; meanwhile connections spread over every event loop ask for a page in memory.
 */
class SlowDiskTest {
  /** More connections than event loops, so one shares the loop of the stalled request. */
  private static final int CONNECTIONS = 4 * Runtime.getRuntime().availableProcessors() + 4;

  @TempDir Path dir;
  private OriginFixture origin;
  private EdgeCacheServer edge;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = new OriginFixture("origin");
    origin.answer("/pages/slow", Answer.cacheable(600, "from the slow disk"));
    origin.answer("/pages/fast", Answer.cacheable(600, "from memory"));
  }

  @AfterEach
  void stop() {
    if (edge != null) {
      edge.close();
    }
    origin.close();
  }

  private EdgeClient start(int port) throws InterruptedException {
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local(
                    "edge-north",
                    origin.route("/"),
                    Map.of(
                        "SHOP_DISK_DIR", dir.toString(), "SHOP_HTTP_PORT", String.valueOf(port))))
            .start();
    return new EdgeClient(edge.port());
  }

  @Test
  void hitsFromMemoryGoOnWhileADiskReadHangs() throws Exception {
    EdgeClient client = start(0);
    client.get("/pages/slow");
    int port = edge.port();
    edge.close(); // its queued write reaches the disk first
    client = start(port);
    List<Path> files = objectFiles();
    assertThat(files).hasSize(1);
    Path file = files.get(0);
    Path saved = dir.resolve("saved.copy");
    Files.move(file, saved);
    ExternalCommand.run(Duration.ofSeconds(10), "mkfifo", file.toString()).assertSuccess();
    assertThat(EdgeClient.xCache(client.get("/pages/fast"))).isEqualTo("MISS");

    EdgeClient stalled = new EdgeClient(port);
    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stalled.get("/pages/slow");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    boolean fed = false;
    try {
      await().atMost(Duration.ofSeconds(20)).until(SlowDiskTest::aDiskReadIsUnderWay);

      for (int i = 0; i < CONNECTIONS; i++) {
        // A liveness bound, not a speed check: without the fix one of these never comes back.
        assertThat(rawGet(port, "/pages/fast")).as("connection %d", i).contains("x-cache: HIT");
      }
      assertThat(slow).isNotDone();

      ExternalCommand.run(
              Duration.ofSeconds(10), "sh", "-c", "cat '" + saved + "' > '" + file + "'")
          .assertSuccess();
      fed = true;
      HttpResponse<String> answer = slow.get(20, TimeUnit.SECONDS);
      assertThat(EdgeClient.xCache(answer)).isEqualTo("HIT");
      assertThat(answer.body()).isEqualTo("from the slow disk");
      assertThat(origin.requests("/pages/slow")).isEqualTo(1);
    } finally {
      if (!fed) {
        unblock(saved, file);
      }
    }
  }

  /** Somewhere in this JVM a thread is inside the disk tier's read (on the pipe). */
  private static boolean aDiskReadIsUnderWay() {
    return Thread.getAllStackTraces().values().stream()
        .flatMap(Arrays::stream)
        .anyMatch(
            frame ->
                frame.getClassName().endsWith(".DiskTier") && frame.getMethodName().equals("read"));
  }

  /** One request on a connection of its own; the response head, or a timeout failure. */
  private static String rawGet(int port, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private List<Path> objectFiles() throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(p -> p.toString().endsWith(".obj")).toList();
    }
  }

  /** If the test failed half-way, a reader may still wait on the pipe: give it its bytes. */
  private static void unblock(Path saved, Path fifo) throws InterruptedException, IOException {
    Process feed = new ProcessBuilder("sh", "-c", "cat '" + saved + "' > '" + fifo + "'").start();
    if (!feed.waitFor(5, TimeUnit.SECONDS)) {
      feed.destroyForcibly(); // nobody was reading
    }
  }
}
