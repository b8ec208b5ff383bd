package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * AXFR and IXFR as a secondary asks them: dig and dnsjava's ZoneTransferIn over TCP, allowed or
 * not, and the IXFR a secondary may send over UDP first.
 */
class ZoneTransferTest {
  private static final int BULK = 2000;
  @TempDir static Path dir;
  private static AuthoritativeServer server;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder bulk = new StringBuilder("$ORIGIN bulk.test.\n$TTL 60\n");
    bulk.append("@ IN SOA ns1 hostmaster 7 3600 900 604800 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n");
    for (int i = 0; i < BULK; i++) {
      bulk.append("host").append(i).append(" IN A 127.1.").append(i / 250).append('.');
      bulk.append(i % 250 + 1).append('\n');
    }
    Path file = dir.resolve("bulk.test.zone");
    Files.writeString(file, bulk);
    server =
        new AuthoritativeServer(
                TestDns.config(
                    "shop.example.=classpath:zones/shop.example.zone,bulk.test.=" + file,
                    AuthoritativeConfig.RateLimit.OFF,
                    new AuthoritativeConfig.Transfer("127.0.0.1/32", ""),
                    0))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ZoneTransferIn axfr(String zone, String from) throws Exception {
    return axfr(zone, from, server.dnsPort());
  }

