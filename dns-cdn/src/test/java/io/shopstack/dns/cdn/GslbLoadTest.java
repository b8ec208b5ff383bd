package io.shopstack.dns.cdn;

import static io.shopstack.dns.cdn.GslbClient.edgesFor;
import static io.shopstack.dns.cdn.GslbClient.explanation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.Curl;
import io.shopstack.common.testing.MetricsScrape;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-aware weights against real admin endpoints: two north edges, each an {@link AdminServer}
 * (what an edge-cache serves {@code /metrics} with) reporting its open client connections as the
 * gauge the GSLB reads. A hot edge sheds new clients; small wobbles of its load do not move its
 * weight (hysteresis).
 */
class GslbLoadTest {
  private static final String NORTH = "127.28.1.0/24";
  private static final Duration READ = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final AtomicInteger hotConnections = new AtomicInteger();
  private final AtomicInteger coolConnections = new AtomicInteger();
  private AdminServer hot;
  private AdminServer cool;
  private CdnDnsServer gslb;

  private static AdminServer edge(String name, String address, AtomicInteger connections)
      throws Exception {
    PrometheusMeterRegistry registry = Metrics.registry(name);
    Gauge.builder("edge_client_connections_open", connections, AtomicInteger::get)
        .register(registry);
    return new AdminServer(name, new InetSocketAddress(address, 0), registry, Health::healthy)
        .start();
  }

  @BeforeEach
  void start() throws Exception {
    hot = edge("edge-north-hot", "127.28.1.20", hotConnections);
    cool = edge("edge-north-cool", "127.28.1.21", coolConnections);
    String config =
        ConfigLoader.readText("classpath:dns-cdn.yml")
            .replace(
                "    - {name: edge-north, address: \"${SHOP_NET:-127}.28.1.20\", region: north,"
                    + " weight: 1}",
                "    - {name: edge-north, address: 127.28.1.20, region: north, health:"
                    + " \"http://127.28.1.20:"
                    + hot.port()
                    + "/health\"}\n"
                    + "    - {name: edge-north-2, address: 127.28.1.21, region: north, health:"
                    + " \"http://127.28.1.21:"
                    + cool.port()
                    + "/health\"}")
            .replace(
                "edges: [edge-north, edge-south]", "edges: [edge-north, edge-north-2, edge-south]");
    assertThat(config).contains("edge-north-2, edge-south");
    Path file = dir.resolve("dns-cdn.yml");
    Files.writeString(file, config);
    gslb =
        new CdnDnsServer(
                ConfigLoader.load(
                    CdnDnsConfig.class,
                    file.toString(),
                    Map.of(
                        "SHOP_INSTANCE", "gslb-load",
                        "SHOP_BIND", "127.0.0.1",
                        "SHOP_DNS_PORT", "0",
                        "SHOP_ADMIN_PORT", "0",
                        "SHOP_GSLB_CHECK_MILLIS", "0",
                        "SHOP_GSLB_LOAD_MILLIS", "50",
                        "SHOP_GSLB_LOAD_CAPACITY", "100")))
            .start();
  }

  @AfterEach
  void stop() {
    gslb.close();
    hot.close();
    cool.close();
  }

  private double gauge(String name, String edge) {
    return MetricsScrape.of(gslb.adminPort()).value(name, Map.of("edge", edge));
  }

  /** Sets the hot edge's connections and waits until the GSLB has read that figure. */
  private void hotReports(int connections) {
    hotConnections.set(connections);
    await("the GSLB reads load " + connections)
        .atMost(READ)
        .until(() -> gauge("gslb_edge_load", "edge-north") == connections);
  }

  @Test
  void aHotEdgeShedsNewClientsAndSmallWobblesDoNotMoveItsWeight() throws Exception {
    hotReports(0);
    assertThat(gauge("gslb_edge_weight", "edge-north")).isEqualTo(10);
    assertThat(gauge("gslb_edge_weight", "edge-north-2")).isEqualTo(10);

    hotReports(95); // nearly full: the smallest step
    assertThat(gauge("gslb_edge_weight", "edge-north")).isEqualTo(1);
    assertThat(explanation(gslb.dnsPort(), NORTH))
        .contains("north:edge-north=up(weight 1)", "north:edge-north-2=up(weight 10)");
    Map<String, Integer> answers = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      edgesFor(gslb.dnsPort(), NORTH).forEach(a -> answers.merge(a, 1, Integer::sum));
    }
    // Odds 1 in 11 for the hot edge: about 27 of 300. Far from even (150), and never all.
    assertThat(answers.getOrDefault("127.28.1.20", 0)).isBetween(1, 74);
    assertThat(answers.getOrDefault("127.28.1.21", 0)).isGreaterThan(225);

    hotReports(86); // less than a step (10 connections) below the boundary: stays
    assertThat(gauge("gslb_edge_weight", "edge-north")).isEqualTo(1);
    hotReports(70); // two steps down: moves
    assertThat(gauge("gslb_edge_weight", "edge-north")).isEqualTo(3);
    hotReports(75); // half a step back: stays
    assertThat(gauge("gslb_edge_weight", "edge-north")).isEqualTo(3);
    assertThat(Curl.run("-X", "POST", "http://127.0.0.1:" + gslb.adminPort() + "/edges").body())
        .contains("edge-north 127.28.1.20 region north weight 1 up load 75 weight now 3");
  }
}
