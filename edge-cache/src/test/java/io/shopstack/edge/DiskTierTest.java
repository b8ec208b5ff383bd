package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier across restarts of the cache: what was stored is still a hit afterwards. */
class DiskTierTest {
  @TempDir Path dir;
  private OriginFixture origin;
  private EdgeCacheServer edge;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = new OriginFixture("origin");
  }

  @AfterEach
  void stop() {
    if (edge != null) {
      edge.close();
    }
    origin.close();
  }

  /**
   * Starts the cache, on the port it had before if it ran before: the cache key holds the Host
   * header, port included, as a restarted cache on its usual address would see it.
   */
  private EdgeClient start(String diskBytes) throws InterruptedException {
    String port = edge == null ? "0" : String.valueOf(edge.port());
    edge =
        new EdgeCacheServer(
                EdgeConfigs.local(
                    "edge-north",
                    origin.route("/"),
                    Map.of(
                        "SHOP_DISK_DIR",
                        dir.toString(),
                        "SHOP_DISK_BYTES",
                        diskBytes,
                        "SHOP_HTTP_PORT",
                        port)))
            .start();
    return new EdgeClient(edge.port());
  }

  /** Stops the cache (its queued writes finish first) and starts a new one on the same files. */
  private EdgeClient restart(String diskBytes) throws InterruptedException {
    edge.close();
    return start(diskBytes);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.toList();
    }
  }

  @Test
  void aRestartedCacheAnswersFromDiskWithoutAskingTheOrigin() throws Exception {
    byte[] image = new byte[200_000];
    new java.util.Random(7).nextBytes(image);
    origin.answer(
        "/images/big.jpg",
        new Answer(200, Map.of("Cache-Control", "max-age=600", "ETag", "\"v1\""), image, 0));
    EdgeClient client = start("10000000");
    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("MISS");
    HttpResponse<byte[]> miss = client.getBytes("/images/big.jpg");
    assertThat(EdgeClient.xCache(miss)).isEqualTo("MISS");

    client = restart("10000000");
    HttpResponse<String> page = client.get("/products/1");
    HttpResponse<byte[]> big = client.getBytes("/images/big.jpg");

    assertThat(EdgeClient.xCache(page)).isEqualTo("HIT");
    assertThat(page.body()).isEqualTo("from origin for /products/1");
    assertThat(EdgeClient.xCache(big)).isEqualTo("HIT");
    assertThat(big.body()).isEqualTo(image);
    assertThat(big.headers().firstValue("ETag")).hasValue("\"v1\"");
    assertThat(origin.requests("/products/1")).isEqualTo(1);
    assertThat(origin.requests("/images/big.jpg")).isEqualTo(1);
    assertThat(files()).hasSize(2).allMatch(f -> f.toString().endsWith(".obj"));
  }

  @Test
  void purgeRemovesTheFileSoARestartDoesNotBringItBack() throws Exception {
    EdgeClient client = start("10000000");
    client.get("/products/1");
    client.get("/products/2");
    assertThat(client.send("PURGE", "/products/1").statusCode()).isEqualTo(200);

    client = restart("10000000");
    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("MISS");
    assertThat(EdgeClient.xCache(client.get("/products/2"))).isEqualTo("HIT");
    assertThat(origin.requests("/products/1")).isEqualTo(2);
  }

  @Test
  void purgeAndBanReachObjectsThatAreOnlyOnDisk() throws Exception {
    EdgeClient client = start("10000000");
    for (String path : List.of("/products/1", "/products/2", "/images/3", "/images/4")) {
      client.get(path);
    }

    client = restart("10000000"); // memory is empty now; the four are on disk only
    assertThat(client.send("PURGE", "/products/1").body()).contains("purged 1");
    assertThat(client.send("BAN", "/", "Ban-Url", "^/images/").body()).contains("banned 2");

    assertThat(EdgeClient.xCache(client.get("/products/1"))).isEqualTo("MISS");
    assertThat(EdgeClient.xCache(client.get("/images/3"))).isEqualTo("MISS");
    assertThat(EdgeClient.xCache(client.get("/images/4"))).isEqualTo("MISS");
    assertThat(EdgeClient.xCache(client.get("/products/2"))).isEqualTo("HIT");
  }

  @Test
  void damagedAndHalfWrittenFilesAreDroppedNotServed() throws Exception {
    EdgeClient client = start("10000000");
    client.get("/products/1");
    client.get("/products/2");
    edge.close();
    List<Path> objects = files();
    assertThat(objects).hasSize(2);
    byte[] bytes = Files.readAllBytes(objects.get(0));
    bytes[bytes.length / 2] ^= 0x55; // one flipped bit pattern in the middle
    Files.write(objects.get(0), bytes);
    Files.writeString(dir.resolve("0123.obj.tmp"), "a write the crash interrupted");

    client = start("10000000");
    // Checked before any request: the misses below write (and so briefly hold temp files) again.
    assertThat(files()).noneMatch(f -> f.toString().endsWith(".tmp"));
    List<String> verdicts =
        List.of(
            EdgeClient.xCache(client.get("/products/1")),
            EdgeClient.xCache(client.get("/products/2")));

    assertThat(verdicts).containsExactlyInAnyOrder("MISS", "HIT");
  }

  @Test
  void theDiskStaysWithinItsBytesOldestWrittenFirstOut() throws Exception {
    EdgeClient client = start("3000"); // room for a few small objects only
    for (int i = 0; i < 20; i++) {
      client.get("/products/" + i);
    }
    edge.close();
    long total = 0;
    for (Path f : files()) {
      total += Files.size(f);
    }
    assertThat(total).isLessThanOrEqualTo(3000).isPositive();

    client = start("3000");
    assertThat(EdgeClient.xCache(client.get("/products/19"))).isEqualTo("HIT");
    assertThat(EdgeClient.xCache(client.get("/products/0"))).isEqualTo("MISS");
  }
}
