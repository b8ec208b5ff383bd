package io.shopstack.dns.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * RFC 7871 7.1: a Client Subnet option a server cannot use is answered with FORMERR, and the server
 * keeps answering. The options are raw bytes, since a correct client library refuses to build them.
 */
class BadClientSubnetTest {
  private static CdnDnsServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new CdnDnsServer(
                ConfigLoader.load(
                    CdnDnsConfig.class,
                    "classpath:dns-cdn.yml",
                    Map.of(
                        "SHOP_BIND", "127.0.0.1",
                        "SHOP_DNS_PORT", "0",
                        "SHOP_ADMIN_PORT", "0",
                        "SHOP_GSLB_CHECK_MILLIS", "0")))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** FAMILY (2 bytes), SOURCE, SCOPE, ADDRESS, as hex. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0003180080401c02", // family 3: neither IPv4 nor IPv6
        "0001210080401c0200", // source /33 for an IPv4 address
        "000118087f1c02", // scope /8 in a query: it must be 0
        "000118007f1c0201", // four address bytes for a /24: too many
        "000118007f1c03" // 127.28.3 with 0x03: fine, control (answered)
      })
  void anUnusableClientSubnetIsFormerrAndTheServerGoesOn(String option) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString("shop.cdn.example."), Type.A, 1));
    q.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of((EDNSOption) new GenericEDNSOption(8, hex(option)))),
        Section.ADDITIONAL);
    // Raw UDP: a FORMERR may come without the question (as BIND sends it), which dnsjava's
    // resolver refuses to read; the RCODE is the low nibble of byte 3.
    byte[] answer = new byte[1232];
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(2000);
      byte[] wire = q.toWire();
      socket.send(
          new DatagramPacket(
              wire, wire.length, InetAddress.getLoopbackAddress(), server.dnsPort()));
      socket.receive(new DatagramPacket(answer, answer.length));
    }
    assertThat(answer[0] << 8 & 0xff00 | answer[1] & 0xff).isEqualTo(q.getHeader().getID());
    boolean control = option.equals("000118007f1c03");
    assertThat(answer[3] & 0x0f).isEqualTo(control ? Rcode.NOERROR : Rcode.FORMERR);
    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
    r.setPort(server.dnsPort());
    r.setTimeout(Duration.ofSeconds(2));
    Message after =
        r.send(Message.newQuery(Record.newRecord(Name.fromString("cdn.example."), Type.SOA, 1)));
    assertThat(after.getRcode()).isEqualTo(Rcode.NOERROR);
  }
}
