package io.shopstack.dns.authoritative;

import static io.shopstack.dns.authoritative.TestDns.ask;
import static io.shopstack.dns.authoritative.TestDns.section;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Several zones on one server: aliases across them, closest-zone choice, RFC 4592 wildcards. */
class ChainsAndWildcardsTest {
  @RegisterExtension
  static final ServedZones server =
      new ServedZones(
          "lab.test.=classpath:zones/lab.test.zone,"
              + " example.=classpath:zones/example.zone,"
              + " shop.example.=classpath:zones/shop.example.zone");

  @Test
  void aliasIntoAnotherZoneOfOursIsFollowed() throws Exception {
    Message m = ask(server.dnsPort(), false, "shop.lab.test.", Type.A);
    assertThat(section(m, Section.ANSWER))
        .containsExactly(
            "shop.lab.test. 600 CNAME www.shop.example.", "www.shop.example. 300 A 127.28.0.80");
  }

  @Test
  void childZoneOnTheSameServerAnswersInsteadOfTheParentsReferral() throws Exception {
    Message m = ask(server.dnsPort(), false, "www.shop.example.", Type.A);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(m, Section.ANSWER)).containsExactly("www.shop.example. 300 A 127.28.0.80");
  }

  @Test
  void aliasLoopEndsAndReturnsTheChainSoFar() throws Exception {
    Message m = ask(server.dnsPort(), false, "loop1.lab.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(section(m, Section.ANSWER))
        .containsExactly(
            "loop1.lab.test. 600 CNAME loop2.lab.test.",
            "loop2.lab.test. 600 CNAME loop1.lab.test.");
  }

  @Test
  void aliasToAMissingNameIsNxdomainWithTheCname() throws Exception {
    Message m = ask(server.dnsPort(), false, "dangling.lab.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN); // RFC 6604
    assertThat(section(m, Section.ANSWER))
        .containsExactly("dangling.lab.test. 600 CNAME nothing.lab.test.");
    assertThat(section(m, Section.AUTHORITY))
        .singleElement()
        .asString()
        .startsWith("lab.test. 60 SOA");
  }

  @Test
  void wildcardAnswersInTheQueriedName() throws Exception {
    Message m = ask(server.dnsPort(), false, "Alice.users.lab.test.", Type.TXT);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(m, Section.ANSWER))
        .containsExactly("Alice.users.lab.test. 600 TXT \"any user\"");
  }

  @Test
  void wildcardDoesNotCoverExistingNamesOrTheirDescendants() throws Exception {
    Message existing = ask(server.dnsPort(), false, "host.users.lab.test.", Type.TXT);
    assertThat(existing.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(existing.getSection(Section.ANSWER)).isEmpty(); // NODATA, not the wildcard
    Message below = ask(server.dnsPort(), false, "x.host.users.lab.test.", Type.TXT);
    assertThat(below.getRcode()).isEqualTo(Rcode.NXDOMAIN); // closest encloser has no "*"
  }

  @Test
  void emptyNonTerminalIsNodataNotNxdomain() throws Exception {
    Message m = ask(server.dnsPort(), true, "b.deep.lab.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(section(m, Section.AUTHORITY))
        .singleElement()
        .asString()
        .startsWith("lab.test. 60 SOA");
  }
}
