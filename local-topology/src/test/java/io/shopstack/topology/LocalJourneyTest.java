package io.shopstack.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.cli.ClientCommand;
import io.shopstack.client.diagram.JourneyPage;
import io.shopstack.client.journey.Journey;
import io.shopstack.client.journey.JourneyJson;
import io.shopstack.client.journey.JourneyReport;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.Curl;
import io.shopstack.common.testing.ExternalCommand;
import io.shopstack.common.testing.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole journey in one JVM on 127.28.x.y / 127.29.x.y: the same servers and configuration files
 * as Docker, judged by the phone app and by dig and curl.
 */
@TestMethodOrder(OrderAnnotation.class)
class LocalJourneyTest {
  /** The purchase of DESIGN.md, byte for byte. */
  private static final String SEED_ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\", \"price\": \"68\"}}";

  @TempDir static Path dataDir;
  private static LocalTopology topology;

  @BeforeAll
  static void start() throws Exception {
    // As an operator would opt in (README): AXFR from 127.0.0.1, nobody by default.
    topology = new LocalTopology(dataDir, Map.of("SHOP_AXFR_ALLOW", "127.0.0.1/32")).start();
  }

  @AfterAll
  static void stop() {
    if (topology != null) {
      topology.close();
    }
  }

  private static JourneyReport journeyFrom(String clientAddress, ByteArrayOutputStream out) {
    ClientConfig config =
        ConfigLoader.load(
            ClientConfig.class,
            "classpath:client-app.yml",
            Map.of("SHOP_CLIENT_BIND", clientAddress));
    return new Journey(config, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
  }

  @Test
  @Order(1)
  void phoneInTheNorthResolvesThroughTheCdnFetchesMissThenHitAndBuys() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JourneyReport report = journeyFrom("127.28.1.10", out);
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    // What the shop stored, as the phone prints it: its own address, carried by PROXY v2.
    assertThat(printed)
        .contains("the shop recorded the client as 127.28.1.10: this phone's own address");
    // The phone's DNS queries left from its own address, as the socket was bound, not 0.0.0.0.
    assertThat(printed).containsPattern("FROM: 127\\.28\\.1\\.10#\\d+").doesNotContain("0.0.0.0");
    // The kernel's own route to the VIP: flat loopback here, no gateway (Docker has routers).
    assertThat(printed).contains("no gateway: the VIP is reached directly on lo");

    // The resolver's trace as the journey printed it is what the resolver's admin endpoint says,
    // asked again by curl: a cold iteration through root, TLD, shop and the CDN's server.
    assertThat(report.traces())
        .extracting(t -> t.name())
        .containsExactly("www.shop.example.", "static.shop.example.");
    // Cold: www went root -> TLD -> shop; static then started at the shop's server, whose
    // delegation the resolver held, and followed the CNAME via the TLD to the CDN's server.
    assertThat(report.traces().get(0).zonesAsked())
        .containsExactly(".", "example.", "shop.example.");
    var staticTrace = report.traces().get(1);
    assertThat(staticTrace.zonesAsked())
        .containsExactly("shop.example.", "example.", "cdn.example.");
    assertThat(staticTrace.steps())
        .filteredOn(step -> step.zone().equals("cdn.example."))
        .allSatisfy(
            step -> {
              assertThat(step.server()).isEqualTo("127.28.0.5");
              assertThat(step.ecsSent()).isTrue();
            });
    assertThat(staticTrace.steps())
        .anySatisfy(
            step -> {
              assertThat(step.server()).isEqualTo("127.28.0.4");
              assertThat(step.outcome()).contains("CNAME to shop.cdn.example.");
            });
    Curl.Response trace =
        Curl.run("http://127.28.0.53:9901/trace?name=static.shop.example.&type=A");
    assertThat(trace.status()).isEqualTo(200);
    assertThat(trace.body()).contains("\"finishedAtMillis\":" + staticTrace.finishedAtMillis());
    assertThat(printed)
        .contains("zones asked: . -> example. -> shop.example.")
        .contains("zones asked: shop.example. -> example. -> cdn.example.");

    // The GSLB's explanation as printed is the one dns-cdn gives dig for this client's subnet.
    assertThat(report.gslb().clientRegion()).isEqualTo("north");
    assertThat(report.gslb().reason()).isEqualTo("home");
    assertThat(report.gslb().chose("127.28.1.20")).isTrue();
    String gslbTxt =
        dig(
            "@127.28.0.5",
            "-p",
            "1053",
            "+short",
            "+subnet=127.28.1.0/24",
            "shop.cdn.example",
            "TXT");
    assertThat(gslbTxt.strip())
        .isEqualTo(
            report.gslb().strings().stream()
                .map(part -> "\"" + part + "\"")
                .collect(java.util.stream.Collectors.joining(" ")));
    assertThat(printed).contains("GSLB placed this client in region north; home -> region north");

    // The --json document carries the same facts, as scripts read them.
    JsonNode json = JsonMapper.builder().build().readTree(JourneyJson.of(report));
    assertThat(json.at("/exitCode").asInt()).isZero();
    assertThat(json.at("/resolve/cnameChain/1").asText()).isEqualTo("shop.cdn.example.");
    assertThat(json.at("/resolve/edgeAddress").asText()).isEqualTo("127.28.1.20");
    assertThat(json.at("/resolve/static/from").asText()).startsWith("127.28.1.10:");
    assertThat(json.at("/pictures/page/headers/X-Cache").asText()).isEqualTo("MISS");
    assertThat(json.at("/pictures/reload/headers/X-Cache").asText()).isEqualTo("HIT");
    assertThat(json.at("/buy/status").asInt()).isEqualTo(201);
    assertThat(json.at("/buy/phoneAddress").asText()).isEqualTo("127.28.1.10");
    assertThat(json.at("/buy/clientAddress").asText()).isEqualTo("127.28.1.10");

    assertThat(json.at("/buy/path/route/device").asText()).isEqualTo("lo");
    assertThat(json.at("/buy/path/route/gateway").isNull()).isTrue();

    // The --html page of this very report, as headless Chromium renders it: every host the
    // journey met, in its lane, with the steps and their timings; no router on flat loopback.
    Path page = dataDir.resolve("journey.html");
    JourneyPage.write(JourneyJson.of(report), page);
    Path png = dataDir.resolve("journey.png");
    HeadlessChromium.screenshot(page, png, 2100, 1900);
    assertThat(Files.size(png)).as("screenshot bytes").isGreaterThan(20_000);
    String dom = HeadlessChromium.dumpDom(page);
    assertThat(dom)
        .contains("data-host=\"phone\"", "data-host=\"resolver\"")
        .contains("data-host=\"dns:127.28.0.2\"", "data-host=\"dns:127.28.0.3\"")
        .contains("data-host=\"dns:127.28.0.4\"", "data-host=\"dns:127.28.0.5\"")
        .contains("data-host=\"edge\"", "data-host=\"dc-cache\"", "data-host=\"slb\"")
        .contains("data-host=\"" + report.order().servedBy() + "\"")
        .contains("root DNS", "edge-north", "127.28.1.20", "SLB (VIP)", "127.28.0.80")
        .contains("1. Resolve (", "2. Look at pictures (", "3. Buy (")
        .contains("201 Created, " + report.order().location())
        .contains("journey OK (exit code 0)")
        .doesNotContain("data-host=\"router:");

    assertThat(report.problems()).isEmpty();
    assertThat(report.success()).isTrue();
    assertThat(report.cnameChain()).containsExactly("static.shop.example.", "shop.cdn.example.");
    assertThat(report.staticLookup().recursionAvailable()).isTrue();
    assertThat(report.edgeAddress()).isEqualTo("127.28.1.20");
    assertThat(report.shopAddress()).isEqualTo("127.28.0.80");

    assertThat(report.page().status()).isEqualTo(200);
    assertThat(report.page().header("X-Cache")).isEqualTo("MISS");
    assertThat(report.page().header("Via")).contains("edge-north");
    assertThat(report.page().header("X-Served-By")).contains("edge-north").contains("dc-cache");
    assertThat(report.page().local().getAddress().getHostAddress()).isEqualTo("127.28.1.10");
    assertThat(report.images()).isNotEmpty().allSatisfy(i -> assertThat(i.status()).isEqualTo(200));
    assertThat(report.reload().header("X-Cache")).isEqualTo("HIT");

    assertThat(report.order().status()).isEqualTo(201);
    assertThat(report.order().location()).startsWith("/purchaseOrder/");
    assertThat(report.order().servedBy()).isIn("order-1", "order-2");
    try (var conn = DriverManager.getConnection(topology.orderDatabaseUrl(), "sa", "");
        var st =
            conn.prepareStatement(
                "SELECT class_name, author, price, served_by, client_address FROM purchase_order"
                    + " WHERE id = ?")) {
      st.setLong(1, Long.parseLong(report.order().orderId()));
      try (ResultSet row = st.executeQuery()) {
        assertThat(row.next()).as("order row in the database").isTrue();
        assertThat(row.getString("class_name")).isEqualTo("趣谈网络协议");
        assertThat(row.getString("author")).isEqualTo("刘超");
        assertThat(row.getBigDecimal("price")).isEqualByComparingTo("68");
        assertThat(row.getString("served_by")).isEqualTo(report.order().servedBy());
        // The SLB's PROXY v2 header carried the phone's address through the splice.
        assertThat(row.getString("client_address")).isEqualTo("127.28.1.10");
      }
    }
  }

