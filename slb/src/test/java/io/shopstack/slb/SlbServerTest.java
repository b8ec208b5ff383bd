package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.shopstack.common.testing.Curl;
import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.slb.health.HealthCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SLB as clients see it: real sockets to the listen address, real backends behind it. */
class SlbServerTest {
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private SlbServer slb(int connectTimeoutMillis, String... backends) throws InterruptedException {
    SlbConfig config =
        SlbConfigs.inFrontOf(backends).connectTimeoutMillis(connectTimeoutMillis).build();
    return track(new SlbServer(config).start());
  }

  private SlbServer slb(String... backends) throws InterruptedException {
    return slb(1000, backends);
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(5000);
    return socket;
  }

  private static String firstLine(InetSocketAddress address) throws IOException {
    try (Socket socket = connect(address)) {
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  @Test
  void connectionsAlternateBetweenBackends() throws Exception {
    var order1 = track(TcpBackends.named("order-1"));
    var order2 = track(TcpBackends.named("order-2"));
    SlbServer slb = slb(order1.hostPort(), order2.hostPort());
    InetSocketAddress vip = slb.listenAddresses().get(0);

    List<String> reached = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reached.add(firstLine(vip));
    }

    assertThat(reached).containsExactly("order-1", "order-2", "order-1", "order-2");
  }

  @Test
  void maglevKeepsEachClientAddressOnOneBackend() throws Exception {
    var order1 = track(TcpBackends.named("order-1"));
    var order2 = track(TcpBackends.named("order-2"));
    SlbConfig config =
        SlbConfigs.inFrontOf(order1.hostPort(), order2.hostPort())
            .instance("slb-maglev")
            .balance("maglev")
            .build();
    SlbServer slb = track(new SlbServer(config).start());
    InetSocketAddress vip = slb.listenAddresses().get(0);

    java.util.Set<String> reachedByAll = new java.util.HashSet<>();
    for (int phone = 2; phone < 34; phone++) {
      InetAddress from = InetAddress.getByName("127.0.1." + phone);
      java.util.Set<String> reached = new java.util.HashSet<>();
      for (int i = 0; i < 3; i++) {
        try (Socket socket = new Socket(vip.getAddress(), vip.getPort(), from, 0)) {
          socket.setSoTimeout(5000);
          reached.add(
              new BufferedReader(
                      new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                  .readLine());
        }
      }
      assertThat(reached).as("phone " + from).hasSize(1);
      reachedByAll.addAll(reached);
    }
    assertThat(reachedByAll)
        .as("32 phones are not all on one backend")
        .containsExactlyInAnyOrder("order-1", "order-2");
  }

  @Test
  void deadBackendIsSkipped() throws Exception {
    String dead = TcpBackends.deadHostPort();
    var live = track(TcpBackends.named("order-2"));
    // Without checks, so only the failover is at work here (HealthCheckTest has the ejection).
    SlbConfig config =
        SlbConfigs.inFrontOf(dead, live.hostPort()).healthCheck(HealthCheck.NONE).build();
    SlbServer slb = track(new SlbServer(config).start());
    InetSocketAddress vip = slb.listenAddresses().get(0);

    for (int i = 0; i < 3; i++) {
      assertThat(firstLine(vip)).isEqualTo("order-2");
    }
    // Round robin started at the dead backend for connections 1 and 3.
    assertThat(
            slb.registry()
                .get("slb_backend_connect_failures")
                .tag("backend", dead)
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void clientIsClosedPromptlyWhenEveryBackendIsDead() throws Exception {
    SlbServer slb = slb(TcpBackends.deadHostPort(), TcpBackends.deadHostPort());

    long start = System.nanoTime();
    try (Socket client = connect(slb.listenAddresses().get(0))) {
      assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(slb.registry().get("slb_connections_no_backend").counter().count()).isEqualTo(1);
  }

  @Test
  void backendThatNeverAnswersIsGivenUpAfterTheConnectTimeout() throws Exception {
    // A listener whose accept queue is full: the kernel drops further SYNs, as a hung host would.
    ServerSocket hung = track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    InetSocketAddress hungAddress = (InetSocketAddress) hung.getLocalSocketAddress();
    boolean queueFull = false;
    for (int i = 0; i < 8 && !queueFull; i++) {
      Socket filler = track(new Socket());
      try {
        filler.connect(hungAddress, 300);
      } catch (SocketTimeoutException e) {
        queueFull = true;
      }
    }
    assertThat(queueFull).as("accept queue filled").isTrue();
    var live = track(TcpBackends.named("order-2"));
    SlbServer slb = slb(300, "127.0.0.1:" + hung.getLocalPort(), live.hostPort());

    long start = System.nanoTime();
    assertThat(firstLine(slb.listenAddresses().get(0))).isEqualTo("order-2");

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(250), Duration.ofMillis(2000));
  }

  @Test
  void halfClosedClientStillGetsTheAnswer() throws Exception {
    var counter = track(TcpBackends.countsUntilEndOfStream());
    SlbServer slb = slb(counter.hostPort());

    try (Socket client = connect(slb.listenAddresses().get(0))) {
      client.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
      client.shutdownOutput();

      assertThat(TcpBackends.readAll(client.getInputStream())).isEqualTo("got 5 bytes\n");
    }
  }

  @Test
  void curlThroughTheVipGetsTheOrderServicesResponse() throws Exception {
    HttpServer order = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    order.createContext(
        "/purchaseOrder",
        exchange -> {
          byte[] request = exchange.getRequestBody().readAllBytes();
          byte[] body =
              ("order-1 took " + new String(request, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("X-Served-By", "order-1");
          exchange.sendResponseHeaders(201, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    order.start();
    track(() -> order.stop(0));
    SlbServer slb = slb("127.0.0.1:" + order.getAddress().getPort());
    String json =
        "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\","
            + " \"Author\": \"刘超\", \"price\": \"68\"}}";

    Curl.Response response =
        Curl.run(
            "-H",
            "Content-Type: application/json; charset=utf-8",
            "--data-binary",
            json,
            "http://127.0.0.1:" + slb.listenAddresses().get(0).getPort() + "/purchaseOrder");

    assertThat(response.raw()).startsWith("HTTP/1.1 201");
    assertThat(response.header("X-Served-By")).isEqualTo("order-1");
    assertThat(response.body()).isEqualTo("order-1 took " + json);
  }

  @Test
  void listensOnEveryConfiguredAddress() throws Exception {
    var order = track(TcpBackends.named("order-1"));
    SlbConfig config =
        SlbConfigs.inFrontOf(order.hostPort()).listen("127.0.0.1:0", "127.0.0.2:0").build();
    SlbServer slb = track(new SlbServer(config).start());

    assertThat(slb.listenAddresses()).hasSize(2);
    for (InetSocketAddress address : slb.listenAddresses()) {
      assertThat(firstLine(address)).isEqualTo("order-1");
    }
  }

  @Test
  void healthIsUpAndMetricsCountTheTraffic() throws Exception {
    var order = track(TcpBackends.named("order-1"));
    SlbServer slb = slb(order.hostPort());
    firstLine(slb.listenAddresses().get(0));
    HttpClient http = HttpClient.newHttpClient();
    String admin = "http://127.0.0.1:" + slb.adminPort();

    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(admin + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"", "1/1 backends up");

    Map<String, String> backend = Map.of("backend", order.hostPort());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              MetricsScrape metrics = MetricsScrape.of(slb.adminPort());
              assertThat(metrics.value("slb_connections_accepted_total", Map.of())).isEqualTo(1);
              assertThat(metrics.value("slb_connections_active", Map.of())).isZero();
              assertThat(metrics.value("slb_bytes_out_total", Map.of())).isEqualTo(8);
              assertThat(metrics.value("slb_backend_connections_total", backend)).isEqualTo(1);
              assertThat(metrics.value("slb_backend_connections_active", backend)).isZero();
            });
  }

  @Test
  void silentSpliceIsClosedAfterTheIdleTimeoutOnBothSides() throws Exception {
    var echo = track(TcpBackends.echo());
    SlbConfig config = SlbConfigs.inFrontOf(echo.hostPort()).idleTimeoutSeconds(1).build();
    SlbServer slb = track(new SlbServer(config).start());

    try (Socket client = connect(slb.listenAddresses().get(0))) {
      client.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
      var in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("ping");
      // Now silence: the SLB, not the 5 s socket timeout, must end it.
      long start = System.nanoTime();
      assertThat(in.read()).as("end of stream from the SLB").isEqualTo(-1);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
    }
    assertThat(slb.registry().get("slb_connections_idle_closed").counter().count()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> slb.registry().get("slb_connections_active").gauge().value() == 0);
  }
}
