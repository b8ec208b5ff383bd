package io.shopstack.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.client.Terminal;
import io.shopstack.client.fixture.DnsFixture;
import io.shopstack.client.fixture.HttpFixture;
import io.shopstack.client.fixture.HttpFixture.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line as a user types it, against stand-in servers on the local address plan: what
 * each command prints, what went over the wire, and the exit code a script would see.
 */
class ClientCommandTest {
  private static final String SEED =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\", \"price\": \"68\"}}";

  private DnsFixture dns;
  private HttpFixture admin;
  private HttpFixture edge;
  private HttpFixture vip;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private final Map<String, String> variables = new HashMap<>();
  private static final Reply CREATED =
      Reply.of(
          "HTTP/1.1 201 Created\r\nLocation: /purchaseOrder/7\r\nX-Served-By: order-2\r\n"
              + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  private volatile Function<HttpFixture.Received, Reply> orderService = r -> CREATED;

  @BeforeEach
  void startStandIns() throws Exception {
    dns = new DnsFixture(new InetSocketAddress(ip("127.28.0.53"), 0), ClientCommandTest::resolver);
    admin =
        new HttpFixture(
            ip("127.28.0.53"),
            0,
            r ->
                json(
                    "{\"name\":\"static.shop.example.\",\"type\":\"A\",\"rcode\":\"NOERROR\","
                        + "\"finishedAtMillis\":0,\"steps\":[{\"server\":\"127.28.0.2\","
                        + "\"zone\":\".\",\"question\":\"example. A\",\"rcode\":\"NOERROR\","
                        + "\"outcome\":\"referral to example.\",\"rttMillis\":2,\"ecsSent\":false}]}"));
    edge =
        new HttpFixture(
            ip("127.28.1.20"),
            0,
            r ->
                r.path().equals("/missing")
                    ? Reply.of("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    : Reply.of(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Cache: HIT\r\nAge: 7\r\n"
                            + "Via: 1.1 dc-cache, 1.1 edge-north\r\nX-Served-By: edge-north\r\n\r\nok"));
    vip = new HttpFixture(ip("127.28.0.80"), 0, r -> orderService.apply(r));
    variables.put("SHOP_DNS_PORT", String.valueOf(dns.address().getPort()));
    variables.put("SHOP_RESOLVER_ADMIN_PORT", String.valueOf(admin.address().getPort()));
    variables.put("SHOP_HTTP_PORT", String.valueOf(vip.address().getPort()));
  }

  @AfterEach
  void stopStandIns() throws Exception {
    dns.close();
    admin.close();
    edge.close();
    vip.close();
  }

  @Test
  void everyCommandHasHelpAndTheRootListsTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out())
        .contains("journey", "resolve", "get", "order", "load")
        .contains("3   DNS: no answer from the resolver");
    for (String command : new String[] {"journey", "resolve", "get", "order", "load"}) {
      printed.reset();
      assertThat(run(command, "--help")).as(command).isZero();
      assertThat(out()).contains("Usage: client-app " + command);
    }
    printed.reset();
    assertThat(run("help", "order")).isZero();
    assertThat(out()).contains("--idempotency-key");
  }

  @Test
  void aWrongCommandLineExitsTwoAndSaysWhy() {
    assertThat(run("resolve")).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("Missing required parameter");
    assertThat(run("resolve", "www.shop.example", "NOSUCHTYPE")).isEqualTo(2);
    assertThat(run("get", "ftp://static.shop.example/")).isEqualTo(2);
  }

  @Test
  void resolvePrintsLikeDigFromThePhonesAddressThenTheResolversTrace() {
    assertThat(run("resolve", "static.shop.example")).isZero();

    InetSocketAddress source = dns.queries().get(0).source();
    assertThat(source.getAddress()).isEqualTo(ip("127.28.1.10"));
    assertThat(out())
        .containsPattern(
            "static\\.shop\\.example\\.\\s+300\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.")
        .contains("FROM: 127.28.1.10#" + source.getPort())
        .contains("/trace?name=static.shop.example.&type=A")
        .containsPattern(
            "127\\.28\\.0\\.2\\s+\\.\\s+example\\. A\\s+NOERROR\\s+2 ms\\s+referral to example\\.");
    assertThat(admin.received())
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/trace?name=static.shop.example.&type=A"));
  }

  @Test
  void aNameThatDoesNotResolveExitsThree() {
    assertThat(run("resolve", "nope.shop.example", "--no-trace")).isEqualTo(3);
    assertThat(out()).contains("status: NXDOMAIN");
    assertThat(admin.received()).isEmpty();
  }

  @Test
  void getShowsTheConnectionAndTheCacheFactsOfTheEdge() {
    int port = edge.address().getPort();

    assertThat(run("get", "http://static.shop.example:" + port + "/products/course-1001")).isZero();

    HttpFixture.Received request = edge.received().get(0);
    assertThat(request.header("Host")).isEqualTo("static.shop.example");
    assertThat(out())
        .contains("TCP 127.28.1.10:" + request.client().getPort() + " -> 127.28.1.20:" + port)
        .contains(
            "X-Cache: HIT  |  X-Cache-Origin: -  |  Age: 7  |  Via: 1.1 dc-cache, 1.1 edge-north")
        .contains("< X-Served-By: edge-north");
  }

  @Test
  void getExitsFiveOnAnErrorStatusAndFourWhenNobodyListens() throws IOException {
    int port = edge.address().getPort();
    assertThat(run("get", "http://static.shop.example:" + port + "/missing")).isEqualTo(5);

    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, ip("127.28.1.20"))) {
      closed = probe.getLocalPort();
    }
    assertThat(run("get", "http://127.28.1.20:" + closed + "/")).isEqualTo(4);
    assertThat(out()).contains("connection refused by 127.28.1.20:" + closed);
  }

  @Test
  void orderSendsTheSeedBodyByteForByteWithAFreshIdempotencyKey() {
    assertThat(run("order")).isZero();

    HttpFixture.Received order = vip.received().get(0);
    assertThat(order.body()).isEqualTo(SEED.getBytes(StandardCharsets.UTF_8));
    assertThat(order.header("Idempotency-Key")).matches("[0-9a-f-]{36}");
    assertThat(out())
        .contains("Idempotency-Key: " + order.header("Idempotency-Key"))
        .contains("order 7 created at /purchaseOrder/7 by order-2");
  }

  @Test
  void orderFieldsAndTheKeyCanBeGiven() {
    assertThat(run("order", "--price", "70", "--author", "张三", "--idempotency-key", "k-1"))
        .isZero();

    HttpFixture.Received order = vip.received().get(0);
    assertThat(new String(order.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"order\":{\"date\":\"2018-07-01\",\"className\":\"趣谈网络协议\",\"Author\":\"张三\",\"price\":\"70\"}}");
    assertThat(order.header("Idempotency-Key")).isEqualTo("k-1");
  }

  @Test
  void withoutACommandTheJourneyRunsAndASilentResolverExitsThree() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, ip("127.28.0.53"))) {
      variables.put("SHOP_DNS_PORT", String.valueOf(probe.getLocalPort()));
    }
    variables.put("SHOP_CLIENT_DNS_TIMEOUT_MS", "300");

    assertThat(run()).isEqualTo(3);
    assertThat(out()).contains("[1] Resolve").contains("unreachable").contains("journey FAILED");
  }

  @Test
  void journeyAsJsonPrintsOnlyTheDocumentOnStdoutAndTheNarrationOnStderr() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, ip("127.28.0.53"))) {
      variables.put("SHOP_DNS_PORT", String.valueOf(probe.getLocalPort()));
    }
    variables.put("SHOP_CLIENT_DNS_TIMEOUT_MS", "300");

    assertThat(run("journey", "--json")).isEqualTo(3);

    JsonNode json = JsonMapper.builder().build().readTree(out());
    assertThat(json.path("success").asBoolean()).isFalse();
    assertThat(json.path("exitCode").asInt()).isEqualTo(3);
    assertThat(json.path("steps").get(0).path("problems").get(0).path("failure").asText())
        .isEqualTo("DNS");
    assertThat(json.path("resolve").path("edgeAddress").isNull()).isTrue();
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("[1] Resolve");
  }

  @Test
  void htmlWritesTheJourneyPageBesideTheJsonAndSaysWhere(@TempDir Path dir) throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, ip("127.28.0.53"))) {
      variables.put("SHOP_DNS_PORT", String.valueOf(probe.getLocalPort()));
    }
    variables.put("SHOP_CLIENT_DNS_TIMEOUT_MS", "300");
    Path page = dir.resolve("out/journey.html");

    assertThat(run("journey", "--json", "--html", page.toString())).isEqualTo(3);

    JsonNode json = JsonMapper.builder().build().readTree(out()); // stdout: still only JSON
    assertThat(json.path("exitCode").asInt()).isEqualTo(3);
    assertThat(errors.toString(StandardCharsets.UTF_8))
        .contains("journey page written to " + page.toAbsolutePath());
    assertThat(Files.readString(page))
        .startsWith("<!DOCTYPE html>")
        .contains("journey FAILED (exit code 3)")
        .contains("<svg");
  }

  @Test
  void loadPlacesEveryOrderWithItsOwnKeyAndSummarisesTheLatency() {
    assertThat(run("load", "--orders", "40", "--concurrency", "4")).as(out()).isZero();

    assertThat(vip.received()).hasSize(40);
    Set<String> keys =
        vip.received().stream().map(r -> r.header("Idempotency-Key")).collect(Collectors.toSet());
    assertThat(keys).hasSize(40).allMatch(k -> k.matches("load-[0-9a-f]{8}-\\d+"));
    assertThat(vip.received())
        .allSatisfy(
            r -> {
              assertThat(r.body()).isEqualTo(SEED.getBytes(StandardCharsets.UTF_8));
              assertThat(r.header("Host")).isEqualTo("www.shop.example");
              assertThat(r.client().getAddress()).isEqualTo(ip("127.28.1.10"));
            });
    // Plain progress (this is no terminal): one line per tenth, no carriage returns.
    assertThat(out().lines().filter(l -> l.matches("\\d+/40 orders, 0 failed, .*"))).hasSize(10);
    assertThat(out())
        .doesNotContain("\r")
        .contains("40 placed of 40, 40 created (201), 0 failed")
        .contains("status    201 x40")
        .containsPattern("latency   p50 [\\d.]+ ms  p90 [\\d.]+ ms  p99 [\\d.]+ ms  max [\\d.]+ ms")
        .contains("errors    none")
        .contains("from      127.28.1.10 (the connections' own local end)")
        .contains("load OK");
  }

  @Test
  void loadCountsFailuresByClassAndExitsWithTheFirstFailuresLayer() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    orderService =
        r ->
            seen.incrementAndGet() % 5 == 0
                ? Reply.of("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                : CREATED;

    assertThat(run("load", "--orders", "20", "--concurrency", "2")).isEqualTo(5);
    assertThat(out())
        .contains("20 placed of 20, 16 created (201), 4 failed")
        .contains("status    201 x16  503 x4")
        .contains("errors    HTTP status 503 x4")
        .contains("load FAILED");

    printed.reset();
    vip.close();
    assertThat(run("load", "--orders", "3", "--concurrency", "1")).isEqualTo(4);
    assertThat(out())
        .contains("3 placed of 3, 0 created (201), 3 failed")
        .contains("status    none answered")
        .containsPattern("errors    CONNECT ConnectException x3 \\(first: connection refused by");
  }

  @Test
  void loadStopsStartingOrdersWhenItsDurationCapPasses() {
    // Each answer takes 300 ms: 200 orders one at a time would need a minute, the cap is 1 s.
    orderService =
        r ->
            new Reply(
                java.util.List.of(
                    "HTTP/1.1 201 Created\r\n".getBytes(StandardCharsets.US_ASCII),
                    "Content-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                java.time.Duration.ofMillis(300),
                false);

    assertThat(run("load", "--orders", "200", "--concurrency", "1", "--duration", "1")).isZero();
    assertThat(vip.received().size()).isBetween(1, 20);
    assertThat(out())
        .containsPattern("capped    the --duration cap of 1 s passed: \\d+ of 200 orders were not")
        .contains("load OK");
  }

  @Test
  void loadRefusesUnboundedPlansBeforeSendingAnything() {
    assertThat(run("load", "--orders", "0")).isEqualTo(2);
    assertThat(run("load", "--concurrency", "1000")).isEqualTo(2);
    assertThat(run("load", "--duration", "0")).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--concurrency must be 1..256");
    assertThat(dns.queries()).isEmpty();
    assertThat(vip.received()).isEmpty();
  }

  @Test
  void resolveAsJsonGivesTheLookupAndTheTraceOnStdout() {
    assertThat(run("resolve", "static.shop.example", "--json")).isZero();

    JsonNode json = JsonMapper.builder().build().readTree(out());
    assertThat(json.path("exitCode").asInt()).isZero();
    assertThat(json.path("error").isNull()).isTrue();
    assertThat(json.at("/lookup/question").asText()).isEqualTo("static.shop.example.");
    assertThat(json.at("/lookup/answers/0/type").asText()).isEqualTo("CNAME");
    assertThat(json.at("/lookup/from").asText())
        .isEqualTo("127.28.1.10:" + dns.queries().get(0).source().getPort());
    assertThat(json.at("/trace/steps/0/server").asText()).isEqualTo("127.28.0.2");
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("ANSWER SECTION");

    printed.reset();
    assertThat(run("resolve", "nope.shop.example", "--no-trace", "--json")).isEqualTo(3);
    JsonNode missing = JsonMapper.builder().build().readTree(out());
    assertThat(missing.at("/lookup/rcode").asText()).isEqualTo("NXDOMAIN");
    assertThat(missing.path("error").asText())
        .isEqualTo("NXDOMAIN, no A record for nope.shop.example");
  }

  @Test
  void getAndOrderAsJsonUseTheJourneysFieldNames() {
    int port = edge.address().getPort();
    assertThat(run("get", "http://static.shop.example:" + port + "/products/course-1001", "--json"))
        .isZero();
    JsonNode get = JsonMapper.builder().build().readTree(out());
    assertThat(get.path("address").asText()).isEqualTo("127.28.1.20");
    assertThat(get.at("/exchange/status").asInt()).isEqualTo(200);
    assertThat(get.at("/exchange/headers/X-Cache").asText()).isEqualTo("HIT");
    assertThat(get.at("/exchange/local").asText()).startsWith("127.28.1.10:");
    assertThat(get.path("responseHeaders").findValuesAsString("name")).contains("Via", "Age");

    printed.reset();
    assertThat(run("get", "http://static.shop.example:" + port + "/missing", "--json"))
        .isEqualTo(5);
    assertThat(JsonMapper.builder().build().readTree(out()).path("error").asText())
        .startsWith("status 404 from 127.28.1.20:");

    printed.reset();
    assertThat(run("order", "--json", "--idempotency-key", "k-9")).isZero();
    JsonNode order = JsonMapper.builder().build().readTree(out());
    assertThat(order.path("idempotencyKey").asText()).isEqualTo("k-9");
    assertThat(order.at("/lookup/answers/0/data").asText()).isEqualTo("127.28.0.80");
    assertThat(order.at("/buy/status").asInt()).isEqualTo(201);
    assertThat(order.at("/buy/orderId").asText()).isEqualTo("7");
    assertThat(order.at("/buy/servedBy").asText()).isEqualTo("order-2");
    assertThat(order.at("/buy/phoneAddress").asText()).isEqualTo("127.28.1.10");
    assertThat(order.at("/buy/path/route/device").asText()).isEqualTo("lo");
    assertThat(vip.received().get(0).header("Idempotency-Key")).isEqualTo("k-9");
  }

  @Test
  void colourOnlyOnATerminalThatWantsIt() {
    assertThat(run("order")).isZero();
    assertThat(out()).doesNotContain("\u001b[");

    printed.reset();
    assertThat(
            ClientCommand.execute(
                variables,
                new Terminal(true, true),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8),
                "order"))
        .isZero();
    assertThat(out()).contains("\u001b[1m[1] Resolve www.shop.example\u001b[0m");
  }

  private int run(String... args) {
    return ClientCommand.execute(
        variables,
        new PrintStream(printed, true, StandardCharsets.UTF_8),
        new PrintStream(errors, true, StandardCharsets.UTF_8),
        args);
  }

  private String out() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static Reply json(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return Reply.of(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n"
            + body);
  }

  private static Message resolver(Message query) {
    Name qname = query.getQuestion().getName();
    if (qname.toString().equals("static.shop.example.")) {
      Name cdn = name("shop.cdn.example.");
      return DnsFixture.reply(
          query,
          Rcode.NOERROR,
          new CNAMERecord(qname, DClass.IN, 300, cdn),
          new ARecord(cdn, DClass.IN, 20, ip("127.28.1.20")));
    }
    if (qname.toString().equals("www.shop.example.")) {
      return DnsFixture.reply(
          query, Rcode.NOERROR, new ARecord(qname, DClass.IN, 300, ip("127.28.0.80")));
    }
    return DnsFixture.reply(query, Rcode.NXDOMAIN);
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
