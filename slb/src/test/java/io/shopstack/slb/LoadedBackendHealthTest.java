package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the local topology showed under heavy load: both order instances marked DOWN while they were
 * alive, because client connects that timed out in a burst counted as failed checks. A live backend
 * whose accept queue is full (connects time out; the kernel drops the SYNs) must be judged by a
 * probe, not by the data path's worst moment; a refused connect still counts at once ({@code
 * HealthCheckTest}).
 */
class LoadedBackendHealthTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  /**
   * A listening socket whose accept queue is full and that never accepts: the kernel completes no
   * further handshake, so connects to it time out, as to a backend swamped by load.
   */
  private static final class FullAcceptQueue implements AutoCloseable {
    final ServerSocket server;
    final List<Socket> fillers = new ArrayList<>();

    FullAcceptQueue() throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      for (int i = 0; i < 10; i++) {
        Socket filler = new Socket();
        try {
          filler.connect(server.getLocalSocketAddress(), 300);
          fillers.add(filler);
        } catch (SocketTimeoutException full) {
          filler.close();
          return;
        }
      }
      throw new IllegalStateException("the accept queue never filled");
    }

    String hostPort() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      for (Socket filler : fillers) {
        filler.close();
      }
      server.close();
    }
  }

  private static List<String> firstLines(InetSocketAddress vip, int clients) throws IOException {
    return NamedSession.backendsOfNewSessions(vip, clients);
  }

  @Test
  void connectTimeoutsAskForAProbeAndABackendWhoseCheckPassesStaysUp() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    HttpServer actuator =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    actuator.createContext(
        "/ready",
        exchange -> {
          probes.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    actuator.start();
    try (var swamped = new FullAcceptQueue();
        var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(swamped.hostPort(), order1.hostPort())
                        .shutdownSeconds(1)
                        .connectTimeoutMillis(200)
                        // Scheduled probes an hour apart: any probe here is one the data path
                        // asked for. The check port answers, as an actuator does while the
                        // service port is swamped.
                        .healthCheck(
                            HealthCheck.http(
                                actuator.getAddress().getPort(), "/ready", 3_600_000, 2000, 2, 3))
                        .build())
                .start()) {
      Backend loaded = slb.backends().find(swamped.hostPort());

      assertThat(firstLines(slb.listenAddresses().get(0), 8))
          .as("each client that timed out on it was redispatched")
          .containsOnly("order-1");
      await().atMost(BOUND).until(() -> probes.get() >= 1);
      double timedOut =
          MetricsScrape.of(slb.adminPort())
              .value("slb_backend_connect_failures_total", Map.of("backend", swamped.hostPort()));
      assertThat(timedOut).as("clients did time out on it").isGreaterThanOrEqualTo(3);
      assertThat(loaded.state())
          .as("started 'just risen', one counted failure would have taken it out")
          .isEqualTo(BackendState.UP);
      assertThat(slb.healthChecks().of(loaded).history()).isEmpty();
    } finally {
      actuator.stop(0);
    }
  }

  @Test
  void whenTheProbeTimesOutTooTheBackendLeaves() throws Exception {
    try (var swamped = new FullAcceptQueue();
        var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(swamped.hostPort(), order1.hostPort())
                        .shutdownSeconds(1)
                        .connectTimeoutMillis(200)
                        .healthCheck(HealthCheck.tcp(3_600_000, 300, 2, 3))
                        .build())
                .start()) {
      Backend loaded = slb.backends().find(swamped.hostPort());
      InetSocketAddress vip = slb.listenAddresses().get(0);

      await()
          .atMost(BOUND)
          .until(
              () -> {
                firstLines(vip, 2);
                return loaded.state() == BackendState.DOWN;
              });
      assertThat(slb.healthChecks().of(loaded).history())
          .extracting(BackendHealth.Transition::reason)
          .singleElement()
          .asString()
          .endsWith("checks failed, last: timeout after 300 ms");
      assertThat(firstLines(vip, 4)).containsOnly("order-1");
    }
  }
}
