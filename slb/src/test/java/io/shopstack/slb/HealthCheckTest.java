package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.shopstack.common.testing.ServerLeftovers;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Active checks as an operator sees them: a backend killed leaves the rotation, one restarted comes
 * back only after enough passed checks, and an open port is not enough when the check asks the
 * application whether it is ready.
 */
class HealthCheckTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private static String firstLine(InetSocketAddress address) throws IOException {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(5000);
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  private static double connectFailures(SlbServer slb, String backend) {
    return slb.registry()
        .get("slb_backend_connect_failures")
        .tag("backend", backend)
        .counter()
        .count();
  }

  private static String adminHealth(SlbServer slb) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slb.adminPort() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aKilledBackendLeavesTheRotationAfterFallAndRejoinsAfterRise() throws Exception {
    var order1 = TcpBackends.named("order-1");
    int port1 = order1.port();
    try (var order2 = TcpBackends.named("order-2");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(order1.hostPort(), order2.hostPort())
                        .instance("slb-checked")
                        .healthCheck(HealthCheck.tcp(100, 500, 2, 3))
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Backend backend1 = slb.backends().backends().get(0);

      order1.close();
      await().atMost(BOUND).until(() -> backend1.state() == BackendState.DOWN);
      assertThat(adminHealth(slb)).contains("1/2 backends up", "127.0.0.1:" + port1 + " DOWN");

      double failuresWhenDown = connectFailures(slb, order1.hostPort());
      List<String> reached = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        reached.add(firstLine(vip));
      }
      assertThat(reached).as("every new connection to the live one").containsOnly("order-2");
      assertThat(connectFailures(slb, order1.hostPort()))
          .as("no client was sent to the dead one")
          .isEqualTo(failuresWhenDown);

      try (var restarted = TcpBackends.named("order-1", port1)) {
        await().atMost(BOUND).until(() -> backend1.state() == BackendState.UP);
        List<BackendHealth.Transition> history = slb.healthChecks().of(backend1).history();
        assertThat(history)
            .extracting(BackendHealth.Transition::to)
            .containsExactly(BackendState.DOWN, BackendState.UP);
        assertThat(history.get(0).reason()).startsWith("3 checks failed, last: ");
        assertThat(history.get(1).reason()).isEqualTo("2 checks passed");

        List<String> after = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          after.add(firstLine(vip));
        }
        assertThat(after).containsOnly("order-1", "order-2").contains("order-1");
      }
    }
  }

  @Test
  void clientConnectsThatFailTakeABackendOutAfterFallWithoutWaitingForAProbe() throws Exception {
    var order1 = TcpBackends.named("order-1");
    try (var order2 = TcpBackends.named("order-2");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(order1.hostPort(), order2.hostPort())
                        .instance("slb-passive")
                        // Probes an hour apart: whatever happens here is the traffic's doing.
                        .healthCheck(HealthCheck.tcp(3_600_000, 500, 2, 3))
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Backend backend1 = slb.backends().backends().get(0);
      for (int i = 0; i < 4; i++) {
        firstLine(vip); // both reached: backend 1 has a clean record
      }

      order1.close();
      // Closing a ServerSocket while its thread waits in accept() frees the listening socket only
      // once that accept() has been interrupted: a connect in between is taken, then reset (the
      // client saw no line once in CI). Dead means refusing, as a killed process's port does.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> ServerLeftovers.assertRefused(order1.address()));
      List<String> reached = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        reached.add(firstLine(vip));
      }

      assertThat(reached).as("each failed connect retried on the other").containsOnly("order-2");
      assertThat(backend1.state()).isEqualTo(BackendState.DOWN);
      assertThat(connectFailures(slb, order1.hostPort()))
          .as("three clients found it dead, then it was out of rotation")
          .isEqualTo(3);
      assertThat(slb.healthChecks().of(backend1).history())
          .singleElement()
          .satisfies(
              t -> assertThat(t.reason()).startsWith("3 checks failed, last: client connect"));
    }
  }

  @Test
  void anOpenPortIsNotEnoughWhileTheHttpCheckSaysNotReady() throws Exception {
    AtomicInteger readiness = new AtomicInteger(503);
    AtomicInteger probes = new AtomicInteger();
    HttpServer actuator =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    actuator.createContext(
        "/actuator/health/readiness",
        exchange -> {
          probes.incrementAndGet();
          exchange.sendResponseHeaders(readiness.get(), -1);
          exchange.close();
        });
    actuator.start();
    try (var order1 = TcpBackends.named("order-1");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(order1.hostPort())
                        .instance("slb-httpchk")
                        .healthCheck(
                            HealthCheck.http(
                                actuator.getAddress().getPort(),
                                "/actuator/health/readiness",
                                100,
                                500,
                                2,
                                3))
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Backend backend = slb.backends().backends().get(0);

      // Never seen healthy: the first failed check takes it out, as HAProxy does at start.
      await().atMost(BOUND).until(() -> backend.state() == BackendState.DOWN);
      assertThat(firstLine(vip)).as("closed at once, nothing in rotation").isNull();
      assertThat(adminHealth(slb)).contains("0/1 backends up", "(HTTP 503)");

      int probesBefore = probes.get();
      await().atMost(BOUND).until(() -> probes.get() >= probesBefore + 5);
      assertThat(slb.healthChecks().of(backend).history())
          .as("a state change is recorded (and logged) once, not once per failed check")
          .hasSize(1);

      readiness.set(200);
      await().atMost(BOUND).until(() -> backend.state() == BackendState.UP);
      assertThat(firstLine(vip)).isEqualTo("order-1");
    } finally {
      actuator.stop(0);
    }
  }
}
