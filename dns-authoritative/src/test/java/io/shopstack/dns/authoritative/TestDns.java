package io.shopstack.dns.authoritative;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Starts real servers on 127.0.0.1:0 and asks them with dnsjava's own client. */
final class TestDns {
  private TestDns() {}

  static AuthoritativeServer start(String zones) throws InterruptedException {
    return new AuthoritativeServer(
            new AuthoritativeConfig(
                "test", "127.0.0.1", 0, 0, 1232, 10, zones, Map.of("SHOP_NET", "127")))
        .start();
  }

  /** Every setting spelled out, for tests of rate limiting, transfers and reloads. */
  static AuthoritativeConfig config(
      String zones,
      AuthoritativeConfig.RateLimit rrl,
      AuthoritativeConfig.Transfer transfer,
      int zoneCheckSeconds) {
    return new AuthoritativeConfig(
        "test",
        "127.0.0.1",
        0,
        0,
        1232,
        10,
        zones,
        Map.of("SHOP_NET", "127"),
        16,
        rrl,
        transfer,
        zoneCheckSeconds);
  }

  static SimpleResolver resolver(int port, boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
    r.setPort(port);
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(2));
    return r;
  }

  static Message ask(int port, boolean tcp, String name, int type) throws Exception {
    return resolver(port, tcp).send(query(name, type));
  }

  static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, 1));
  }

  /** "owner TTL type rdata" per record, the way dig prints a section. */
  static List<String> section(Message message, int section) {
    return message.getSection(section).stream()
        .map(
            r ->
                r.getName()
                    + " "
                    + r.getTTL()
                    + " "
                    + Type.string(r.getType())
                    + " "
                    + r.rdataToString())
        .collect(Collectors.toList());
  }
}