  private static ZoneTransferIn axfr(String zone, String from, int port) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(
            Name.fromString(zone), new InetSocketAddress("127.0.0.1", port), null);
    xfr.setLocalAddress(new InetSocketAddress(from, 0));
    xfr.setTimeout(Duration.ofSeconds(3));
    return xfr;
  }

  @Test
  void digTransfersTheWholeZoneFromSoaToSoa() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "AXFR", "shop.example");
    List<String> records = out.lines().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    assertThat(records.get(0)).containsPattern("^shop\\.example\\.\\s+3600\\s+IN\\s+SOA");
    assertThat(records.get(records.size() - 1))
        .containsPattern("^shop\\.example\\.\\s+3600\\s+IN\\s+SOA");
    assertThat(records)
        .anySatisfy(
            l ->
                assertThat(l)
                    .containsPattern(
                        "^www\\.shop\\.example\\.\\s+300\\s+IN\\s+A\\s+127\\.28\\.0\\.80"))
        .anySatisfy(
            l -> assertThat(l).containsPattern("^static\\.shop\\.example\\.\\s+300\\s+IN\\s+CNAME"))
        .hasSize(11); // SOA NS MX TXT CAA, ns1, _dmarc, www, m, static, SOA
  }

  @Test
  void aLargeZoneComesInSeveralMessagesAndNothingIsLost() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "AXFR", "bulk.test");
    Matcher size = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+),").matcher(out);
    assertThat(size.find()).as(out.lines().limit(5).toList().toString()).isTrue();
    assertThat(Integer.parseInt(size.group(1))).isEqualTo(BULK + 4); // SOA NS ns1 ... SOA
    assertThat(Integer.parseInt(size.group(2))).isGreaterThan(1);

    ZoneTransferIn xfr = axfr("bulk.test.", "127.0.0.1");
    xfr.run();
    List<Record> records = xfr.getAXFR();
    assertThat(records).hasSize(BULK + 4);
    assertThat(records.get(0).getType()).isEqualTo(Type.SOA);
    assertThat(records.get(records.size() - 1).getType()).isEqualTo(Type.SOA);
  }

  @Test
  void anIxfrFromASecondaryAtOurSerialOrAheadGetsOurSoaAloneAndAnOlderOneTheZone()
      throws Exception {
    // RFC 1995 2, as NSD and BIND answer: not the whole zone to a secondary that has it. (dig
    // prints "XFR size: 1 records" for the whole zone after an IXFR too, so dnsjava judges.)
    for (long serial : new long[] {7, 8}) {
      ZoneTransferIn upToDate = ixfrIn("bulk.test.", serial);
      upToDate.run();
      assertThat(upToDate.isCurrent()).as("serial %d", serial).isTrue();
    }
    ZoneTransferIn behind = ixfrIn("bulk.test.", 6);
    behind.run();
    assertThat(behind.isAXFR()).isTrue();
    assertThat(behind.getAXFR()).hasSize(BULK + 4);
  }

  private static ZoneTransferIn ixfrIn(String zone, long serial) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newIXFR(
            Name.fromString(zone),
            serial,
            false,
            new InetSocketAddress("127.0.0.1", server.dnsPort()),
            null);
    xfr.setTimeout(Duration.ofSeconds(3));
    return xfr;
  }

  @Test
  void anIxfrOverUdpGetsOurSoaAndOneWithoutTheClientsSoaIsFormErr() throws Exception {
    // What a secondary sends first (RFC 1995 2): our SOA alone tells it whether to come over TCP.
    Message ixfr = ixfr("bulk.test.", 6);
    Message overUdp = TestDns.resolver(server.dnsPort(), false).send(ixfr);
    assertThat(overUdp.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(overUdp.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(TestDns.section(overUdp, Section.ANSWER))
        .containsExactly(
            "bulk.test. 60 SOA ns1.bulk.test. hostmaster.bulk.test. 7 3600 900 604800 60");

    Message bare = TestDns.query("bulk.test.", Type.IXFR); // no SOA in the authority section
    for (boolean tcp : new boolean[] {false, true}) {
      Message m = TestDns.resolver(server.dnsPort(), tcp).send(bare);
      assertThat(m.getRcode()).as(tcp ? "TCP" : "UDP").isEqualTo(Rcode.FORMERR);
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }
  }

  private static Message ixfr(String zone, long serial) throws Exception {
    Name origin = Name.fromString(zone);
    Message query = TestDns.query(zone, Type.IXFR);
    query.addRecord(
        new SOARecord(
            origin,
            DClass.IN,
            0,
            Name.fromString("ns1", origin),
            Name.fromString("hostmaster", origin),
            serial,
            0,
            0,
            0,
            0),
        Section.AUTHORITY);
    return query;
  }

  @Test
  void aClientOffTheAllowListIsRefusedAndAZoneWeDoNotHaveIsNotAuth() throws Exception {
    assertThatThrownBy(() -> axfr("shop.example.", "127.0.0.2").run())
        .isInstanceOf(ZoneTransferException.class)
        .hasMessage("REFUSED");
    assertThatThrownBy(() -> axfr("www.shop.example.", "127.0.0.1").run())
        .isInstanceOf(ZoneTransferException.class)
        .hasMessage("NOTAUTH");
  }

  @Test
  void theShippedConfigurationLetsNobodyTransferUntilToldWho() throws Exception {
    Map<String, String> vars =
        Map.of("SHOP_BIND", "127.0.0.1", "SHOP_DNS_PORT", "0", "SHOP_ADMIN_PORT", "0");
    AuthoritativeConfig shipped =
        ConfigLoader.load(AuthoritativeConfig.class, "classpath:dns-authoritative.yml", vars);
    try (AuthoritativeServer plain = new AuthoritativeServer(shipped).start()) {
      assertThatThrownBy(() -> axfr("shop.example.", "127.0.0.1", plain.dnsPort()).run())
          .isInstanceOf(ZoneTransferException.class)
          .hasMessage("REFUSED");
    }
    Map<String, String> optedIn = new HashMap<>(vars);
    optedIn.put("SHOP_AXFR_ALLOW", "127.0.0.1/32");
    AuthoritativeConfig allowing =
        ConfigLoader.load(AuthoritativeConfig.class, "classpath:dns-authoritative.yml", optedIn);
    try (AuthoritativeServer open = new AuthoritativeServer(allowing).start()) {
      ZoneTransferIn xfr = axfr("shop.example.", "127.0.0.1", open.dnsPort());
      xfr.run();
      assertThat(xfr.getAXFR()).isNotEmpty();
    }
  }
}
