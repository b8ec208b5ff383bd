package io.shopstack.dns.authoritative;

import static io.shopstack.dns.authoritative.TestDns.section;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Positive answers to non-recursive queries (what resolvers send) carry the zone's NS RRset and its
 * servers' addresses, as BIND 9.18 (minimal-responses no-auth-recursive, its default) and NSD both
 * answer them; recursive ones (stub clients, dnsperf) stay minimal, as BIND answers them. Each
 * question is asked twice, so the second answer comes from the prepared path.
 */
class NonRecursiveAnswersTest {
  private static final String SHOP = "shop.example.=classpath:zones/shop.example.zone";

  private static Message ask(int port, String name, int type, boolean recursive, boolean tcp)
      throws Exception {
    Message query = TestDns.query(name, type);
    if (!recursive) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    return TestDns.resolver(port, tcp).send(query);
  }

  /** The additional section without the OPT (dnsjava's client asks with EDNS). */
  private static List<String> additional(Message m) {
    return section(m, Section.ADDITIONAL).stream().filter(r -> !r.contains(" OPT ")).toList();
  }

  @Test
  void aNonRecursiveAnswerCarriesTheZoneNsAndItsAddressARecursiveOneDoesNot() throws Exception {
    try (AuthoritativeServer server = TestDns.start(SHOP)) {
      int port = server.dnsPort();
      for (int round = 0; round < 2; round++) {
        for (boolean tcp : new boolean[] {false, true}) {
          Message norec = ask(port, "www.shop.example.", Type.A, false, tcp);
          assertThat(section(norec, Section.ANSWER))
              .containsExactly("www.shop.example. 300 A 127.28.0.80");
          assertThat(section(norec, Section.AUTHORITY))
              .containsExactly("shop.example. 3600 NS ns1.shop.example.");
          assertThat(additional(norec)).containsExactly("ns1.shop.example. 3600 A 127.28.0.4");
          Message rec = ask(port, "www.shop.example.", Type.A, true, tcp);
          assertThat(section(rec, Section.ANSWER))
              .containsExactly("www.shop.example. 300 A 127.28.0.80");
          assertThat(rec.getSection(Section.AUTHORITY)).as("RD=1: minimal").isEmpty();
          assertThat(additional(rec)).isEmpty();
        }
      }
    }
  }

  @Test
  void whatTheAnswerHoldsIsNotRepeatedAndNegativeAnswersKeepTheirSoa() throws Exception {
    try (AuthoritativeServer server = TestDns.start(SHOP)) {
      int port = server.dnsPort();
      for (int round = 0; round < 2; round++) {
        Message apexNs = ask(port, "shop.example.", Type.NS, false, false);
        assertThat(section(apexNs, Section.ANSWER))
            .containsExactly("shop.example. 3600 NS ns1.shop.example.");
        assertThat(apexNs.getSection(Section.AUTHORITY)).isEmpty();

        Message server1 = ask(port, "ns1.shop.example.", Type.A, false, false);
        assertThat(section(server1, Section.AUTHORITY))
            .containsExactly("shop.example. 3600 NS ns1.shop.example.");
        assertThat(additional(server1)).as("already the answer").isEmpty();

        Message chain = ask(port, "m.shop.example.", Type.A, false, false);
        assertThat(section(chain, Section.AUTHORITY))
            .containsExactly("shop.example. 3600 NS ns1.shop.example.");

        Message outOfZone = ask(port, "static.shop.example.", Type.A, false, false);
        assertThat(outOfZone.getSection(Section.AUTHORITY))
            .as("an alias out of our zones ends without data of ours, as NSD and BIND answer it")
            .isEmpty();

        Message nxdomain = ask(port, "nope.shop.example.", Type.A, false, false);
        assertThat(section(nxdomain, Section.AUTHORITY))
            .singleElement()
            .asString()
            .startsWith("shop.example. 300 SOA");
        assertThat(additional(nxdomain)).isEmpty();
      }
    }
  }

  @Test
  void theExtraRecordsAreLeftOutRatherThanTruncateAnAnswerThatFitsWithoutThem(@TempDir Path dir)
      throws Exception {
    // One TXT RRset that fits a 512-byte answer alone (about 490 bytes) but not with NS and glue.
    Path zone = dir.resolve("txt.test.zone");
    String chunk = "x".repeat(150);
    Files.writeString(
        zone,
        String.join(
            "\n",
            "$ORIGIN txt.test.",
            "$TTL 3600",
            "@ IN SOA ns1.txt.test. hostmaster.txt.test. 1 3600 900 1209600 300",
            "@ IN NS ns1.txt.test.",
            "ns1 IN A 127.0.0.53",
            "big IN TXT \"" + chunk + "\" \"" + chunk + "\" \"" + chunk + "\"",
            ""));
    try (AuthoritativeServer server = TestDns.start("txt.test.=" + zone)) {
      String udp =
          TestDns.dig(server.dnsPort(), "+norec", "+noedns", "+ignore", "big.txt.test", "TXT");
      assertThat(udp).contains("status: NOERROR").containsPattern("flags: qr aa;");
      assertThat(udp).contains("ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0");
      String tcp = TestDns.dig(server.dnsPort(), "+norec", "+tcp", "big.txt.test", "TXT");
      assertThat(tcp).contains("ANSWER: 1, AUTHORITY: 1, ADDITIONAL: 2"); // NS, A and the OPT
    }
  }
}
