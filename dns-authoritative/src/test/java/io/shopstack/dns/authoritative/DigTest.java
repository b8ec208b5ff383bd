package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The judge we did not write: ISC's dig, reading our answers off the wire. */
class DigTest {
  @RegisterExtension
  static final ServedZones server =
      new ServedZones("shop.example.=classpath:zones/shop.example.zone");

  @Test
  void digSeesAnAuthoritativeAnswerWithEdns() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "+norecurse", "www.shop.example", "A");
    assertThat(out).contains("status: NOERROR").containsPattern("flags: qr aa;");
    assertThat(out).contains("EDNS: version: 0, flags:; udp: 1232");
    assertThat(out)
        .containsPattern("www\\.shop\\.example\\.\\s+300\\s+IN\\s+A\\s+127\\.28\\.0\\.80");
  }

  @Test
  void chaosNamesSayWhichInstanceAnsweredAsNsdDoes() throws Exception {
    String id = TestDns.dig(server.dnsPort(), "+norecurse", "CH", "TXT", "id.server");
    assertThat(id).contains("status: NOERROR").containsPattern("flags: qr;");
    assertThat(id).containsPattern("id\\.server\\.\\s+0\\s+CH\\s+TXT\\s+\"test\"");
    assertThat(TestDns.dig(server.dnsPort(), "+short", "+tcp", "CH", "TXT", "hostname.bind"))
        .isEqualToIgnoringWhitespace("\"test\"");
    assertThat(TestDns.dig(server.dnsPort(), "+short", "CH", "TXT", "version.bind"))
        .contains("shop-stack");
    assertThat(TestDns.dig(server.dnsPort(), "CH", "TXT", "other.bind"))
        .contains("status: REFUSED");
    assertThat(TestDns.dig(server.dnsPort(), "CH", "A", "id.server")).contains("status: REFUSED");
  }

  @Test
  void aMalformedCookieIsFormErrThatDigDoesNotTakeForMissingEdns() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "+cookie=0102030405060708aabbcc", "shop.example");
    assertThat(out).contains("status: FORMERR").contains("EDNS: version: 0");
    assertThat(out).doesNotContain("retry with '+noedns'");
  }

  @Test
  void aClientAskingOverTcpIsToldTheIdleTimeoutAsBindTellsIt() throws Exception {
    // RFC 7828: the tests' servers close idle TCP connections after 10 s.
    String tcp = TestDns.dig(server.dnsPort(), "+tcp", "+keepalive", "www.shop.example", "A");
    assertThat(tcp).contains("status: NOERROR").contains("TCP KEEPALIVE: 10.0 secs");
    String udp = TestDns.dig(server.dnsPort(), "+keepalive", "www.shop.example", "A");
    assertThat(udp).contains("status: NOERROR").doesNotContain("KEEPALIVE");
  }

  @Test
  void digOverTcpSeesNxdomainWithTheSoa() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "+tcp", "nope.shop.example", "A");
    assertThat(out).contains("status: NXDOMAIN").containsPattern("flags: qr aa rd;");
    assertThat(out)
        .contains("AUTHORITY SECTION")
        .containsPattern("shop\\.example\\.\\s+300\\s+IN\\s+SOA");
  }
}
