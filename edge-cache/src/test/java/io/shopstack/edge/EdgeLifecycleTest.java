package io.shopstack.edge;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.server.ServerStartException;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting and stopping a cache as an operator does it: ports in use, requests in flight. */
class EdgeLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static EdgeCacheConfig config(
      String instance, String routes, int port, int adminPort, int shutdownSeconds) {
    return EdgeConfigs.local(
        instance,
        routes,
        Map.of(
            "SHOP_HTTP_PORT", String.valueOf(port),
            "SHOP_ADMIN_PORT", String.valueOf(adminPort),
            "SHOP_SHUTDOWN_SECONDS", String.valueOf(shutdownSeconds)));
  }

  @Test
  void anAdminPortInUseFailsTheStartAndReleasesTheHttpPort() throws Exception {
    int http = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      EdgeCacheConfig config =
          config("edge-taken", "/products/=127.0.0.1:1", http, taken.getLocalPort(), 1);

      assertThatThrownBy(() -> new EdgeCacheServer(config).start())
          .isInstanceOf(ServerStartException.class)
          // The OS's words follow; epoll prefixes them with "bind(..) failed with error(-98): ".
          .hasMessageStartingWith(
              "edge-taken: cannot bind admin endpoint on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .hasMessageEndingWith("Address already in use")
          .hasCauseInstanceOf(
              java.io.IOException.class); // BindException (NIO) or NativeIoException

      assertNothingLeftOpen("edge-taken", new InetSocketAddress(LOOPBACK, http));
    }
  }

  @Test
  void closeLetsARequestInFlightFinishWithConnectionCloseAndClosesIdleConnectionsAtOnce()
      throws Exception {
    try (OriginFixture origin = new OriginFixture("origin")) {
      origin.answer("/products/slow", Answer.cacheable(60, "late but whole"));
      CountDownLatch originAnswers = origin.hold("/products/slow");
      EdgeCacheServer edge =
          new EdgeCacheServer(
                  config(
                      "edge-stopping",
                      origin.route("/products/"),
                      0,
                      0,
                      EdgeCacheConfig.DEFAULT_SHUTDOWN_SECONDS))
              .start();
      InetSocketAddress http = new InetSocketAddress(LOOPBACK, edge.port());
      InetSocketAddress admin = new InetSocketAddress(LOOPBACK, edge.adminPort());

      try (Socket idle = connect(http);
          Socket inFlight = connect(http)) {
        send(idle, "/products/fast");
        assertThat(readOneResponse(idle.getInputStream())).startsWith("HTTP/1.1 200");
        send(inFlight, "/products/slow");
        await().atMost(Duration.ofSeconds(5)).until(() -> origin.requests("/products/slow") == 1);

        long begin = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(edge::close);

        assertThat(idle.getInputStream().read())
            .as("the idle keep-alive connection is closed when the stop begins")
            .isEqualTo(-1);
        assertThat(closing).as("waits for the request in flight").isNotDone();

        originAnswers.countDown();
        String response =
            new String(inFlight.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        closing.get(30, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        System.out.printf("close with a request in flight took %d ms (deadline 5000 ms)%n", millis);

        assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nlate but whole");
        assertThat(response.toLowerCase(Locale.ROOT)).contains("\r\nconnection: close\r\n");
        assertThat(millis)
            .as("the drain ended with the response, not at the deadline")
            .isLessThan(5000);
      }
      assertNothingLeftOpen("edge-stopping", http, admin);
    }
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(20_000); // a guard against a hang, not a measurement
    return socket;
  }

  private static void send(Socket socket, String path) throws IOException {
    socket
        .getOutputStream()
        .write(
            ("GET " + path + " HTTP/1.1\r\nHost: static.shop.example\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads one response with a Content-Length body, leaving the connection open. */
  private static String readOneResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("end of stream inside the head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length =
        text.lines()
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
            .findFirst()
            .orElseThrow();
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
