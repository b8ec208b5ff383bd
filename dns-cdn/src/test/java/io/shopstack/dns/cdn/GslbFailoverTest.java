package io.shopstack.dns.cdn;

import static io.shopstack.dns.cdn.GslbClient.edgesFor;
import static io.shopstack.dns.cdn.GslbClient.explanation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover with real health checks: each edge's admin endpoint is the stack's own {@link
 * AdminServer} (what an edge-cache serves its {@code /health} with) on the edge's address, and the
 * GSLB probes it over HTTP as it would a real edge. Stopping an edge is closing that endpoint.
 */
class GslbFailoverTest {
  private static final String NORTH = "127.28.1.0/24";
  private static final String SOUTH = "127.28.2.0/24";
  private static final String NORTH_EDGE = "127.28.1.20";
  private static final String SOUTH_EDGE = "127.28.2.20";
  private static final Duration FAILOVER = Duration.ofSeconds(15);

  @TempDir Path dir;
  private AdminServer north;
  private AdminServer south;
  private int northPort;
  private CdnDnsServer gslb;
  private Path configFile;

  private static AdminServer edge(String name, String address, int port) throws Exception {
    return new AdminServer(
            name, new InetSocketAddress(address, port), Metrics.registry(name), Health::healthy)
        .start();
  }

  /** The shipped dns-cdn.yml, the edges' health URLs pointed at the test's edge endpoints. */
  private String config(String extraNorthSubnet) throws Exception {
    return ConfigLoader.readText("classpath:dns-cdn.yml")
        .replace(
            "region: north, weight: 1}",
            "region: north, weight: 1, health: \"http://"
                + NORTH_EDGE
                + ":"
                + northPort
                + "/health\"}")
        .replace(
            "region: south, weight: 1}",
            "region: south, weight: 1, health: \"http://"
                + SOUTH_EDGE
                + ":"
                + south.port()
                + "/health\"}")
        .replace(
            "subnets: [\"${SHOP_NET:-127}.28.1.0/24\"]",
            "subnets: [\"${SHOP_NET:-127}.28.1.0/24\"" + extraNorthSubnet + "]");
  }

  private CdnDnsConfig load() {
    return ConfigLoader.load(
        CdnDnsConfig.class,
        configFile.toString(),
        Map.of(
            "SHOP_INSTANCE", "gslb-failover",
            "SHOP_BIND", "127.0.0.1",
            "SHOP_DNS_PORT", "0",
            "SHOP_ADMIN_PORT", "0",
            "SHOP_GSLB_CHECK_MILLIS", "100",
            "SHOP_GSLB_TTL", "1"));
  }

  @BeforeEach
  void start() throws Exception {
    north = edge("edge-north-admin", NORTH_EDGE, 0);
    northPort = north.port();
    south = edge("edge-south-admin", SOUTH_EDGE, 0);
    configFile = dir.resolve("dns-cdn.yml");
    Files.writeString(configFile, config(""));
    gslb = new CdnDnsServer(load(), this::load).start();
  }

  @AfterEach
  void stop() {
    gslb.close();
    north.close();
    south.close();
  }

  private String admin(String path) {
    return "http://127.0.0.1:" + gslb.adminPort() + path;
  }

  @Test
  void northClientsFailOverToSouthWhenTheNorthEdgeStopsAndComeBackAfterItsRestart()
      throws Exception {
    assertThat(edgesFor(gslb.dnsPort(), NORTH)).containsExactly(NORTH_EDGE);

    north.close();
    await("north clients sent south")
        .atMost(FAILOVER)
        .until(() -> edgesFor(gslb.dnsPort(), NORTH).equals(java.util.List.of(SOUTH_EDGE)));
    assertThat(explanation(gslb.dnsPort(), NORTH))
        .contains("region north scope /24", "north:edge-north=down", "failover -> south");
    assertThat(
            MetricsScrape.of(gslb.adminPort())
                .value("gslb_failovers_total", Map.of("from", "north", "to", "south")))
        .isPositive();
    assertThat(Curl.run("-X", "POST", admin("/edges")).body())
        .contains("edge-north 127.28.1.20 region north weight 1 down (last failed check:");

    north = edge("edge-north-admin", NORTH_EDGE, northPort);
    await("north clients back north")
        .atMost(FAILOVER)
        .until(() -> edgesFor(gslb.dnsPort(), NORTH).equals(java.util.List.of(NORTH_EDGE)));
    assertThat(explanation(gslb.dnsPort(), NORTH)).contains("home -> north edge-north");
    assertThat(preparedAnswers()).as("A answers taken by the fast path").isPositive();
  }

