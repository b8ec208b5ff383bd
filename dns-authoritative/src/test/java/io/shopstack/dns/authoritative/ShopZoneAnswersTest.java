package io.shopstack.dns.authoritative;

import static io.shopstack.dns.authoritative.TestDns.ask;
import static io.shopstack.dns.authoritative.TestDns.section;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** dns-shop as the resolver meets it, over UDP and over TCP. */
class ShopZoneAnswersTest {
  @RegisterExtension
  static final ServedZones server =
      new ServedZones("shop.example.=classpath:zones/shop.example.zone");

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void wwwIsAnAuthoritativeAnswerWithTheSlbVip(boolean tcp) throws Exception {
    Message m = ask(server.dnsPort(), tcp, "www.shop.example.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(m.getHeader().getFlag(Flags.RD)).isTrue(); // copied from the query
    assertThat(section(m, Section.ANSWER)).containsExactly("www.shop.example. 300 A 127.28.0.80");
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void staticIsACnameIntoTheCdnWhichThisServerDoesNotChase(boolean tcp) throws Exception {
    Message m = ask(server.dnsPort(), tcp, "static.shop.example.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(m, Section.ANSWER))
        .containsExactly("static.shop.example. 300 CNAME shop.cdn.example.");
    assertThat(m.getSection(Section.AUTHORITY)).isEmpty();
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void cnameInsideTheZoneIsFollowedToTheAddress(boolean tcp) throws Exception {
    Message m = ask(server.dnsPort(), tcp, "m.shop.example.", Type.A);
    assertThat(section(m, Section.ANSWER))
        .containsExactly(
            "m.shop.example. 300 CNAME www.shop.example.", "www.shop.example. 300 A 127.28.0.80");
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void missingNameIsNxdomainWithTheSoaAtTheNegativeTtl(boolean tcp) throws Exception {
    Message m = ask(server.dnsPort(), tcp, "nope.shop.example.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    // SOA TTL 3600, MINIMUM 300: RFC 2308 says cache the NXDOMAIN for the smaller.
    assertThat(section(m, Section.AUTHORITY))
        .containsExactly(
            "shop.example. 300 SOA ns1.shop.example. hostmaster.shop.example. 2024070101 3600 900"
                + " 1209600 300");
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void existingNameWithoutTheTypeIsNodata(boolean tcp) throws Exception {
    Message m = ask(server.dnsPort(), tcp, "www.shop.example.", Type.AAAA);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(section(m, Section.AUTHORITY))
        .singleElement()
        .asString()
        .startsWith("shop.example. 300 SOA");
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void apexNsComesWithItsAddressInAdditional(boolean tcp) throws Exception {
    Message m = ask(server.dnsPort(), tcp, "shop.example.", Type.NS);
    assertThat(section(m, Section.ANSWER))
        .containsExactly("shop.example. 3600 NS ns1.shop.example.");
    assertThat(section(m, Section.ADDITIONAL)).contains("ns1.shop.example. 3600 A 127.28.0.4");
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void realisticApexRecordsSayThereIsNoMail(boolean tcp) throws Exception {
    assertThat(section(ask(server.dnsPort(), tcp, "shop.example.", Type.MX), Section.ANSWER))
        .containsExactly("shop.example. 3600 MX 0 .");
    assertThat(
            section(ask(server.dnsPort(), tcp, "_dmarc.shop.example.", Type.TXT), Section.ANSWER))
        .containsExactly("_dmarc.shop.example. 3600 TXT \"v=DMARC1; p=reject\"");
  }
}
