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

/** The first two steps of the resolver's walk: root and TLD hand it down with glue. */
class ReferralTest {
  @RegisterExtension static final ServedZones root = new ServedZones(".=classpath:zones/root.zone");

  @RegisterExtension
  static final ServedZones tld = new ServedZones("example.=classpath:zones/example.zone");

  @Test
  void rootRefersWwwShopExampleToTheTldWithGlue() throws Exception {
    Message m = ask(root.dnsPort(), false, "www.shop.example.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(section(m, Section.AUTHORITY)).containsExactly("example. 172800 NS ns1.example.");
    assertThat(section(m, Section.ADDITIONAL)).contains("ns1.example. 172800 A 127.28.0.3");
  }

  @Test
  void tldRefersTheShopAndTheCdnToTheirOwnServers() throws Exception {
    Message shop = ask(tld.dnsPort(), true, "www.shop.example.", Type.A);
    assertThat(shop.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(section(shop, Section.AUTHORITY))
        .containsExactly("shop.example. 172800 NS ns1.shop.example.");
    assertThat(section(shop, Section.ADDITIONAL)).contains("ns1.shop.example. 172800 A 127.28.0.4");

    Message cdn = ask(tld.dnsPort(), false, "shop.cdn.example.", Type.A);
    assertThat(section(cdn, Section.AUTHORITY))
        .containsExactly("cdn.example. 172800 NS ns1.cdn.example.");
    assertThat(section(cdn, Section.ADDITIONAL)).contains("ns1.cdn.example. 172800 A 127.28.0.5");
  }

  @Test
  void rootAnswersForItselfWithAuthority() throws Exception {
    Message m = ask(root.dnsPort(), false, ".", Type.NS);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(m, Section.ANSWER)).containsExactly(". 518400 NS a.root-servers.net.");
    assertThat(section(m, Section.ADDITIONAL)).contains("a.root-servers.net. 518400 A 127.28.0.2");
  }

  @Test
  void unknownTldIsNxdomainFromTheRoot() throws Exception {
    Message m = ask(root.dnsPort(), false, "shop.invalid.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(m, Section.AUTHORITY)).singleElement().asString().startsWith(". 86400 SOA");
  }
}
