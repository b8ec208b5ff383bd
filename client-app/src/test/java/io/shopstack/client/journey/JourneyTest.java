package io.shopstack.client.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.fixture.DnsFixture;
import io.shopstack.client.fixture.HttpFixture;
import io.shopstack.client.fixture.HttpFixture.Reply;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.ExternalCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journey's own logic (what it checks, prints and reports) against stand-ins on the local
 * address plan, loaded from the real client-app.yml. The journey against the real servers is the
 * local-topology module's test.
 */
class JourneyTest {
  private static final String EDGE = "127.28.1.20";
  private static final String VIP = "127.28.0.80";
  private static final String ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\", \"price\": \"68\"}}";
  private static final byte[] PNG = {
    (byte) 0x89,
    'P',
    'N',
    'G',
    '\r',
    '\n',
    0x1a,
    '\n',
    0,
    0,
    0,
    13,
    'I',
    'H',
    'D',
    'R',
    0,
    0,
    2,
    (byte) 0x80,
    0,
    0,
    1,
    (byte) 0xe0
  };

  private final AtomicInteger pageRequests = new AtomicInteger();
  private volatile String reloadVerdict = "HIT";
  private DnsFixture dns;
  private HttpFixture edge;
  private HttpFixture vip;
  private HttpFixture resolverAdmin;
  private int httpPort;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void startStandIns() throws Exception {
    dns = new DnsFixture(new InetSocketAddress(ip("127.28.0.53"), 0), JourneyTest::resolver);
    resolverAdmin = new HttpFixture(ip("127.28.0.53"), 0, this::traces);
    for (int attempt = 0; vip == null; attempt++) {
      edge = new HttpFixture(ip(EDGE), 0, this::edge);
      httpPort = edge.address().getPort();
      try {
        vip = new HttpFixture(ip(VIP), httpPort, JourneyTest::orderService);
      } catch (BindException e) {
        edge.close(); // the port is taken on the VIP address; try another
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  @AfterEach
  void stopStandIns() throws Exception {
    dns.close();
    resolverAdmin.close();
    edge.close();
    if (vip != null) {
      vip.close();
    }
  }

  @Test
  void theWholeJourneySucceedsAndReportsEveryHop() throws Exception {
    JourneyReport report = run(Map.of());

    String out = printed.toString(StandardCharsets.UTF_8);
    System.out.println(out); // the surefire report then shows what a user sees
    assertThat(report.success()).as(out).isTrue();
    assertThat(report.exitCode()).isZero();
    assertThat(report.cnameChain()).containsExactly("static.shop.example.", "shop.cdn.example.");
    assertThat(report.edgeAddress()).isEqualTo(EDGE);
    assertThat(report.shopAddress()).isEqualTo(VIP);
    assertThat(report.page().status()).isEqualTo(200);
    assertThat(report.page().local().getAddress().getHostAddress()).isEqualTo("127.28.1.10");
    assertThat(report.images())
        .singleElement()
        .satisfies(i -> assertThat(i.status()).isEqualTo(200));
    assertThat(report.imageLookups())
        .singleElement()
        .satisfies(l -> assertThat(l.addresses()).containsExactly(EDGE));
    assertThat(report.reload().header("X-Cache")).isEqualTo("MISS, HIT");
    assertThat(report.order().status()).isEqualTo(201);
    assertThat(report.order().orderId()).isEqualTo("42");
    assertThat(report.order().servedBy()).isEqualTo("order-1");
    assertThat(report.exchanges()).hasSize(4);

    assertThat(dns.queries())
        .extracting(
            q ->
                q.message().getQuestion().getName()
                    + " "
                    + Type.string(q.message().getQuestion().getType()))
        .containsExactly(
            "www.shop.example. A",
            "static.shop.example. A",
            "shop.cdn.example. TXT",
            "static.shop.example. A");
    assertThat(dns.queries())
        .allSatisfy(q -> assertThat(q.source().getAddress()).isEqualTo(ip("127.28.1.10")));
    // The resolver's trace was asked for both names, and what it said is what was printed.
    assertThat(resolverAdmin.received())
        .extracting(HttpFixture.Received::path)
        .containsExactly(
            "/trace?name=www.shop.example.&type=A", "/trace?name=static.shop.example.&type=A");
    assertThat(report.traces())
        .extracting(t -> t.name())
        .containsExactly("www.shop.example.", "static.shop.example.");
    assertThat(report.traces().get(1).zonesAsked())
        .containsExactly(".", "example.", "shop.example.", "cdn.example.");
    assertThat(report.gslb().clientRegion()).isEqualTo("north");
    assertThat(report.gslb().chose(EDGE)).isTrue();
    // Every query's FROM is the socket's own end, as the resolver saw it.
    for (var query : dns.queries().subList(0, 2)) {
      assertThat(out)
          .contains(
              "FROM: %s#%d"
                  .formatted(
                      query.source().getAddress().getHostAddress(), query.source().getPort()));
    }
    assertThat(edge.received())
        .allSatisfy(
            r -> {
              assertThat(r.header("Host")).isEqualTo("static.shop.example");
              assertThat(r.header("X-Request-Id")).isNotBlank();
            });
    HttpFixture.Received order = vip.received().get(0);
    assertThat(order.requestLine()).isEqualTo("POST /purchaseOrder HTTP/1.1");
    assertThat(order.header("Host")).isEqualTo("www.shop.example");
    assertThat(order.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(order.body()).isEqualTo(ORDER.getBytes(StandardCharsets.UTF_8));

    assertThat(out)
        .containsPattern(
            "(?m)^\\s*static\\.shop\\.example\\.\\s+300\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.$")
        .contains("TCP 127.28.1.10:")
        .contains("-> " + VIP + ":" + httpPort + " established")
        .contains("X-Cache: MISS")
        .contains("PNG 640x480")
        .containsPattern(
            "127\\.28\\.0\\.5\\s+cdn\\.example\\.\\s+shop\\.cdn\\.example\\. A\\s+NOERROR")
        .contains("zones asked: . -> example. -> shop.example. -> cdn.example.")
        .contains(
            "GSLB placed this client in region north; home -> region north, edge edge-north(127.28.1.20)")
        .contains("journey OK")
        .doesNotContain("not the one behind this answer");

    // The same facts as JSON, for scripts: each one as the wire said it.
    JsonNode json = JsonMapper.builder().build().readTree(JourneyJson.of(report));
    assertThat(json.path("success").asBoolean()).isTrue();
    assertThat(json.path("exitCode").asInt()).isZero();
    assertThat(json.path("resolve").path("cnameChain").toString())
        .isEqualTo("[\"static.shop.example.\",\"shop.cdn.example.\"]");
    assertThat(json.path("resolve").path("edgeAddress").asText()).isEqualTo(EDGE);
    assertThat(json.path("resolve").path("static").path("from").asText())
        .isEqualTo(
            dns.queries().get(1).source().getAddress().getHostAddress()
                + ":"
                + dns.queries().get(1).source().getPort());
    assertThat(json.path("resolve").path("gslb").path("clientRegion").asText()).isEqualTo("north");
    assertThat(json.path("resolve").path("traces").get(1).path("steps")).hasSize(5);
    assertThat(json.path("pictures").path("page").path("headers").path("X-Cache").asText())
        .isEqualTo("MISS");
    assertThat(json.path("pictures").path("reload").path("headers").path("X-Cache").asText())
        .isEqualTo("MISS, HIT");
    assertThat(json.path("buy").path("status").asInt()).isEqualTo(201);
    assertThat(json.path("buy").path("orderId").asText()).isEqualTo("42");
    assertThat(json.path("buy").path("phoneAddress").asText()).isEqualTo("127.28.1.10");
    // What the stand-in order service saw as the client, as it answered it.
    assertThat(json.path("buy").path("clientAddress").asText()).isEqualTo("127.28.1.10");
    // On loopback the path has no router: the kernel delivers locally, and says so.
    JsonNode path = json.path("buy").path("path");
    assertThat(path.path("route").path("device").asText()).isEqualTo("lo");
    assertThat(path.path("route").path("gateway").isNull()).isTrue();
    assertThat(path.path("hops")).isEmpty();
    assertThat(path.path("hopsNote").asText()).startsWith("no hops: the destination is on lo");
    assertThat(path.path("crossings")).isEmpty();
    assertThat(out)
        .contains("no hops: the destination is on lo, this host delivers to itself")
        .contains("no router captures here");
    // The packet, layer by layer, from this connection's own socket and the kernel.
    String[] phone = json.path("buy").path("exchange").path("local").asText().split(":");
    assertThat(out)
        .contains("[4] The packet, layer by layer")
        .contains("HTTP  POST /purchaseOrder HTTP/1.1, Host: www.shop.example")
        .contains(
            "TCP   source port %s -> destination port %s"
                .formatted(
                    phone[1],
                    json.path("buy").path("exchange").path("remote").asText().split(":")[1]))
        .contains(
            "IP    127.28.1.10 -> %s, TTL %s (the kernel's net.ipv4.ip_default_ttl)"
                .formatted(
                    VIP,
                    java.nio.file.Files.readAllLines(
                            java.nio.file.Path.of("/proc/sys/net/ipv4/ip_default_ttl"))
                        .get(0)))
        .contains("link  out of lo (MAC 00:00:00:00:00:00), no next hop");
  }

  @Test
  void aReloadThatMissesFailsThePicturesStepOnly() {
    reloadVerdict = "MISS";

    JourneyReport report = run(Map.of());

    assertThat(report.success()).isFalse();
    assertThat(report.steps()).extracting(StepResult::ok).containsExactly(true, false, true);
    assertThat(report.problems()).singleElement().asString().contains("reload was not a cache hit");
    assertThat(report.exitCode()).as("a check failed, every server answered").isEqualTo(6);
    // The hint asks the same edge the same question; curl, run as printed, reaches it from the
    // phone's address with the static host's name.
    String check = report.steps().get(1).check();
    assertThat(check)
        .isEqualTo(
            "curl -v --interface 127.28.1.10 --resolve static.shop.example:%d:%s"
                    .formatted(httpPort, EDGE)
                + " 'http://static.shop.example:%d/products/course-1001'".formatted(httpPort));
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("          check: " + check);
    int before = edge.received().size();
    ExternalCommand.run(Duration.ofSeconds(30), "bash", "-c", check).assertSuccess();
    HttpFixture.Received byCurl = edge.received().get(before);
    assertThat(byCurl.header("Host")).isEqualTo("static.shop.example:" + httpPort);
    assertThat(byCurl.client().getAddress().getHostAddress()).isEqualTo("127.28.1.10");
    assertThat(report.steps().get(0).check()).isNull();
  }

  @Test
  void aDeadVipIsReportedAsRefusedWhileTheOtherStepsStillRun() throws Exception {
    vip.close();

    JourneyReport report = run(Map.of());

    assertThat(report.steps()).extracting(StepResult::ok).containsExactly(true, true, false);
    assertThat(report.problems())
        .containsExactly("buy: connection refused by " + VIP + ":" + httpPort);
    assertThat(report.exitCode()).as("no TCP connection").isEqualTo(4);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("FAILED  buy")
        .contains("journey FAILED");
    assertThat(report.steps().get(2).check())
        .startsWith(
            "curl -v --interface 127.28.1.10 --resolve www.shop.example:%d:%s -H 'Content-Type:"
                .formatted(httpPort, VIP))
        .contains("--data-binary '" + ORDER + "'")
        .endsWith("'http://www.shop.example:%d/purchaseOrder'".formatted(httpPort));
  }

  @Test
  void anUnreachableResolverFailsEveryStepQuickly() {
    long start = System.nanoTime();

    JourneyReport report =
        run(
            Map.of(
                "SHOP_DNS_PORT",
                String.valueOf(unusedUdpPort()),
                "SHOP_CLIENT_DNS_TIMEOUT_MS",
                "300"));

    assertThat(report.success()).isFalse();
    assertThat(report.steps()).noneMatch(StepResult::ok);
    assertThat(report.edgeAddress()).isNull();
    assertThat(report.steps())
        .extracting(StepResult::check)
        .allSatisfy(
            c -> assertThat(c).startsWith("dig @127.28.0.53 -p ").contains(" -b 127.28.1.10 "));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aResolverWithoutTracesLeavesTheJourneyGreenAndSaysSo() {
    tracesKept = false;

    JourneyReport report = run(Map.of());

    assertThat(report.success()).isTrue();
    assertThat(report.traces()).isEmpty();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("the resolver has no iteration recorded for http://127.28.0.53:");
  }

  private JourneyReport run(Map<String, String> overrides) {
    Map<String, String> variables = new java.util.HashMap<>();
    variables.put("SHOP_RESOLVER_ADMIN_PORT", String.valueOf(resolverAdmin.address().getPort()));
    variables.put("SHOP_DNS_PORT", String.valueOf(dns.address().getPort()));
    variables.put("SHOP_HTTP_PORT", String.valueOf(httpPort));
    variables.putAll(overrides);
    ClientConfig config =
        ConfigLoader.load(ClientConfig.class, "classpath:client-app.yml", variables);
    return new Journey(config, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
  }

  private Reply edge(HttpFixture.Received request) {
    if (request.path().equals("/products/course-1001")) {
      String verdict = pageRequests.getAndIncrement() == 0 ? "MISS" : "MISS, " + reloadVerdict;
      String html =
          "<html><body><h1>趣谈网络协议</h1><img src=\"http://static.shop.example:"
              + httpPort
              + "/images/course-1001.png\"></body></html>";
      return response(
          "200 OK", "text/html; charset=utf-8", verdict, html.getBytes(StandardCharsets.UTF_8));
    }
    if (request.path().equals("/images/course-1001.png")) {
      return response("200 OK", "image/png", "MISS", PNG);
    }
    return response(
        "404 Not Found", "text/plain", "MISS", "no such page".getBytes(StandardCharsets.UTF_8));
  }

  private static Reply response(String status, String type, String verdict, byte[] body) {
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + body.length
            + "\r\nX-Cache: "
            + verdict
            + "\r\nAge: 0\r\nVia: 1.1 edge-north\r\nX-Served-By: edge-north\r\n"
            + "Cache-Control: max-age=60\r\n\r\n";
    byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head8.length + body.length];
    System.arraycopy(head8, 0, all, 0, head8.length);
    System.arraycopy(body, 0, all, head8.length, body.length);
    return Reply.of(all);
  }

  private static Reply orderService(HttpFixture.Received request) {
    String body =
        "{\"id\": 42, \"clientAddress\": \""
            + request.client().getAddress().getHostAddress()
            + "\", \"order\": "
            + new String(request.body(), StandardCharsets.UTF_8)
            + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return Reply.of(
        ("HTTP/1.1 201 Created\r\nLocation: /purchaseOrder/42\r\nX-Served-By: order-1\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(bytes.length)
            + "\r\n"
            + body
            + "\r\n0\r\n\r\n"));
  }

  private volatile boolean tracesKept = true;

  /** The resolver's admin endpoint: a trace like the real one's for each journey name. */
  private Reply traces(HttpFixture.Received request) {
    if (!tracesKept) {
      return Reply.of("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
    String json =
        request.path().contains("static")
            ? "{\"name\":\"static.shop.example.\",\"type\":\"A\",\"rcode\":\"NOERROR\","
                + "\"finishedAtMillis\":1700000000000,\"steps\":["
                + hop("127.28.0.2", ".", "example. A", "referral to example.", false)
                + ","
                + hop(
                    "127.28.0.3", "example.", "shop.example. A", "referral to shop.example.", false)
                + ","
                + hop(
                    "127.28.0.4",
                    "shop.example.",
                    "static.shop.example. A",
                    "CNAME to shop.cdn.example.",
                    false)
                + ","
                + hop("127.28.0.3", "example.", "cdn.example. A", "referral to cdn.example.", false)
                + ","
                + hop(
                    "127.28.0.5",
                    "cdn.example.",
                    "shop.cdn.example. A",
                    "answer shop.cdn.example. A 127.28.1.20",
                    true)
                + "],\"unknownFieldsAreTolerated\":1}"
            : "{\"name\":\"www.shop.example.\",\"type\":\"A\",\"rcode\":\"NOERROR\","
                + "\"finishedAtMillis\":1700000000000,\"steps\":["
                + hop("cache", "", "www.shop.example. A", "answer (cached)", false)
                + "]}";
    return Reply.of(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + json.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + json);
  }

  private static String hop(
      String server, String zone, String question, String outcome, boolean ecs) {
    return ("{\"server\":\"%s\",\"zone\":\"%s\",\"question\":\"%s\",\"rcode\":\"NOERROR\","
            + "\"outcome\":\"%s\",\"rttMillis\":1,\"ecsSent\":%s}")
        .formatted(server, zone, question, outcome, ecs);
  }

  private static Message resolver(Message query) {
    Name qname = query.getQuestion().getName();
    if (qname.toString().equals("shop.cdn.example.") && query.getQuestion().getType() == Type.TXT) {
      return DnsFixture.reply(
          query,
          Rcode.NOERROR,
          new TXTRecord(
              qname,
              DClass.IN,
              0,
              List.of(
                  "client 127.28.1.0/24 (ecs) region north scope /24",
                  "candidates north:edge-north=up south:edge-south=up",
                  "home -> north edge-north(127.28.1.20)")));
    }
    if (qname.toString().equals("static.shop.example.")) {
      Name cdn = name("shop.cdn.example.");
      return DnsFixture.reply(
          query,
          Rcode.NOERROR,
          new CNAMERecord(qname, DClass.IN, 300, cdn),
          new ARecord(cdn, DClass.IN, 30, ip(EDGE)));
    }
    if (qname.toString().equals("www.shop.example.")) {
      return DnsFixture.reply(query, Rcode.NOERROR, new ARecord(qname, DClass.IN, 300, ip(VIP)));
    }
    return DnsFixture.reply(query, Rcode.NXDOMAIN);
  }

  private static int unusedUdpPort() {
    try (java.net.DatagramSocket probe =
        new java.net.DatagramSocket(new InetSocketAddress(ip("127.28.0.53"), 0))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
