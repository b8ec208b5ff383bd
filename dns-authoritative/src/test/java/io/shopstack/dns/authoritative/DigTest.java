package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The judge we did not write: ISC's dig, reading our answers off the wire. */
class DigTest {
  private static AuthoritativeServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestDns.start("shop.example.=classpath:zones/shop.example.zone");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

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
