package io.shopstack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The journey on the real images: two phones, one per region, run the client app inside the
 * network; the facts a user would check are then checked from outside, with dig and with SQL
 * against PostgreSQL.
 */
class JourneyInDockerIT {
  private static ShopStack stack;

  @BeforeAll
  static void startStack() {
    Compose.buildImagesOnce();
    stack = new ShopStack();
    stack.start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  void phoneInTheNorthIsSentToTheNorthEdgeAndBuys() throws Exception {
    Compose.Result run = stack.runClient("client-north");
    assertThat(run.exitCode()).as("client exit code").isZero();
    assertThat(run.output())
        .containsPattern(
            "static\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.")
        .containsPattern("shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.1\\.20")
        // Only the answers: the resolver's trace (kept per name, not per client) may be the
        // south phone's iteration when that was the last one to go upstream.
        .doesNotContainPattern("IN\\s+A\\s+172\\.28\\.2\\.20");
    // The north edge had never seen the page: a miss, then the reload is its own hit.
    assertThat(JourneyOutput.pageCacheVerdicts(run.output())).containsExactly("MISS", "HIT");
    assertThat(JourneyOutput.orderStatus(run.output())).isEqualTo(201);
    assertThat(run.output())
        .contains("the shop recorded the client as 172.28.1.10: this phone's own address");
    // Bound to 0.0.0.0 in the container, the phone still prints the address its queries left
    // from; the GSLB explains its choice itself (TXT, with the subnet the resolver forwarded); the
    // resolver's own trace shows it asked the CDN's server with that subnet.
    assertThat(run.output())
        .containsPattern("FROM: 172\\.28\\.1\\.10#\\d+")
        .doesNotContain("FROM: 0.0.0.0")
        .contains(
            "GSLB placed this client in region north; home -> region north,"
                + " edge edge-north(172.28.1.20)")
        .containsPattern(
            "172\\.28\\.0\\.5\\s+cdn\\.example\\.\\s+shop\\.cdn\\.example\\. A\\s+NOERROR.*\\[ECS sent\\]");

    // This run's own order, stored once, with the fields of DESIGN.md's request.
    JourneyOutput.PlacedOrder placed = JourneyOutput.placedOrder(run.output());
    assertThat(placed.servedBy()).isIn("order-1", "order-2");
    try (var conn = postgres();
        var st =
            conn.prepareStatement(
                "SELECT order_date, class_name, author, price, served_by, client_address"
                    + " FROM purchase_order WHERE id = ?")) {
      st.setLong(1, placed.id());
      try (ResultSet row = st.executeQuery()) {
        assertThat(row.next()).as("row of order " + placed.id()).isTrue();
        assertThat(row.getObject("order_date", LocalDate.class))
            .isEqualTo(LocalDate.of(2018, 7, 1));
        assertThat(row.getString("class_name")).isEqualTo("趣谈网络协议");
        assertThat(row.getString("author")).isEqualTo("刘超");
        assertThat(row.getBigDecimal("price")).isEqualByComparingTo("68");
        assertThat(row.getString("served_by")).isEqualTo(placed.servedBy());
        // The phone's own address, carried by the SLB's PROXY v2 header, not the SLB's.
        assertThat(row.getString("client_address")).isEqualTo("172.28.1.10");
      }
    }
  }

  @Test
  void phoneInTheSouthIsSentToTheSouthEdge() {
    Compose.Result run = stack.runClient("client-south");
    assertThat(run.exitCode()).as("client exit code").isZero();
    assertThat(run.output())
        .containsPattern("shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.2\\.20")
        // Only the answers: the resolver's trace (kept per name, not per client) may be the
        // north phone's iteration when that was the last one to go upstream.
        .doesNotContainPattern("IN\\s+A\\s+172\\.28\\.1\\.20")
        .containsPattern("FROM: 172\\.28\\.2\\.10#\\d+")
        .contains(
            "GSLB placed this client in region south; home -> region south,"
                + " edge edge-south(172.28.2.20)");
    assertThat(JourneyOutput.pageCacheVerdicts(run.output())).hasSize(2).endsWith("HIT");
    assertThat(JourneyOutput.orderStatus(run.output())).isEqualTo(201);
    // Its purchase goes out through its own region's router, which shows it forwarded the SYN.
    assertThat(run.output())
        .contains("kernel route: 172.28.0.80 via 172.28.2.254 dev eth0 src 172.28.2.10")
        .containsPattern("->\\s+1\\s+172\\.28\\.2\\.254\\s+router-south\\n")
        .containsPattern("->\\s+2\\s+172\\.28\\.0\\.80\\s+reached\\n");
    JourneyOutput.PrintedCrossing crossing = JourneyOutput.crossing(run.output(), "router-south");
    assertThat(crossing.in().source()).isEqualTo("172.28.2.10");
    assertThat(crossing.inAddress()).isEqualTo("172.28.2.254/24");
    assertThat(crossing.outAddress()).isEqualTo("172.28.0.253/24");
    assertThat(crossing.out().ttl()).isEqualTo(crossing.in().ttl() - 1);
    assertThat(run.output()).doesNotContain("router-north captured");
  }

  /**
   * {@code journey --json}, the scripts' contract, says what the text says: the CNAME chain, the
   * south edge, a HIT on the reload, 201, and the address the order service recorded equals the
   * phone's own; its path crosses router-south.
   */
  @Test
  void theSouthPhonesJourneyAsJsonCarriesTheSameFacts() throws Exception {
    Compose.Result run = stack.runClientStdout("client-south", "journey", "--json");
    assertThat(run.exitCode()).as("client exit code").isZero();
    JsonNode journey = new ObjectMapper().readTree(run.output());
    assertThat(journey.path("exitCode").asInt()).isZero();
    assertThat(journey.path("resolve").path("shopAddress").asText()).isEqualTo("172.28.0.80");
    assertThat(journey.path("resolve").path("edgeAddress").asText()).isEqualTo("172.28.2.20");
    assertThat(journey.path("resolve").path("cnameChain").toString())
        .isEqualTo("[\"static.shop.example.\",\"shop.cdn.example.\"]");
    assertThat(journey.path("pictures").path("reload").path("headers").path("X-Cache").asText())
        .endsWith("HIT");
    JsonNode buy = journey.path("buy");
    assertThat(buy.path("status").asInt()).isEqualTo(201);
    assertThat(buy.path("phoneAddress").asText()).isEqualTo("172.28.2.10");
    assertThat(buy.path("clientAddress").asText()).isEqualTo("172.28.2.10");
    assertThat(buy.path("path").path("route").path("gateway").asText()).isEqualTo("172.28.2.254");
    assertThat(buy.path("path").path("hops").get(0).path("router").asText())
        .isEqualTo("router-south");
    assertThat(buy.path("path").path("crossings").get(0).path("out").path("ttl").asInt())
        .isEqualTo(buy.path("path").path("crossings").get(0).path("in").path("ttl").asInt() - 1);
  }

  @Test
  void digOnTheHostSeesTheCnameChainThroughThePublishedResolver() {
    int port = stack.get("dns-resolver").getMappedPort(53);
    Compose.Result dig =
        Compose.run(
            List.of(
                "dig",
                "+tcp",
                "+time=5",
                "+tries=2",
                "@127.0.0.1",
                "-p",
                Integer.toString(port),
                "static.shop.example",
                "A"),
            30);
    assertThat(dig.exitCode()).isZero();
    assertThat(dig.output())
        .contains("status: NOERROR")
        .containsPattern(
            "static\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.")
        .containsPattern("shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.[12]\\.20");
  }

  /**
   * The purchase crosses a real gateway: tcpdump on both legs of router-north sees the phone's SYN
   * to the VIP arrive addressed to the router's MAC and leave from the router's MAC to the SLB's,
   * with its TTL one less and both IP addresses unchanged (no NAT), and the order records the
   * phone's own address.
   */
  @Test
  void thePurchaseCrossesRouterNorthWithNewMacsOneHopLessTtlAndTheSameAddresses() throws Exception {
    String router = stack.get("router-north").getContainerId();
    RouterCapture.Leg north = RouterCapture.legOf(router, "172.28.1.254");
    RouterCapture.Leg backbone = RouterCapture.legOf(router, "172.28.0.254");
    String slbMac =
        stack.get("slb").getContainerInfo().getNetworkSettings().getNetworks().values().stream()
            .filter(n -> "172.28.0.80".equals(n.getIpAddress()))
            .findFirst()
            .orElseThrow()
            .getMacAddress();

    List<RouterCapture.Syn> in;
    List<RouterCapture.Syn> out;
    Compose.Result run;
    try (RouterCapture before = RouterCapture.start(router, north, "172.28.0.80", 80);
        RouterCapture after = RouterCapture.start(router, backbone, "172.28.0.80", 80)) {
      run = stack.runClient("client-north");
      in = before.syns();
      out = after.syns();
    }
    assertThat(run.exitCode()).as("client exit code").isZero();
    // What the phone printed of its kernel's routing is the router's real address and MAC.
    assertThat(run.output())
        .contains("kernel route: 172.28.0.80 via 172.28.1.254 dev eth0 src 172.28.1.10")
        .contains("gateway 172.28.1.254 is " + north.mac() + " on eth0");
    assertThat(in).as("SYNs from the phone on router-north's north leg").isNotEmpty();
    for (RouterCapture.Syn arrived : in) {
      assertThat(arrived.source()).isEqualTo("172.28.1.10");
      assertThat(arrived.destinationMac()).as("sent to the gateway's MAC").isEqualTo(north.mac());
      RouterCapture.Syn left =
          out.stream()
              .filter(s -> s.sourcePort() == arrived.sourcePort())
              .findFirst()
              .orElseThrow(() -> new AssertionError("not forwarded: " + arrived + " in " + out));
      assertThat(left.source()).as("source address kept").isEqualTo(arrived.source());
      assertThat(left.destination()).as("destination kept").isEqualTo(arrived.destination());
      assertThat(left.sourceMac()).as("rewritten source MAC").isEqualTo(backbone.mac());
      assertThat(left.destinationMac()).as("next hop: the SLB").isEqualTo(slbMac);
      assertThat(left.ttl()).as("one hop less").isEqualTo(arrived.ttl() - 1);
      System.out.printf("router-north forwarded %s -> %s%n", arrived, left);
    }

    // The journey's own account, from router-north's own captures, is what this test captured
    // independently for the purchase's connection: the same SYN on the same legs, field by field.
    JourneyOutput.PrintedCrossing printed = JourneyOutput.crossing(run.output(), "router-north");
    RouterCapture.Syn arrived =
        in.stream()
            .filter(s -> s.sourcePort() == printed.in().sourcePort())
            .findFirst()
            .orElseThrow(() -> new AssertionError("the test saw no SYN " + printed + " in " + in));
    RouterCapture.Syn left =
        out.stream().filter(s -> s.sourcePort() == arrived.sourcePort()).findFirst().orElseThrow();
    assertThat(printed.in()).isEqualTo(arrived);
    assertThat(printed.out()).isEqualTo(left);
    assertThat(printed.inDevice()).isEqualTo(north.name());
    assertThat(printed.inAddress()).isEqualTo("172.28.1.254/24");
    assertThat(printed.outDevice()).isEqualTo(backbone.name());
    assertThat(printed.outAddress()).isEqualTo("172.28.0.254/24");
    assertThat(printed.verdict())
        .isEqualTo(
            "MACs rewritten, TTL %d -> %d, IP addresses unchanged"
                .formatted(arrived.ttl(), left.ttl()));
    // The packet, layer by layer: this connection's ports, addresses and TTL, and on the link the
    // phone's own MAC and the gateway's, as the test's own capture saw the frame.
    assertThat(run.output())
        .contains("TCP   source port %d -> destination port 80".formatted(arrived.sourcePort()))
        .contains("IP    172.28.1.10 -> 172.28.0.80, TTL %d".formatted(arrived.ttl()))
        .contains(
            "link  out of eth0 (MAC %s) to next hop 172.28.1.254 (router-north) at MAC %s"
                .formatted(arrived.sourceMac(), north.mac()));
    // The hops to the VIP by TTL: the router (named from its captures), then the VIP itself.
    assertThat(run.output())
        .containsPattern("->\\s+1\\s+172\\.28\\.1\\.254\\s+router-north\\n")
        .containsPattern("->\\s+2\\s+172\\.28\\.0\\.80\\s+reached\\n");
    JourneyOutput.PlacedOrder placed = JourneyOutput.placedOrder(run.output());
    try (var conn = postgres();
        var st = conn.prepareStatement("SELECT client_address FROM purchase_order WHERE id = ?")) {
      st.setLong(1, placed.id());
      try (ResultSet row = st.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("client_address")).isEqualTo("172.28.1.10");
      }
    }
  }