  private double preparedAnswers() {
    return MetricsScrape.of(gslb.adminPort()).value("gslb_prepared_answers_total", Map.of());
  }

  @Test
  void aDrainedEdgeLeavesTheAnswersAtOnceAndAnUndrainedOneComesBack() throws Exception {
    Curl.Response drained = Curl.run("-X", "POST", admin("/edges/edge-south/drain"));
    assertThat(drained.status()).isEqualTo(200);
    assertThat(drained.body()).contains("edge-south 127.28.2.20 region south weight 1 drained");
    // No wait: the very next answer.
    assertThat(edgesFor(gslb.dnsPort(), SOUTH)).containsExactly(NORTH_EDGE);
    assertThat(Curl.run("-X", "POST", admin("/decisions")).body())
        .contains(
            "shop.cdn.example. clients of south: failover -> north edge-north(127.28.1.20) weight 1"
                + " ; candidates south:edge-south=drained north:edge-north=up",
            "shop.cdn.example. clients of north: home -> north edge-north(127.28.1.20) weight 1");
    assertThat(explanation(gslb.dnsPort(), SOUTH)).contains("south:edge-south=drained");

    assertThat(Curl.run("-X", "POST", admin("/edges/edge-south/undrain")).status()).isEqualTo(200);
    assertThat(edgesFor(gslb.dnsPort(), SOUTH)).containsExactly(SOUTH_EDGE);
    assertThat(preparedAnswers()).as("A answers taken by the fast path").isEqualTo(2);
    // No such edge, so no such action on the admin port.
    assertThat(Curl.run("-X", "POST", admin("/edges/edge-east/drain")).status()).isEqualTo(405);
  }

  @Test
  void withEveryEdgeDownEveryEdgeIsAnsweredAndTheMetricsSaySo() throws Exception {
    north.close();
    south.close();
    await("fail open").atMost(FAILOVER).until(() -> edgesFor(gslb.dnsPort(), NORTH).size() == 2);
    assertThat(edgesFor(gslb.dnsPort(), SOUTH)).containsExactlyInAnyOrder(NORTH_EDGE, SOUTH_EDGE);
    assertThat(explanation(gslb.dnsPort(), NORTH)).contains("fail-open -> all");
    assertThat(MetricsScrape.of(gslb.adminPort()).value("gslb_fail_open_total", Map.of()))
        .isPositive();
    assertThat(
            MetricsScrape.of(gslb.adminPort()).value("gslb_edge_up", Map.of("edge", "edge-north")))
        .isZero();
  }

  @Test
  void reloadReadsTheRegionMapAgainAndABrokenOneKeepsTheOldServing() throws Exception {
    String third = "127.28.3.0/24";
    assertThat(explanation(gslb.dnsPort(), third)).contains("region none");

    Files.writeString(configFile, config(", \"127.28.3.0/24\""));
    Curl.Response reloaded = Curl.run("-X", "POST", admin("/reload"));
    assertThat(reloaded.status()).isEqualTo(200);
    assertThat(reloaded.body()).contains("region map: north, south");
    assertThat(edgesFor(gslb.dnsPort(), third)).containsExactly(NORTH_EDGE);
    assertThat(explanation(gslb.dnsPort(), third)).contains("region north scope /24");

    Files.writeString(configFile, config(", \"127.28.3.7/24\""));
    Curl.Response rejected = Curl.run("-X", "POST", admin("/reload"));
    assertThat(rejected.status()).isEqualTo(422);
    assertThat(rejected.body()).contains("rejected", "host bits");
    assertThat(edgesFor(gslb.dnsPort(), third)).containsExactly(NORTH_EDGE);
    assertThat(preparedAnswers()).as("A answers taken by the fast path").isEqualTo(2);
  }
}