  @Test
  @Order(2)
  void phoneInTheSouthIsSentToTheSouthEdge() {
    JourneyReport report = journeyFrom("127.28.2.10", new ByteArrayOutputStream());
    assertThat(report.problems()).isEmpty();
    assertThat(report.edgeAddress()).isEqualTo("127.28.2.20");
    assertThat(report.gslb().clientRegion()).isEqualTo("south");
    assertThat(report.gslb().chose("127.28.2.20")).isTrue();
    assertThat(report.page().header("Via")).contains("edge-south");
  }

  @Test
  @Order(3)
  void digSeesTheReferralsAndTheChain() throws Exception {
    String root = dig("+norecurse", "@127.28.0.2", "-p", "1053", "www.shop.example", "A");
    assertThat(root)
        .contains("status: NOERROR")
        .doesNotContain(" aa;")
        .doesNotContain("flags: qr aa");
    assertThat(root).containsPattern("example\\.\\s+\\d+\\s+IN\\s+NS\\s+ns1\\.example\\.");
    assertThat(root).containsPattern("ns1\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.28\\.0\\.3");

    String resolved = dig("@127.28.0.53", "-p", "1053", "-b", "127.28.1.10", "static.shop.example");
    assertThat(resolved)
        .contains("status: NOERROR")
        .containsPattern(
            "static\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.")
        .containsPattern("shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.28\\.1\\.20");

    String missing = dig("@127.28.0.53", "-p", "1053", "nope.shop.example");
    assertThat(missing)
        .contains("status: NXDOMAIN")
        .containsPattern("shop\\.example\\.\\s+\\d+\\s+IN\\s+SOA");
  }

