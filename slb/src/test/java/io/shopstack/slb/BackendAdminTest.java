package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthCheck;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator draining and servicing a backend through the admin port, as with HAProxy's {@code set
 * server ... state drain|maint|ready}: new connections avoid it, open ones carry on.
 */
class BackendAdminTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  /** The admin client's keep-alive connection would hold a stopping SLB for the whole deadline. */
  private static SlbConfigs configured(String... backends) {
    return SlbConfigs.inFrontOf(backends).shutdownSeconds(1);
  }

  private static HttpResponse<String> post(SlbServer slb, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slb.adminPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String health(SlbServer slb) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slb.adminPort() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aDrainedBackendTakesNoNewConnectionsWhileItsOpenOnesCarryOn() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb =
            new SlbServer(
                    configured(order1.hostPort(), order2.hostPort())
                        .healthCheck(HealthCheck.NONE)
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Backend backend1 = slb.backends().backends().get(0);
      try (NamedSession first = new NamedSession(vip);
          NamedSession second = new NamedSession(vip)) {
        NamedSession onOrder1 = first.backend.equals("order-1") ? first : second;
        assertThat(List.of(first.backend, second.backend))
            .containsExactlyInAnyOrder("order-1", "order-2");

        var drained = post(slb, "/backends/" + order1.hostPort() + "/drain");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).startsWith(order1.hostPort() + " drain (was ready)");
        assertThat(backend1.adminState()).isEqualTo(AdminState.DRAIN);
        assertThat(health(slb)).contains(order1.hostPort() + " UP drain");

        assertThat(NamedSession.backendsOfNewSessions(vip, 6)).containsOnly("order-2");
        assertThat(onOrder1.echo("still here"))
            .as("the open one carries on")
            .isEqualTo("still here");
        assertThat(backend1.activeConnections()).isEqualTo(1);
        onOrder1.close();
        await().atMost(BOUND).until(() -> backend1.activeConnections() == 0);

        assertThat(post(slb, "/backends/" + order1.hostPort() + "/ready").statusCode())
            .isEqualTo(200);
        assertThat(NamedSession.backendsOfNewSessions(vip, 4)).contains("order-1", "order-2");
      }
    }
  }

  @Test
  void aBackendBackFromMaintenanceMustPassItsChecksFirst() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb =
            new SlbServer(
                    configured(order1.hostPort(), order2.hostPort())
                        .healthCheck(HealthCheck.tcp(100, 500, 2, 3))
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Backend backend1 = slb.backends().backends().get(0);

      assertThat(post(slb, "/backends/" + order1.hostPort() + "/maint").statusCode())
          .isEqualTo(200);
      assertThat(NamedSession.backendsOfNewSessions(vip, 4)).containsOnly("order-2");

      assertThat(post(slb, "/backends/" + order1.hostPort() + "/ready").body())
          .startsWith(order1.hostPort() + " ready (was maint), DOWN");
      await().atMost(BOUND).until(() -> backend1.state() == BackendState.UP);
      assertThat(slb.healthChecks().of(backend1).history())
          .extracting(BackendHealth.Transition::reason)
          .containsExactly("left maintenance, 2 checks must pass", "2 checks passed");
      assertThat(NamedSession.backendsOfNewSessions(vip, 4)).contains("order-1");
    }
  }

  @Test
  void aBackendRemovedAtRunTimeIsNoLongerSteeredFromTheAdminPort() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        SlbServer slb =
            new SlbServer(
                    configured(order1.hostPort(), order2.hostPort())
                        .healthCheck(HealthCheck.NONE)
                        .runtimeApi("127.0.0.1:0")
                        .build())
                .start()) {
      assertThat(RuntimeApiTest.command(slb.runtimeApiAddress(), "del server " + order1.hostPort()))
          .startsWith(order1.hostPort() + " removed");
      var refused = post(slb, "/backends/" + order1.hostPort() + "/ready");
      assertThat(refused.statusCode()).isEqualTo(404);
      assertThat(refused.body())
          .isEqualTo("no backend " + order1.hostPort() + " in frontend shop\n");
      assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 4))
          .containsOnly("order-2");
    }
  }

  @Test
  void anUnknownBackendOrStateIsRefused() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = new SlbServer(configured(order1.hostPort()).build()).start()) {
      var noSuchBackend = post(slb, "/backends/127.0.0.1:1/drain");
      assertThat(noSuchBackend.statusCode()).isEqualTo(404);
      assertThat(noSuchBackend.body()).isEqualTo("no backend 127.0.0.1:1 in frontend shop\n");
      var noSuchState = post(slb, "/backends/" + order1.hostPort() + "/sleep");
      assertThat(noSuchState.statusCode()).isEqualTo(404);
      assertThat(noSuchState.body())
          .isEqualTo("backend state must be ready, drain or maint, got 'sleep'\n");
      assertThat(post(slb, "/backends/nothing-here").statusCode()).isEqualTo(404);
      assertThat(post(slb, "/backends/api/" + order1.hostPort() + "/drain").body())
          .isEqualTo("no frontend api; there are shop\n");
      assertThat(slb.backends().backends().get(0).adminState()).isEqualTo(AdminState.READY);
    }
  }
}
