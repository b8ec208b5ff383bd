package io.shopstack.dns.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.ExternalCommand;
import io.shopstack.common.testing.MetricsScrape;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The GSLB over real sockets, configured from the shipped dns-cdn.yml. Clients in a region are real
 * sockets bound to that region's loopback addresses (127.28.1.10 is a north client).
 */
class GslbAnswersTest {
  private static final String NORTH_EDGE = "127.28.1.20";
  private static final String SOUTH_EDGE = "127.28.2.20";
  private static CdnDnsServer server;

  @BeforeAll
  static void start() throws Exception {
    CdnDnsConfig config =
        ConfigLoader.load(
            CdnDnsConfig.class,
            "classpath:dns-cdn.yml",
            // No health checks: this test is about placement, every edge counts as up.
            Map.of(
                "SHOP_BIND", "127.0.0.1",
                "SHOP_DNS_PORT", "0",
                "SHOP_ADMIN_PORT", "0",
                "SHOP_GSLB_CHECK_MILLIS", "0"));
    server = new CdnDnsServer(config).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static SimpleResolver from(String clientAddress, boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
    r.setPort(server.dnsPort());
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(2));
    r.setLocalAddress(new InetSocketAddress(clientAddress, 0));
    return r;
  }

  private static Message query(String name, int type, ClientSubnetOption ecs) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, 1));
    if (ecs != null) {
      q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of((EDNSOption) ecs)), Section.ADDITIONAL);
    }
    return q;
  }

  private static List<String> addresses(Message m) {
    return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }

  private static ClientSubnetOption ecs(Message m) {
    List<EDNSOption> options = m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
    assertThat(options).hasSize(1);
    return (ClientSubnetOption) options.get(0);
  }

  private static ClientSubnetOption subnet(int prefix, String address) throws Exception {
    return new ClientSubnetOption(prefix, InetAddress.getByName(address));
  }

  @Test
  void northClientGetsTheNorthEdgeWithTheShortTtl() throws Exception {
    Message m = from("127.28.1.10", false).send(query("shop.cdn.example.", Type.A, null));
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(addresses(m)).containsExactly(NORTH_EDGE);
    assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(20);
  }

  @Test
  void southClientGetsTheSouthEdgeOverTcpToo() throws Exception {
    Message m = from("127.28.2.10", true).send(query("shop.cdn.example.", Type.A, null));
    assertThat(addresses(m)).containsExactly(SOUTH_EDGE);
  }

  @Test
  void clientInNoRegionIsServedByTheRegionsInTurn() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      List<String> answer =
          addresses(from("127.0.0.1", false).send(query("shop.cdn.example.", Type.A, null)));
      assertThat(answer).hasSize(1);
      seen.addAll(answer);
    }
    assertThat(seen).containsExactlyInAnyOrder(NORTH_EDGE, SOUTH_EDGE);
  }

  @Test
  void clientSubnetOutranksTheResolversAddressAndIsEchoedWithScope24() throws Exception {
    // The resolver sits in no region; its client, per ECS, is in the south.
    Message m =
        from("127.0.0.1", false).send(query("shop.cdn.example.", Type.A, subnet(24, "127.28.2.0")));
    assertThat(addresses(m)).containsExactly(SOUTH_EDGE);
    ClientSubnetOption echoed = ecs(m);
    assertThat(echoed.getSourcePrefixLength()).isEqualTo(24);
    assertThat(echoed.getScopePrefixLength()).isEqualTo(24);
    assertThat(echoed.getAddress().getHostAddress()).isEqualTo("127.28.2.0");
  }

  @Test
  void fullAddressInClientSubnetStillScopesTheAnswerToTheRegionsSlash24() throws Exception {
    Message m =
        from("127.28.2.10", true)
            .send(query("shop.cdn.example.", Type.A, subnet(32, "127.28.1.10")));
    assertThat(addresses(m)).containsExactly(NORTH_EDGE);
    assertThat(ecs(m).getSourcePrefixLength()).isEqualTo(32);
    assertThat(ecs(m).getScopePrefixLength()).isEqualTo(24);
  }

  @Test
  void subnetTooCoarseToPlaceAsksForA24() throws Exception {
    // 127.28.0.0/16 spans both regions: the answer cannot be cached for the whole /16.
    Message m =
        from("127.0.0.1", false).send(query("shop.cdn.example.", Type.A, subnet(16, "127.28.0.0")));
    assertThat(addresses(m)).hasSize(1);
    assertThat(ecs(m).getScopePrefixLength()).isEqualTo(24);
  }

  @Test
  void zoneDataIsStillServedAndEchoesClientSubnetWithScopeZero() throws Exception {
    Message soa =
        from("127.0.0.1", false).send(query("cdn.example.", Type.SOA, subnet(24, "127.28.1.0")));
    assertThat(soa.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(soa.getSection(Section.ANSWER)).singleElement().asString().contains("SOA");
    assertThat(ecs(soa).getScopePrefixLength()).isZero(); // the same for every client

    Message ns = from("127.0.0.1", true).send(query("cdn.example.", Type.NS, null));
    assertThat(addresses(ns)).containsExactly("ns1.cdn.example.");
    assertThat(ns.getSection(Section.ADDITIONAL).stream().map(Record::rdataToString))
        .contains("127.28.0.5");
  }

  @Test
  void missingNameIsNxdomainAndMissingTypeIsNodata() throws Exception {
    Message nx = from("127.0.0.1", false).send(query("nope.cdn.example.", Type.A, null));
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(nx.getSection(Section.AUTHORITY)).singleElement().asString().contains("SOA");

    Message noAaaa = from("127.28.1.10", false).send(query("shop.cdn.example.", Type.AAAA, null));
    assertThat(noAaaa.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(noAaaa.getSection(Section.ANSWER)).isEmpty();
    assertThat(noAaaa.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(60);
  }

  @Test
  void answersByRegionAreOnTheMetricsPage() throws Exception {
    from("127.28.1.10", false).send(query("shop.cdn.example.", Type.A, null));
    assertThat(
            MetricsScrape.of(server.adminPort())
                .value("gslb_answers_total", Map.of("instance", "dns-cdn", "region", "north")))
        .isPositive();
  }

  private static String dig(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("dig", "@127.0.0.1", "-p", String.valueOf(server.dnsPort()), "+tries=1"));
    command.addAll(List.of(args));
    return ExternalCommand.run(Duration.ofSeconds(10), command).assertSuccess().output();
  }

  /** With a cookie (dig's default) the full path answers, without one the fast path: both. */
  @Test
  void digWithAClientSubnetGetsThatRegionsEdgeWithScope24OverUdpAndTcp() {
    for (String transport : List.of("+notcp", "+tcp")) {
      for (String cookie : List.of("+cookie", "+nocookie")) {
        String south = dig(transport, cookie, "shop.cdn.example", "A", "+subnet=127.28.2.0/24");
        assertThat(south).contains("status: NOERROR").contains("CLIENT-SUBNET: 127.28.2.0/24/24");
        assertThat(south)
            .containsPattern("shop\\.cdn\\.example\\.\\s+20\\s+IN\\s+A\\s+127\\.28\\.2\\.20");
        String north = dig(transport, cookie, "shop.cdn.example", "A", "+subnet=127.28.1.0/24");
        assertThat(north).contains("CLIENT-SUBNET: 127.28.1.0/24/24");
        assertThat(north).containsPattern("IN\\s+A\\s+127\\.28\\.1\\.20");
      }
    }
  }

  @Test
  void aTxtQueryExplainsTheDecisionForTheAsker() throws Exception {
    Message m =
        from("127.0.0.1", false)
            .send(query("shop.cdn.example.", Type.TXT, subnet(24, "127.28.2.0")));
    assertThat(m.getSection(Section.ANSWER))
        .singleElement()
        .satisfies(r -> assertThat(r.getTTL()).isZero());
    assertThat(addresses(m).get(0))
        .contains(
            "client 127.28.2.0/24 (ecs) region south scope /24",
            "candidates south:edge-south=up north:edge-north=up",
            "home -> south edge-south(127.28.2.20)");
    assertThat(ecs(m).getScopePrefixLength()).isEqualTo(24);
  }
}
