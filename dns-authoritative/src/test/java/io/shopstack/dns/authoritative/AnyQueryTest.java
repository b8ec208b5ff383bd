package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 8482: ANY gets one RRset, not the whole node, so it cannot be used for amplification. */
class AnyQueryTest {
  @RegisterExtension
  static final ServedZones server =
      new ServedZones(
          "shop.example.=classpath:zones/shop.example.zone,lab.test.=classpath:zones/lab.test.zone");

  @Test
  void digAnyAtTheApexGetsOneRrsetWithAuthority() throws Exception {
    // The apex holds SOA, NS, MX, TXT and CAA: a classic ANY answer would carry all five.
    String out = TestDns.dig(server.dnsPort(), "+norecurse", "shop.example", "ANY");
    assertThat(out).contains("status: NOERROR").containsPattern("flags: qr aa;");
    assertThat(out).contains("ANSWER: 1,");
    assertThat(out)
        .containsPattern("shop\\.example\\.\\s+3600\\s+IN\\s+SOA\\s+ns1\\.shop\\.example\\.");
  }

  @Test
  void anyOverTcpIsJustAsMinimal() throws Exception {
    Message m = TestDns.ask(server.dnsPort(), true, "shop.example.", Type.ANY);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void anyAtAnEmptyNonTerminalGetsTheSynthesizedHinfo() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "b.deep.lab.test", "ANY");
    assertThat(out).contains("status: NOERROR").contains("ANSWER: 1,");
    assertThat(out)
        .containsPattern("b\\.deep\\.lab\\.test\\.\\s+60\\s+IN\\s+HINFO\\s+\"RFC8482\" \"\"");
  }

  @Test
  void anyAtAnAliasIsTheAlias() throws Exception {
    Message m = TestDns.ask(server.dnsPort(), false, "m.shop.example.", Type.ANY);
    assertThat(TestDns.section(m, Section.ANSWER))
        .containsExactly("m.shop.example. 300 CNAME www.shop.example.");
  }
}