  @Test
  @Order(4)
  void curlPlacesAnOrderThroughTheVipAndBrokenJsonGetsA400() {
    Curl.Response created =
        Curl.postJson("http://127.28.0.80:8080/purchaseOrder", "www.shop.example", SEED_ORDER);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).startsWith("/purchaseOrder/");

    Curl.Response broken =
        Curl.run(
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            "{\"order\": {\"date\": ",
            "http://127.28.0.80:8080/purchaseOrder");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.body()).containsIgnoringCase("json");
  }

  @Test
  @Order(5)
  void anOperatorsAxfrOptInReachesTheShopsServer() {
    // The README's example: dig from 127.0.0.1, which the environment opted in.
    String transfer = dig("@127.28.0.4", "-p", "1053", "-b", "127.0.0.1", "shop.example", "AXFR");
    assertThat(transfer)
        .doesNotContain("Transfer failed")
        .containsPattern("(?m)^shop\\.example\\.\\s+\\d+\\s+IN\\s+SOA")
        .containsPattern("(?m)^static\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME");
    // Any other source address is refused: the opt-in is exactly what was asked for.
    assertThat(dig("@127.28.0.4", "-p", "1053", "-b", "127.0.0.2", "shop.example", "AXFR"))
        .contains("Transfer failed");
  }

  @Test
  @Order(6)
  void aBoundedLoadPlacesEveryOrderOnceThroughTheVip() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        ClientCommand.execute(
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            "load",
            "--orders",
            "120",
            "--concurrency",
            "6",
            "--duration",
            "120");
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(exit).as(printed).isZero();
    assertThat(printed)
        .contains("120 placed of 120, 120 created (201), 0 failed")
        .contains("status    201 x120")
        .containsPattern("latency   p50 [\\d.]+ ms  p90 [\\d.]+ ms  p99 [\\d.]+ ms  max ")
        .contains("errors    none");
    Matcher keys = Pattern.compile("keys load-([0-9a-f]{8})-N").matcher(printed);
    assertThat(keys.find()).as(printed).isTrue();
    // The database is the judge: one row per order, each with its own key, both instances used
    // through the SLB, every row recording the phone's address.
    try (var conn = DriverManager.getConnection(topology.orderDatabaseUrl(), "sa", "");
        var st =
            conn.prepareStatement(
                "SELECT COUNT(*), COUNT(DISTINCT idempotency_key), COUNT(DISTINCT served_by),"
                    + " MIN(client_address), MAX(client_address) FROM purchase_order"
                    + " WHERE idempotency_key LIKE ?")) {
      st.setString(1, "load-" + keys.group(1) + "-%");
      try (ResultSet row = st.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getInt(1)).as("order rows").isEqualTo(120);
        assertThat(row.getInt(2)).as("distinct keys").isEqualTo(120);
        assertThat(row.getInt(3)).as("order instances").isEqualTo(2);
        assertThat(row.getString(4)).isEqualTo("127.28.1.10");
        assertThat(row.getString(5)).isEqualTo("127.28.1.10");
      }
    }
  }

  private static String dig(String... arguments) {
    List<String> command = new ArrayList<>(List.of("dig"));
    command.addAll(List.of(arguments));
    return ExternalCommand.run(Duration.ofSeconds(30), command).assertSuccess().output();
  }
}
