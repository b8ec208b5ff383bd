package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.ScriptedOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Large misses stream: the client gets the first bytes while the origin is still sending (the
 * origin here stops half-way until the test lets it go on), coalesced clients follow the same body,
 * and what is too large to store is relayed without being kept.
 */
class StreamingTest {
  private static final int MIB = 1 << 20;
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch goOn = new CountDownLatch(1);
  private final AtomicInteger served = new AtomicInteger();
  private ScriptedOrigin origin;
  private EdgeCacheServer edge;

  @AfterEach
  void stop() throws IOException {
    goOn.countDown();
    if (edge != null) {
      edge.close();
    }
    origin.close();
  }

  private void start(ScriptedOrigin.Script script) throws Exception {
    origin = new ScriptedOrigin(script);
    edge = new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/images/"))).start();
  }

  /** A body of {@code length} bytes, the first {@code before} of them sent before the pause. */
  private ScriptedOrigin.Script pausingAfter(long length, int before, String cacheControl) {
    return (head, out, nth) -> {
      out.write(ScriptedOrigin.head200(length, cacheControl));
      boolean first = served.getAndIncrement() == 0;
      writePattern(out, 0, first ? before : length);
      if (first) {
        out.flush();
        goOn.await();
        writePattern(out, before, length);
      }
      return true;
    };
  }

  private static void writePattern(OutputStream out, long from, long to) throws IOException {
    byte[] block = new byte[64 << 10];
    for (long at = from; at < to; ) {
      int n = (int) Math.min(block.length, to - at);
      for (int i = 0; i < n; i++) {
        block[i] = patternByte(at + i);
      }
      out.write(block, 0, n);
      at += n;
    }
  }

  private static byte patternByte(long position) {
    return (byte) (position % 251);
  }

  /** Reads {@code n} bytes and checks they are the pattern from {@code from}. */
  private static void readPattern(InputStream in, long from, long n) throws IOException {
    byte[] block = new byte[64 << 10];
    for (long at = from; at < from + n; ) {
      int got = in.read(block, 0, (int) Math.min(block.length, from + n - at));
      assertThat(got).as("bytes at %d", at).isPositive();
      for (int i = 0; i < got; i++) {
        if (block[i] != patternByte(at + i)) {
          throw new AssertionError("wrong byte at " + (at + i));
        }
      }
      at += got;
    }
  }

  private HttpResponse<InputStream> open(String path) throws Exception {
    // If the edge waited for the whole object, no head would come before the origin goes on.
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void a64MiBMissReachesTheClientWhileTheOriginIsStillSendingAndIsNotStored() throws Exception {
    long length = 64L * MIB;
    start(pausingAfter(length, MIB, "public, max-age=600"));

    HttpResponse<InputStream> first = open("/images/big.bin");
    try (InputStream body = first.body()) {
      readPattern(body, 0, MIB); // all the origin has sent so far
      goOn.countDown();
      readPattern(body, MIB, length - MIB);
      assertThat(body.read()).isEqualTo(-1);
    }
    HttpResponse<InputStream> second = open("/images/big.bin");
    try (InputStream body = second.body()) {
      readPattern(body, 0, length);
    }

    assertThat(first.headers().firstValueAsLong("Content-Length")).hasValue(length);
    assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
    // Over maxObjectBytes (1 MiB): relayed, never stored.
    assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(origin.requests()).isEqualTo(2);
  }

  @Test
  void coalescedClientsFollowTheBodyAsItArrivesAndItIsStoredAtTheEnd() throws Exception {
    long length = 512 << 10;
    start(pausingAfter(length, 128 << 10, "public, max-age=600"));

    HttpResponse<InputStream> leader = open("/images/shared.bin");
    InputStream leaderBody = leader.body();
    readPattern(leaderBody, 0, 128 << 10);
    HttpResponse<InputStream> follower = open("/images/shared.bin");
    InputStream followerBody = follower.body();
    readPattern(followerBody, 0, 128 << 10); // before the origin has sent the rest
    assertThat(origin.requests()).isEqualTo(1);
    goOn.countDown();
    readPattern(leaderBody, 128 << 10, length - (128 << 10));
    readPattern(followerBody, 128 << 10, length - (128 << 10));
    leaderBody.close();
    followerBody.close();

    HttpResponse<String> later =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + edge.port() + "/images/shared.bin"))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));

    assertThat(leader.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(follower.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(later.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(later.body()).hasSize((int) length);
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void aBodyOfUnknownLengthGoesToTheClientChunkedAndIsStored() throws Exception {
    start(
        (head, out, nth) -> {
          out.write(
              ("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          writePattern(out, 0, 300_000);
          return false; // the end of the body is the end of the connection
        });

    HttpResponse<InputStream> miss = open("/images/open-ended");
    try (InputStream body = miss.body()) {
      readPattern(body, 0, 300_000);
      assertThat(body.read()).isEqualTo(-1);
    }
    HttpResponse<InputStream> hit = open("/images/open-ended");
    try (InputStream body = hit.body()) {
      readPattern(body, 0, 300_000);
    }

    assertThat(miss.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.headers().firstValueAsLong("Content-Length")).hasValue(300_000);
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void anOriginThatStopsMidBodyClosesTheClientInsteadOfHangingIt() throws Exception {
    start(
        (head, out, nth) -> {
          out.write(ScriptedOrigin.head200(1_000_000, "max-age=600"));
          writePattern(out, 0, 200_000);
          return false; // 800,000 bytes short
        });

    HttpResponse<InputStream> response = open("/images/truncated");
    try (InputStream body = response.body()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> body.readAllBytes())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void anHttp10ClientGetsAnOpenEndedBodyUnchunkedAndTheConnectionClosedAtItsEnd() throws Exception {
    start(
        (head, out, nth) -> {
          out.write(
              ("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          writePattern(out, 0, 100_000);
          return false;
        });

    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("GET /images/old-client HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] all = socket.getInputStream().readAllBytes(); // ends only when the edge closes
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int bodyStart = text.indexOf("\r\n\r\n") + 4;

      assertThat(text).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding");
      assertThat(all.length - bodyStart).isEqualTo(100_000);
      for (int i = 0; i < 100_000; i++) {
        if (all[bodyStart + i] != patternByte(i)) {
          throw new AssertionError("wrong byte at " + i);
        }
      }
    }
  }

  @Test
  void aHeadMissForALargeObjectAnswersTheHeadAndStillFillsTheCache() throws Exception {
    long length = 512 << 10;
    start(pausingAfter(length, (int) length, "public, max-age=600"));

    HttpResponse<Void> head =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + "/images/h"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    goOn.countDown();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> open("/images/h").headers().firstValue("X-Cache").orElse("").equals("HIT"));

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(length);
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void aClientsMatchingIfNoneMatchOnALargeMissGets304AndTheBodyIsStillStored() throws Exception {
    long length = 512 << 10;
    start(
        (head, out, nth) -> {
          out.write(
              ("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nETag: \"v7\"\r\n"
                      + "Content-Length: "
                      + length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          writePattern(out, 0, length);
          return true;
        });

    HttpResponse<String> conditional =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + "/images/e"))
                .header("If-None-Match", "\"v7\"")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> open("/images/e").headers().firstValue("X-Cache").orElse("").equals("HIT"));

    assertThat(conditional.statusCode()).isEqualTo(304);
    assertThat(conditional.headers().firstValue("ETag")).hasValue("\"v7\"");
    assertThat(origin.requests()).isEqualTo(1);
  }
}
