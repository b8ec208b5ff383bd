package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adding and removing backends inside a running SLB through its runtime API, as an HAProxy operator
 * does with {@code add server} / {@code del server} on the stats socket: an open splice through a
 * removed backend keeps flowing until it closes, new connections go only to the new set, and an
 * added backend takes traffic only once its checks have passed.
 */
class RuntimeApiTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final HealthCheck FAST_CHECKS = HealthCheck.tcp(100, 500, 2, 3);

  /** What an operator's {@code echo CMD | socat stdio TCP:...} prints: the answer up to the end. */
  static String command(InetSocketAddress api, String line) throws IOException {
    try (Socket socket = new Socket(api.getAddress(), api.getPort())) {
      socket.setSoTimeout((int) BOUND.toMillis());
      socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static SlbServer slb(HealthCheck checks, String... backends) throws InterruptedException {
    return new SlbServer(
            SlbConfigs.inFrontOf(backends)
                .shutdownSeconds(1)
                .healthCheck(checks)
                .runtimeApi("127.0.0.1:0")
                .build())
        .start();
  }

  @Test
  void aRemovedBackendsOpenSpliceFlowsOnWhileNewClientsGoOnlyToTheNewSet() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        var order3 = TcpBackends.namedEcho("order-3");
        SlbServer slb = slb(FAST_CHECKS, order1.hostPort(), order2.hostPort())) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      InetSocketAddress api = slb.runtimeApiAddress();
      Backend backend1 = slb.backends().backends().get(0);
      try (NamedSession first = new NamedSession(vip);
          NamedSession second = new NamedSession(vip)) {
        NamedSession onOrder1 = first.backend.equals("order-1") ? first : second;
        assertThat(onOrder1.backend).isEqualTo("order-1");

        String added = command(api, "add server shop/" + order3.hostPort() + " weight 1");
        assertThat(added)
            .startsWith(order3.hostPort() + " added, DOWN, in rotation once its checks pass")
            .endsWith("\n\n");
        Backend backend3 = slb.backends().find(order3.hostPort());
        await().atMost(BOUND).until(backend3::inRotation);
        assertThat(slb.healthChecks().of(backend3).history())
            .extracting(BackendHealth.Transition::reason)
            .containsExactly("added, 2 checks must pass", "2 checks passed");

        assertThat(command(api, "del server shop/" + order1.hostPort()))
            .isEqualTo(order1.hostPort() + " removed, 1 connections open finish on it\n\n");
        assertThat(slb.backends().backends())
            .extracting(Backend::name)
            .containsExactly(order2.hostPort(), order3.hostPort());

        assertThat(NamedSession.backendsOfNewSessions(vip, 12))
            .as("new connections: only the new set, both of it")
            .containsOnly("order-2", "order-3")
            .contains("order-2", "order-3");
        assertThat(onOrder1.echo("still flowing")).isEqualTo("still flowing");
        assertThat(onOrder1.echo("and again")).isEqualTo("and again");
        assertThat(backend1.activeConnections()).isEqualTo(1);
        String tag = "backend=\"" + order1.hostPort() + "\"";
        assertThat(
                MetricsScrape.of(slb.adminPort())
                    .value("slb_backend_connections_active", Map.of("backend", order1.hostPort())))
            .as("the removed backend's series stay while it drains")
            .isEqualTo(1.0);

        onOrder1.close();
        await().atMost(BOUND).until(() -> backend1.activeConnections() == 0);
        await().atMost(BOUND).until(() -> !MetricsScrape.of(slb.adminPort()).text().contains(tag));
        assertThat(command(api, "show servers state"))
            .doesNotContain(order1.hostPort())
            .contains(order2.hostPort() + " UP ready 1 0 ", order3.hostPort() + " UP ready 1 0 ");
      }
    }
  }

  @Test
  void anAddedBackendThatFailsItsChecksNeverGetsTraffic() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = slb(FAST_CHECKS, order1.hostPort())) {
      String dead = TcpBackends.deadHostPort();
      assertThat(command(slb.runtimeApiAddress(), "add server " + dead))
          .startsWith(dead + " added, DOWN");
      Backend added = slb.backends().find(dead);
      // Several probe intervals: it has been checked and is still out.
      await()
          .atMost(BOUND)
          .until(() -> slb.healthChecks().of(added).lastFailure().contains("refused"));
      assertThat(added.state()).isEqualTo(BackendState.DOWN);
      assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 6))
          .containsOnly("order-1");
      assertThat(added.activeConnections()).isZero();
    }
  }

  @Test
  void initStateUpTakesTrafficAtOnceAndWithoutChecksAnAddedBackendIsUp() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb = slb(HealthCheck.NONE, order1.hostPort())) {
      assertThat(command(slb.runtimeApiAddress(), "add server " + order2.hostPort()))
          .startsWith(order2.hostPort() + " added, UP, in rotation");
      assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 4))
          .contains("order-1", "order-2");
    }
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb = slb(HealthCheck.tcp(60_000, 500, 2, 3), order1.hostPort())) {
      assertThat(
              command(
                  slb.runtimeApiAddress(), "add server " + order2.hostPort() + " init-state up"))
          .startsWith(order2.hostPort() + " added, UP, in rotation");
      assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 4))
          .contains("order-1", "order-2");
    }
  }

  @Test
  void stateAndWeightAreSetAndMistakesAreRefusedWithoutChangingAnything() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb = slb(HealthCheck.NONE, order1.hostPort(), order2.hostPort())) {
      InetSocketAddress api = slb.runtimeApiAddress();
      InetSocketAddress vip = slb.listenAddresses().get(0);
      assertThat(command(api, "set server " + order1.hostPort() + " state drain"))
          .startsWith(order1.hostPort() + " drain (was ready), UP, 0 connections open");
      assertThat(NamedSession.backendsOfNewSessions(vip, 4)).containsOnly("order-2");
      assertThat(command(api, "set server " + order1.hostPort() + " state ready"))
          .startsWith(order1.hostPort() + " ready (was drain)");
      assertThat(command(api, "set server " + order2.hostPort() + " weight 0"))
          .isEqualTo(order2.hostPort() + " weight 0 (was 1)\n\n");
      assertThat(NamedSession.backendsOfNewSessions(vip, 4)).containsOnly("order-1");

      assertThat(command(api, "add server " + order1.hostPort()))
          .isEqualTo("error: " + order1.hostPort() + " is already in the pool\n\n");
      assertThat(command(api, "del server 127.0.0.1:1"))
          .isEqualTo("error: no backend 127.0.0.1:1 in frontend shop\n\n");
      assertThat(command(api, "set server " + order1.hostPort() + " state sleep"))
          .startsWith("error: backend state must be ready, drain or maint");
      assertThat(command(api, "add server " + order1.hostPort() + " weight heavy"))
          .isEqualTo("error: not a number: heavy\n\n");
      assertThat(command(api, "reload"))
          .isEqualTo("error: this SLB was not started from a file to reload\n\n");
      assertThat(command(api, "shutdown")).startsWith("error: unknown command 'shutdown'");
      assertThat(command(api, "x".repeat(2000)))
          .as("answered, without waiting for a newline")
          .isEqualTo("error: line longer than 1024 bytes\n\n");
      assertThat(command(api, "del server " + order2.hostPort())).startsWith(order2.hostPort());
      assertThat(command(api, "del server " + order1.hostPort()))
          .isEqualTo(
              "error: " + order1.hostPort() + " is the pool's last backend; drain it instead\n\n");
      assertThat(slb.backends().backends())
          .extracting(Backend::name)
          .containsExactly(order1.hostPort());
      assertThat(NamedSession.backendsOfNewSessions(vip, 2)).containsOnly("order-1");
    }
  }

  @Test
  void severalCommandsOnOneConnectionAreAnsweredInOrder() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb = slb(HealthCheck.NONE, order1.hostPort())) {
      InetSocketAddress api = slb.runtimeApiAddress();
      try (Socket socket = new Socket(api.getAddress(), api.getPort())) {
        socket.setSoTimeout((int) BOUND.toMillis());
        var in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        socket
            .getOutputStream()
            .write(
                ("add server " + order2.hostPort() + "\nshow servers state\n")
                    .getBytes(StandardCharsets.UTF_8));
        assertThat(in.readLine()).startsWith(order2.hostPort() + " added");
        assertThat(in.readLine()).isEmpty();
        assertThat(in.readLine()).startsWith("# frontend name state admin");
        assertThat(List.of(in.readLine(), in.readLine()))
            .containsExactly(
                "shop " + order1.hostPort() + " UP ready 1 0 0",
                "shop " + order2.hostPort() + " UP ready 1 0 0");
      }
    }
  }

  private static SlbServer atLevel(String level, String backend) throws InterruptedException {
    return new SlbServer(
            SlbConfigs.inFrontOf(backend)
                .instance("slb-" + level)
                .shutdownSeconds(1)
                .runtimeApi("127.0.0.1:0")
                .runtimeApiLevel(level)
                .build())
        .start();
  }

  /**
   * HAProxy's socket levels: a {@code user} socket shows, an {@code operator} socket also sets
   * servers' state and weight, only {@code admin} (the default) adds, deletes, reloads and hands
   * the listeners over. A refused command changes nothing.
   */
  @Test
  void eachLevelMayDoWhatHaproxysLevelOfThatNameMay() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer operator = atLevel("operator", order1.hostPort());
        SlbServer user = atLevel("user", order1.hostPort())) {
      InetSocketAddress asOperator = operator.runtimeApiAddress();
      InetSocketAddress asUser = user.runtimeApiAddress();

      assertThat(command(asUser, "show servers state")).contains(order1.hostPort() + " UP ready");
      assertThat(command(asUser, "set server " + order1.hostPort() + " state drain"))
          .isEqualTo(
              "error: permission denied: set server needs level operator, this socket is user\n\n");
      assertThat(user.backends().backends().get(0).inRotation()).isTrue();

      assertThat(command(asOperator, "set server " + order1.hostPort() + " weight 3"))
          .startsWith(order1.hostPort() + " weight 3 (was 1)");
      for (String adminOnly :
          List.of(
              "add server 127.0.0.1:1", "del server " + order1.hostPort(), "reload", "_getsocks")) {
        assertThat(command(asOperator, adminOnly))
            .as(adminOnly)
            .startsWith("error: permission denied: ")
            .contains("needs level admin, this socket is operator");
      }
      assertThat(operator.backends().backends()).hasSize(1);
    }
    assertThatThrownBy(() -> SlbConfigs.inFrontOf("127.0.0.1:1").runtimeApiLevel("root").build())
        .hasMessageContaining("runtimeApiLevel must be user, operator or admin, got 'root'");
  }

  /**
   * Several sockets, as HAProxy's several {@code stats socket} lines: one SLB answers each at its
   * own level, and what the admin socket changes the user socket shows.
   */
  @Test
  void oneSlbServesSeveralSocketsEachAtItsOwnLevel() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(order1.hostPort())
                        .shutdownSeconds(1)
                        .runtimeApi("127.0.0.1:0 level user, 127.0.0.1:0 level admin")
                        .build())
                .start()) {
      List<InetSocketAddress> sockets = slb.runtimeApiAddresses();
      assertThat(sockets).hasSize(2);
      InetSocketAddress asUser = sockets.get(0);
      InetSocketAddress asAdmin = sockets.get(1);

      assertThat(command(asUser, "add server " + order2.hostPort()))
          .isEqualTo(
              "error: permission denied: add server needs level admin, this socket is user\n\n");
      assertThat(slb.backends().backends()).hasSize(1);
      assertThat(command(asAdmin, "add server " + order2.hostPort() + " init-state up"))
          .doesNotStartWith("error");
      assertThat(command(asUser, "show servers state"))
          .contains(order1.hostPort() + " UP ready")
          .contains(order2.hostPort() + " UP ready");
    }
  }
}
