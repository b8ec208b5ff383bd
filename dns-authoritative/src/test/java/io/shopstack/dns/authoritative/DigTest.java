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
  void digOverTcpSeesNxdomainWithTheSoa() throws Exception {
    String out = TestDns.dig(server.dnsPort(), "+tcp", "nope.shop.example", "A");
    assertThat(out).contains("status: NXDOMAIN").containsPattern("flags: qr aa rd;");
    assertThat(out)
        .contains("AUTHORITY SECTION")
        .containsPattern("shop\\.example\\.\\s+300\\s+IN\\s+SOA");
  }
}