  /**
   * A region's gateway is the only way out of it: with router-north stopped the north phone's first
   * step, DNS over the resolver on the backbone, gets no answer (exit code 3, the DNS layer, saying
   * from which address it asked whom); with the router started again the same journey succeeds.
   */
  @Test
  void withoutRouterNorthTheNorthPhoneLosesItsResolverAndGetsItBackWithTheRouter() {
    var docker = DockerClientFactory.instance().client();
    String router = stack.get("router-north").getContainerId();
    docker.stopContainerCmd(router).withTimeout(10).exec();
    Compose.Result cut;
    try {
      cut = stack.runClient("client-north");
    } finally {
      docker.startContainerCmd(router).exec();
    }
    assertThat(cut.exitCode()).as("exit code of the journey without its gateway").isEqualTo(3);
    assertThat(cut.output())
        .contains("no answer from resolver 172.28.0.53:53")
        .contains("sent from 172.28.1.10:")
        // The hint names the router in the way, from the kernel's route and neighbour table.
        .contains(
            "172.28.0.53 is reached via gateway 172.28.1.254 (router-north) on eth0 (kernel"
                + " route), and the gateway does not answer ARP");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "healthy"
                    .equals(
                        docker
                            .inspectContainerCmd(router)
                            .exec()
                            .getState()
                            .getHealth()
                            .getStatus()));
    Compose.Result healed = stack.runClient("client-north");
    assertThat(healed.exitCode()).as("exit code with router-north back").isZero();
    assertThat(JourneyOutput.orderStatus(healed.output())).isEqualTo(201);
  }

  /**
   * The GSLB's failover on the real images: edge-north frozen ({@code docker pause}: its /health
   * stops answering, as a hung host's would) makes dns-cdn send north clients south after its fall
   * threshold, and says why in its TXT explanation; thawed, north clients come back after the rise
   * threshold. Asked from the host with dig and a north ECS subnet, as a resolver would.
   */
  @Test
  void aFrozenNorthEdgeSendsNorthClientsSouthUntilItIsBack() {
    var docker = DockerClientFactory.instance().client();
    String edgeNorth = stack.get("edge-north").getContainerId();
    assertThat(gslbAnswerForNorth()).isEqualTo("172.28.1.20");

    long frozenAt = System.nanoTime();
    docker.pauseContainerCmd(edgeNorth).exec();
    try {
      // The bound is a guard against a hang; the figure printed is the measurement.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> gslbAnswerForNorth().equals("172.28.2.20"));
      System.out.printf(
          "GSLB failover: north clients sent south %d ms after edge-north froze%n",
          (System.nanoTime() - frozenAt) / 1_000_000);
      assertThat(gslbExplanationForNorth())
          .contains("region north")
          .contains("edge-north=down")
          .contains("edge-south(172.28.2.20)");
    } finally {
      docker.unpauseContainerCmd(edgeNorth).exec();
    }
    long thawedAt = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> gslbAnswerForNorth().equals("172.28.1.20"));
    System.out.printf(
        "GSLB failback: north clients back on edge-north %d ms after it thawed%n",
        (System.nanoTime() - thawedAt) / 1_000_000);
  }

  private static String gslbAnswerForNorth() {
    return digGslbForNorth("A");
  }

  private static String gslbExplanationForNorth() {
    return digGslbForNorth("TXT");
  }

  /** dig over TCP to dns-cdn's published port, with the ECS subnet of region north. */
  private static String digGslbForNorth(String type) {
    int port = stack.get("dns-cdn").getMappedPort(53);
    Compose.Result dig =
        Compose.run(
            List.of(
                "dig",
                "+tcp",
                "+short",
                "+time=3",
                "+tries=1",
                "+subnet=172.28.1.0/24",
                "@127.0.0.1",
                "-p",
                Integer.toString(port),
                "shop.cdn.example",
                type),
            30);
    assertThat(dig.exitCode()).as("dig " + type + ": " + dig.output()).isZero();
    return dig.output().strip();
  }

  @Test
  void theOrderDatabaseIsUtf8AndStopsOnSigint() throws Exception {
    // Text limits count characters only in a UTF-8 database (SQL_ASCII counts bytes).
    try (var conn = postgres();
        var st = conn.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_encoding")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("UTF8");
    }
    // SIGINT is PostgreSQL's fast shutdown: docker stop ends cleanly, not in a SIGKILL.
    String stopSignal =
        ExternalCommand.run(
                Duration.ofSeconds(30),
                "docker",
                "inspect",
                "-f",
                "{{.Config.StopSignal}}",
                stack.get("postgres").getContainerId())
            .assertSuccess()
            .output()
            .strip();
    assertThat(stopSignal).isIn("SIGINT", "2");
  }

  /**
   * The app's bounded load from the north phone: real orders through the resolver, router-north and
   * the SLB, each with its own key; PostgreSQL then holds exactly one row per order, all with the
   * phone's address.
   */
  @Test
  void aBoundedLoadFromTheNorthPhoneStoresEveryOrderOnce() throws Exception {
    Compose.Result run =
        stack.runClient(
            "client-north", "load", "--orders", "100", "--concurrency", "4", "--duration", "120");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("100 placed of 100, 100 created (201), 0 failed")
        .contains("status    201 x100")
        .containsPattern("latency   p50 [\\d.]+ ms  p90 [\\d.]+ ms  p99 [\\d.]+ ms  max ")
        .contains("errors    none");
    java.util.regex.Matcher keys =
        java.util.regex.Pattern.compile("keys load-([0-9a-f]{8})-N").matcher(run.output());
    assertThat(keys.find()).as(run.output()).isTrue();
    try (var conn = postgres();
        var st =
            conn.prepareStatement(
                "SELECT COUNT(*), COUNT(DISTINCT idempotency_key), MIN(client_address),"
                    + " MAX(client_address) FROM purchase_order WHERE idempotency_key LIKE ?")) {
      st.setString(1, "load-" + keys.group(1) + "-%");
      try (ResultSet row = st.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getInt(1)).as("order rows").isEqualTo(100);
        assertThat(row.getInt(2)).as("distinct keys").isEqualTo(100);
        assertThat(row.getString(3)).isEqualTo("172.28.1.10");
        assertThat(row.getString(4)).isEqualTo("172.28.1.10");
      }
    }
  }

  private static Connection postgres() throws SQLException {
    var pg = stack.get("postgres");
    String url = "jdbc:postgresql://localhost:" + pg.getMappedPort(5432) + "/shop";
    return DriverManager.getConnection(url, "shop", "shop");
  }
}
