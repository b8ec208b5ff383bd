package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journey's two cache tiers: CDN edges in front of the data-centre cache in front of order-1.
 */
class ChainedCachesTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private OriginFixture order1;
  private EdgeCacheServer dcCache;
  private EdgeCacheServer north;
  private EdgeCacheServer south;

  @BeforeEach
  void start() throws Exception {
    order1 = new OriginFixture("order-1");
    dcCache =
        new EdgeCacheServer(EdgeConfigs.local("dc-cache", order1.route("/products/"))).start();
    String toDcCache = "/products/=127.0.0.1:" + dcCache.port();
    north = new EdgeCacheServer(EdgeConfigs.local("edge-north", toDcCache)).start();
    south = new EdgeCacheServer(EdgeConfigs.local("edge-south", toDcCache)).start();
  }

  @AfterEach
  void stop() {
    north.close();
    south.close();
    dcCache.close();
    order1.close();
  }

  private HttpResponse<String> get(EdgeCacheServer edge, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Both edges ask for the same URL, as phones resolving static.shop.example would. */
  private static Curl.Response curl(EdgeCacheServer edge, String path) throws Exception {
    return Curl.run("-H", "Host: www.shop.example", "http://127.0.0.1:" + edge.port() + path);
  }

  @Test
  void theResponseShowsEveryHopAndEachCacheSpeaksForItself() throws Exception {
    Curl.Response first = curl(north, "/products/course");
    Curl.Response again = curl(north, "/products/course");
    Curl.Response otherEdge = curl(south, "/products/course");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("X-Served-By")).isEqualTo("order-1, dc-cache, edge-north");
    assertThat(first.header("Via"))
        .isEqualTo("1.1 dc-cache (shop-stack-edge), 1.1 edge-north (shop-stack-edge)");
    assertThat(first.header("X-Cache")).isEqualTo("MISS");
    assertThat(first.header("X-Cache-Origin")).isEqualTo("MISS");

    assertThat(again.header("X-Cache")).isEqualTo("HIT");
    assertThat(again.body()).isEqualTo(first.body());

    // edge-south has never seen it, but the data-centre cache has.
    assertThat(otherEdge.header("X-Cache")).isEqualTo("MISS");
    assertThat(otherEdge.header("X-Cache-Origin")).isEqualTo("HIT");
    assertThat(otherEdge.header("X-Served-By")).isEqualTo("order-1, dc-cache, edge-south");
    assertThat(order1.requests("/products/course")).isEqualTo(1);
  }

  @Test
  void theOriginSeesBothCachesAndTheClientsRequestId() throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + north.port() + "/products/id"))
            .header("X-Request-Id", "journey-1")
            .build(),
        HttpResponse.BodyHandlers.discarding());

    assertThat(order1.lastHeaders().getFirst("Via"))
        .isEqualTo("1.1 edge-north (shop-stack-edge), 1.1 dc-cache (shop-stack-edge)");
    assertThat(order1.lastHeaders().getFirst("X-Request-Id")).isEqualTo("journey-1");
    assertThat(order1.lastHeaders().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1, 127.0.0.1");
  }

  @Test
  void aCacheRoutedToItselfAnswers508InsteadOfLoopingForever() throws Exception {
    int port;
    try (ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = reserved.getLocalPort();
    }
    EdgeCacheConfig self =
        EdgeConfigs.local(
            "edge-loop", "/=127.0.0.1:" + port, Map.of("SHOP_HTTP_PORT", String.valueOf(port)));
    try (EdgeCacheServer loop = new EdgeCacheServer(self).start()) {
      HttpResponse<String> response = get(loop, "/anything");

      assertThat(response.statusCode()).isEqualTo(508);
      assertThat(response.body()).contains("request loop");
    }
  }
}
