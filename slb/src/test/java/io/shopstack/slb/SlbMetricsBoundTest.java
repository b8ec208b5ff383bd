package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.MetricsScrape;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every SLB label comes from its configuration (the backends), never from the wire: whatever
 * clients send, /metrics has the series it had at start.
 */
class SlbMetricsBoundTest {
  private static final int CONNECTIONS = 300;

  @Test
  void trafficChangesValuesButNeverAddsSeries() throws Exception {
    try (var order = TcpBackends.echo()) {
      SlbConfig config =
          SlbConfigs.inFrontOf(order.hostPort(), TcpBackends.deadHostPort())
              .instance("slb-bounded")
              .build();
      try (SlbServer slb = new SlbServer(config).start()) {
        MetricsScrape before = MetricsScrape.of(slb.adminPort());
        var vip = slb.listenAddresses().get(0);

        for (int i = 0; i < CONNECTIONS; i++) {
          try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
            client
                .getOutputStream()
                .write(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
          }
        }

        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  MetricsScrape after = MetricsScrape.of(slb.adminPort());
                  assertThat(after.value("slb_connections_accepted_total", Map.of()))
                      .isEqualTo(CONNECTIONS);
                  assertThat(after.value("slb_connections_active", Map.of())).isZero();
                  assertThat(after.seriesCount()).isEqualTo(before.seriesCount());
                });
      }
    }
  }
}
