package io.shopstack.dns.authoritative;

import io.shopstack.common.testing.ExternalCommand;
import io.shopstack.dns.edns.Edns;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
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
            config(
                zones, AuthoritativeConfig.RateLimit.OFF, AuthoritativeConfig.Transfer.DEFAULT, 0))
        .start();
  }

  /** Every setting spelled out, for tests of rate limiting, transfers and reloads. */
  static AuthoritativeConfig config(
      String zones,
      AuthoritativeConfig.RateLimit rrl,
      AuthoritativeConfig.Transfer transfer,
      int zoneCheckSeconds) {
    return config("test", 0, 0, zones, rrl, transfer, zoneCheckSeconds, 5);
  }

  /** An instance of its own name and ports, for tests of starting and stopping. */
  static AuthoritativeConfig config(
      String instance,
      int dnsPort,
      int adminPort,
      String zones,
      int zoneCheckSeconds,
      int shutdownSeconds) {
    return config(
        instance,
        dnsPort,
        adminPort,
        zones,
        AuthoritativeConfig.RateLimit.OFF,
        AuthoritativeConfig.Transfer.DEFAULT,
        zoneCheckSeconds,
        shutdownSeconds);
  }

  private static AuthoritativeConfig config(
      String instance,
      int dnsPort,
      int adminPort,
      String zones,
      AuthoritativeConfig.RateLimit rrl,
      AuthoritativeConfig.Transfer transfer,
      int zoneCheckSeconds,
      int shutdownSeconds) {
    return new AuthoritativeConfig(
        instance,
        "127.0.0.1",
        dnsPort,
        adminPort,
        Edns.PAYLOAD_SIZE,
        10,
        zones,
        Map.of("SHOP_NET", "127"),
        16,
        rrl,
        transfer,
        zoneCheckSeconds,
        150,
        30,
        shutdownSeconds);
  }

  /** {@code config} on another transport ({@code auto}, {@code epoll}, {@code nio}). */
  static AuthoritativeConfig on(AuthoritativeConfig config, String transport, int udpChannels) {
    return new AuthoritativeConfig(
        config.instance(),
        config.bind(),
        config.dnsPort(),
        config.adminPort(),
        config.maxUdpPayload(),
        config.tcpIdleSeconds(),
        config.zones(),
        config.zoneVariables(),
        config.tcpConnectionsPerClient(),
        config.rrl(),
        config.transfer(),
        config.zoneCheckSeconds(),
        config.tcpConnections(),
        config.tcpQuerySeconds(),
        config.shutdownSeconds(),
        transport,
        udpChannels);
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

  /**
   * Runs the real dig against a server on 127.0.0.1 and returns what it printed. dig is a client we
   * did not write, which is the point; a machine without it fails the test (docker/setup.sh
   * installs it: bind9-dnsutils) rather than skipping it.
   */
  static String dig(int port, String... args) {
    List<String> command =
        new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(port), "+tries=1"));
    command.addAll(List.of(args));
    return ExternalCommand.run(Duration.ofSeconds(10), command).assertSuccess().output();
  }
}
