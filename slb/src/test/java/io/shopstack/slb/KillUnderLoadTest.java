package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthCheck;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reliability check, counted: under a steady load, one of two backends is killed. Only
 * the requests in flight on it fail; after {@code fall} failed connects no new connection goes to
 * it (the others were retried on the live one); started again, it rejoins after {@code rise}
 * passing checks.
 */
class KillUnderLoadTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final int CLIENTS = 4;

  private static double metric(SlbServer slb, String name, String backend) {
    return slb.registry().get(name).tag("backend", backend).counter().count();
  }

  @Test
  void onlyTheRequestsInFlightOnAKilledBackendFailAndItRejoinsAfterRise() throws Exception {
    AtomicInteger answered1 = new AtomicInteger();
    AtomicInteger answered2 = new AtomicInteger();
    var order1 = TcpBackends.answering("order-1", answered1);
    int port1 = order1.port();
    String name1 = order1.hostPort();
    try (var order2 = TcpBackends.answering("order-2", answered2);
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(name1, order2.hostPort())
                        .healthCheck(HealthCheck.tcp(100, 500, 2, 3))
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Backend backend1 = slb.backends().backends().get(0);
      try (ConnectionLoad load = new ConnectionLoad(vip, CLIENTS, BOUND.multipliedBy(3))) {
        await().atMost(BOUND).until(() -> answered1.get() >= 50 && answered2.get() >= 50);

        order1.kill();
        await().atMost(BOUND).until(() -> backend1.state() == BackendState.DOWN);
        // Nothing new reaches it now, so these are final: every connection spliced to it that it
        // did not answer was in flight when it died.
        double spliced1 = metric(slb, "slb_backend_connections", name1);
        int inFlight = (int) spliced1 - answered1.get();
        int failuresAtDown = load.failures.get();
        double connectFailuresAtDown = metric(slb, "slb_backend_connect_failures", name1);

        int servedByOrder2 = answered2.get();
        await().atMost(BOUND).until(() -> answered2.get() >= servedByOrder2 + 200);
        assertThat(metric(slb, "slb_backend_connect_failures", name1))
            .as("after fall, no new connection tried the dead one")
            .isEqualTo(connectFailuresAtDown)
            // fall = 3, plus the attempts other clients had under way when the third failed
            .isLessThanOrEqualTo(3 + CLIENTS - 1);
        assertThat(metric(slb, "slb_backend_connections", name1)).isEqualTo(spliced1);

        try (var restarted = TcpBackends.answering("order-1", answered1, port1)) {
          await().atMost(BOUND).until(() -> backend1.state() == BackendState.UP);
          assertThat(slb.healthChecks().of(backend1).history())
              .extracting(BackendHealth.Transition::reason)
              .last()
              .isEqualTo("2 checks passed");
          int answeredAtRejoin = answered1.get();
          await().atMost(BOUND).until(() -> answered1.get() >= answeredAtRejoin + 50);
          load.close();

          assertThat(inFlight).as("at most one request per client").isBetween(0, CLIENTS);
          assertThat(load.failures.get())
              .as("failed: only requests in flight on it at the kill (%d)", inFlight)
              .isLessThanOrEqualTo(inFlight)
              .isEqualTo(failuresAtDown);
          assertThat(load.served.get()).isGreaterThan(400);
        }
      }
    }
  }
}
