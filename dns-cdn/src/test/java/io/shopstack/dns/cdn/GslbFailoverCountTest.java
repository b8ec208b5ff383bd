package io.shopstack.dns.cdn;

import static io.shopstack.dns.cdn.GslbClient.edgesFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.MetricsScrape;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast failover is, in health checks rather than seconds (the machine's speed must not decide
 * the test): with fall 3 and rise 4, a north client's answers move south exactly when the north
 * edge's third failed check in a row is in, never before, and come back exactly with the fourth
 * passed check after its restart. Each sample reads the edge's check count, asks over DNS (the fast
 * path), and reads the count again; the GSLB counts a check before acting on it. The time each move
 * took is printed as a measurement, not asserted.
 */
class GslbFailoverCountTest {
  private static final String NORTH = "127.28.1.0/24";
  private static final String NORTH_EDGE = "127.28.1.20";
  private static final String SOUTH_EDGE = "127.28.2.20";
  private static final int FALL = 3;
  private static final int RISE = 4;
  private static final int INTERVAL_MILLIS = 1000;

  @TempDir Path dir;
  private AdminServer north;
  private AdminServer south;
  private int northPort;
  private CdnDnsServer gslb;

  /** One look: the edge's count of checks with one result, the answer, and the count again. */
  private record Sample(double before, String answer, double after) {}

  private static AdminServer edge(String name, String address, int port) throws Exception {
    return new AdminServer(
            name, new InetSocketAddress(address, port), Metrics.registry(name), Health::healthy)
        .start();
  }

  @BeforeEach
  void start() throws Exception {
    north = edge("edge-north-count", NORTH_EDGE, 0);
    northPort = north.port();
    south = edge("edge-south-count", SOUTH_EDGE, 0);
    String config =
        ConfigLoader.readText("classpath:dns-cdn.yml")
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
                    + "/health\"}");
    Path file = dir.resolve("dns-cdn.yml");
    Files.writeString(file, config);
    gslb =
        new CdnDnsServer(
                ConfigLoader.load(
                    CdnDnsConfig.class,
                    file.toString(),
                    Map.of(
                        "SHOP_INSTANCE", "gslb-count",
                        "SHOP_BIND", "127.0.0.1",
                        "SHOP_DNS_PORT", "0",
                        "SHOP_ADMIN_PORT", "0",
                        "SHOP_GSLB_CHECK_MILLIS", String.valueOf(INTERVAL_MILLIS),
                        "SHOP_GSLB_FALL", String.valueOf(FALL),
                        "SHOP_GSLB_RISE", String.valueOf(RISE),
                        "SHOP_GSLB_TTL", "1")))
            .start();
  }

  @AfterEach
  void stop() {
    gslb.close();
    north.close();
    south.close();
  }

  private double checks(String result) {
    return MetricsScrape.of(gslb.adminPort())
        .value("gslb_edge_checks_total", Map.of("edge", "edge-north", "result", result));
  }

  /** Samples until the answer is {@code until}; bounded, and the samples are returned. */
  private List<Sample> sampleUntil(String result, String until) {
    List<Sample> samples = new ArrayList<>();
    await("north clients answered " + until)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              double before = checks(result);
              String answer = edgesFor(gslb.dnsPort(), NORTH).get(0);
              samples.add(new Sample(before, answer, checks(result)));
              return answer.equals(until);
            });
    return samples;
  }

  @Test
  void answersMoveWithTheFallThChecksFailureAndComeBackWithTheRiseThPass() throws Exception {
    await("the north edge checked and answered")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                checks("pass") >= 1 && edgesFor(gslb.dnsPort(), NORTH).equals(List.of(NORTH_EDGE)));
    double failedBefore = checks("fail");

    long stopped = System.nanoTime();
    north.close();
    List<Sample> down = sampleUntil("fail", SOUTH_EDGE);
    long movedAway = System.nanoTime() - stopped;
    for (Sample s : down) {
      if (s.answer().equals(SOUTH_EDGE)) {
        assertThat(s.after() - failedBefore)
            .as("failed checks when south was answered")
            .isGreaterThanOrEqualTo(FALL);
      }
      if (s.before() - failedBefore > FALL) {
        assertThat(s.answer()).as("after the %dth failed check", FALL).isEqualTo(SOUTH_EDGE);
      }
      if (s.after() - failedBefore < FALL) {
        assertThat(s.answer()).as("before the %dth failed check", FALL).isEqualTo(NORTH_EDGE);
      }
    }

    double passedBefore = checks("pass");
    long restarted = System.nanoTime();
    north = edge("edge-north-count", NORTH_EDGE, northPort);
    List<Sample> up = sampleUntil("pass", NORTH_EDGE);
    long cameBack = System.nanoTime() - restarted;
    for (Sample s : up) {
      if (s.answer().equals(NORTH_EDGE)) {
        assertThat(s.after() - passedBefore)
            .as("passed checks when north was answered again")
            .isGreaterThanOrEqualTo(RISE);
      }
      if (s.before() - passedBefore > RISE) {
        assertThat(s.answer()).as("after the %dth passed check", RISE).isEqualTo(NORTH_EDGE);
      }
      if (s.after() - passedBefore < RISE) {
        assertThat(s.answer()).as("before the %dth passed check", RISE).isEqualTo(SOUTH_EDGE);
      }
    }
    // A measurement for the report, not a threshold: fall x interval is the floor.
    System.out.printf(
        "failover: answers moved %d ms after the edge stopped (%d samples; fall %d x %d ms),"
            + " came back %d ms after it restarted (%d samples; rise %d x %d ms)%n",
        movedAway / 1_000_000,
        down.size(),
        FALL,
        INTERVAL_MILLIS,
        cameBack / 1_000_000,
        up.size(),
        RISE,
        INTERVAL_MILLIS);
  }
}
