package io.shopstack.edge;

import static io.shopstack.edge.support.EdgeClient.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.ScriptedOrigin;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Origin connections are kept alive and reused, and one the origin dropped is not a failure. */
class OriginKeepAliveTest {
  private static final int MISSES = 8;

  @Test
  void sequentialMissesShareOneOriginConnection() throws Exception {
    try (OriginFixture origin = new OriginFixture("origin");
        EdgeCacheServer edge =
            new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/")))
                .start()) {
      EdgeClient client = new EdgeClient(edge.port());
      for (int i = 0; i < MISSES; i++) {
        HttpResponse<String> response = client.get("/products/" + i);
        assertThat(xCache(response)).isEqualTo("MISS");
        assertThat(response.body()).isEqualTo("from origin for /products/" + i);
      }

      assertThat(origin.requests()).isEqualTo(MISSES);
      assertThat(origin.connections()).isEqualTo(1);
    }
  }

  @Test
  void anOriginThatClosesAfterEachResponseWithoutSayingSoStillAnswersEveryMiss() throws Exception {
    try (ScriptedOrigin origin =
            new ScriptedOrigin(
                (head, out, nth) -> {
                  byte[] body = "page".getBytes(StandardCharsets.US_ASCII);
                  out.write(ScriptedOrigin.head200(body.length, "max-age=60"));
                  out.write(body);
                  return false; // closes the keep-alive connection it just offered
                });
        EdgeCacheServer edge =
            new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/")))
                .start()) {
      EdgeClient client = new EdgeClient(edge.port());
      for (int i = 0; i < MISSES; i++) {
        HttpResponse<String> response = client.get("/products/closing-" + i);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("page");
      }

      assertThat(origin.requests()).isEqualTo(MISSES);
      assertThat(origin.connections()).isEqualTo(MISSES);
    }
  }

  @Test
  void bytesBeyondAShortContentLengthDoNotCorruptTheNextRequestOnThatConnection() throws Exception {
    // Each connection's origin thread: its first answer says 5 bytes and sends them; the bytes it
    // "still owed" arrive just before its second answer, as a desynchronised origin's would.
    try (ScriptedOrigin origin =
            new ScriptedOrigin(
                (head, out, nth) -> {
                  if (nth > 0) {
                    out.write("0123456789-excess".getBytes(StandardCharsets.US_ASCII));
                  }
                  out.write(ScriptedOrigin.head200(5, "no-store"));
                  out.write("hello".getBytes(StandardCharsets.US_ASCII));
                  return true;
                });
        EdgeCacheServer edge =
            new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/")))
                .start()) {
      EdgeClient client = new EdgeClient(edge.port());
      for (int i = 0; i < MISSES; i++) {
        HttpResponse<String> response = client.get("/products/short-" + i);
        assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
      }
    }
  }
}
