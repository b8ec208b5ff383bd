package io.shopstack.dns.resolver.iteration;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * unbound (the Debian package) as a resolver over the fixture authorities, the peer our answers are
 * compared with. unbound follows referrals to port 53 only, so it is given each fixture zone as a
 * stub zone (address@port) and does not iterate itself there.
 */
public final class UnboundPeer implements AutoCloseable {
  static final String UNBOUND = "/usr/sbin/unbound";

  private final String address;
  private final Path work;
  private final Process unbound;
  private final int port;

  /**
   * @param stubs zone name to the address of its server, all on {@code authorityPort}
   */
  UnboundPeer(String address, Map<String, String> stubs, int authorityPort) throws Exception {
    this.address = address;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      port = probe.getLocalPort(); // free for TCP; UDP is checked by unbound's start
    }
    work = Files.createTempDirectory("unbound-peer");
    List<String> conf =
        new ArrayList<>(
            List.of(
                "server:",
                "  interface: " + address + "@" + port,
                "  num-threads: 1",
                "  do-daemonize: no",
                "  use-syslog: no",
                "  logfile: \"" + work.resolve("unbound.log") + "\"",
                "  chroot: \"\"",
                "  username: \"\"",
                "  directory: \"" + work + "\"",
                "  pidfile: \"" + work.resolve("unbound.pid") + "\"",
                "  access-control: 127.0.0.0/8 allow",
                "  do-not-query-localhost: no",
                "  do-ip6: no",
                "  module-config: \"iterator\"",
                "remote-control:",
                "  control-enable: no"));
    stubs.forEach(
        (zone, server) -> {
          conf.add("stub-zone:");
          conf.add("  name: \"" + zone + "\"");
          conf.add("  stub-addr: " + server + "@" + authorityPort);
        });
    conf.add("");
    Path file = work.resolve("unbound.conf");
    Files.writeString(file, String.join("\n", conf));
    unbound =
        new ProcessBuilder(UNBOUND, "-d", "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("unbound.out").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> ask("www.shop.example.", Type.A).getRcode() == 0);
  }

  /** unbound's answer to a stub client outside the fixture GSLB's regions. */
  Message ask(String name, int type) throws Exception {
    return ask(address, port, name, type);
  }

  public static Message ask(String server, int port, String name, int type) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(server, port));
    // Outside the fixture GSLB's regions: every resolver gets the "unknown region" edge.
    client.setLocalAddress(InetAddress.getByName("127.0.0.1"));
    client.setTimeout(Duration.ofSeconds(6));
    return client.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  /** What is compared: response code and answer section (not TTLs, which differ by seconds). */
  public static String summary(Message response) {
    return Rcode.string(response.getRcode())
        + " "
        + response.getSection(Section.ANSWER).stream()
            .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
            .sorted()
            .collect(Collectors.joining(", "));
  }

  @Override
  public void close() throws Exception {
    unbound.destroy();
    unbound.waitFor();
    try (var files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
