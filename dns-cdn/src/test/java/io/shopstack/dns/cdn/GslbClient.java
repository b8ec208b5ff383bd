package io.shopstack.dns.cdn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** A resolver asking the GSLB over real sockets, with or without a client subnet. */
final class GslbClient {
  private GslbClient() {}

  static Message ask(int port, String name, int type, String subnet, boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
    r.setPort(port);
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(2));
    r.setLocalAddress(new InetSocketAddress("127.0.0.1", 0));
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, 1));
    if (subnet != null) {
      String[] parts = subnet.split("/");
      ClientSubnetOption ecs =
          new ClientSubnetOption(Integer.parseInt(parts[1]), InetAddress.getByName(parts[0]));
      q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of((EDNSOption) ecs)), Section.ADDITIONAL);
    }
    return r.send(q);
  }

  /** The A records the GSLB gives a client in {@code subnet}, over UDP. */
  static List<String> edgesFor(int port, String subnet) throws Exception {
    return ask(port, "shop.cdn.example.", Type.A, subnet, false).getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .toList();
  }

  /** Why the GSLB places a client in {@code subnet} where it does: its TXT explanation. */
  static String explanation(int port, String subnet) throws Exception {
    return ask(port, "shop.cdn.example.", Type.TXT, subnet, false)
        .getSection(Section.ANSWER)
        .stream()
        .map(Record::rdataToString)
        .findFirst()
        .orElse("");
  }
}
