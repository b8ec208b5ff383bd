package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.edns.Edns;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    return new AuthoritativeConfig(
        "test",
        "127.0.0.1",
        0,
        0,
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
        AuthoritativeConfig.DEFAULT_SHUTDOWN_SECONDS);
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
   * installs it) rather than skipping it.
   */
  static String dig(int port, String... args) throws Exception {
    Path dig = Path.of("/usr/bin/dig");
    assertThat(Files.isExecutable(dig))
        .as("dig is installed (apt-get install bind9-dnsutils, or run docker/setup.sh)")
        .isTrue();
    List<String> command =
        new ArrayList<>(
            List.of(dig.toString(), "@127.0.0.1", "-p", String.valueOf(port), "+tries=1"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    // Read before waiting: a big transfer fills the pipe, and dig would block on it.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("dig finished").isTrue();
    return out;
  }
}
