package io.shopstack.edge;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.shopstack.common.server.ServerStartException;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Starting and stopping a cache as an operator does it: ports in use, requests in flight. */
class EdgeLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static EdgeCacheConfig config(String instance, String routes, int port, int adminPort) {
    EdgeCacheConfig base = EdgeConfigs.local(instance, routes);
    return new EdgeCacheConfig(
        base.instance(),
        base.bind(),
        port,
        adminPort,
        base.routes(),
        base.routeSets(),
        base.limits(),
        1);
  }

  @Test
  void anAdminPortInUseFailsTheStartAndReleasesTheHttpPort() throws Exception {
    int http = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      EdgeCacheConfig config =
          config("edge-taken", "/products/=127.0.0.1:1", http, taken.getLocalPort());

      assertThatThrownBy(() -> new EdgeCacheServer(config).start())
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "edge-taken: cannot bind admin endpoint on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertNothingLeftOpen("edge-taken", new InetSocketAddress(LOOPBACK, http));
    }
  }

  @Test
  void closeWithAnOriginFetchInFlightEndsWithinTheDeadlineAndLeaksNothing() throws Exception {
    try (OriginFixture origin = new OriginFixture("origin")) {
      origin.answer("/products/slow", Answer.cacheable(60, "late").delayed(3000));
      EdgeCacheServer edge =
          new EdgeCacheServer(config("edge-stopping", origin.route("/products/"), 0, 0)).start();
      InetSocketAddress http = new InetSocketAddress(LOOPBACK, edge.port());
      InetSocketAddress admin = new InetSocketAddress(LOOPBACK, edge.adminPort());
      CompletableFuture<HttpResponse<String>> inFlight =
          HttpClient.newHttpClient()
              .sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + edge.port() + "/products/slow"))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(5)).until(() -> origin.requests("/products/slow") == 1);

      // Bounded far above the 1 s deadline: this guards against a stop that hangs.
      assertTimeoutPreemptively(Duration.ofSeconds(30), edge::close);

      // The stop cut the connection: the client learns it at once, not at its own timeout.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(inFlight).isCompletedExceptionally());
      assertNothingLeftOpen("edge-stopping", http, admin);
    }
  }
}
