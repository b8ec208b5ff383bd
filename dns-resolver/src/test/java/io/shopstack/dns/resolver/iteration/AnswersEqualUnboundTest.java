package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.admin.Metrics;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.resolver.ResolverConfig;
import io.shopstack.dns.resolver.ResolverServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Our answers against unbound's (the Debian package), both resolving through the same fixture
 * authorities on loopback. unbound follows referrals to port 53 only, so it is given each fixture
 * zone as a stub zone (address@port); ours iterates from the root hint. Compared: response code and
 * the answer section (names, types, data; not TTLs, which differ by seconds). Skipped where unbound
 * is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswersEqualUnboundTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final String UNBOUND = "127.153.0.54";

  private FixtureInternet internet;
  private ResolverServer ours;
  private Process unbound;
  private int unboundPort;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    assumeThat(new File("/usr/sbin/unbound").canExecute()).as("unbound installed").isTrue();
    internet = new FixtureInternet();
    ResolverConfig shipped =
        ConfigLoader.load(
            ResolverConfig.class,
            "classpath:dns-resolver.yml",
            Map.of("SHOP_INSTANCE", "resolver-vs-unbound", "SHOP_BIND", RESOLVER));
    ours =
        new ResolverServer(
                new ResolverConfig(
                    shipped.instance(),
                    shipped.bind(),
                    0,
                    shipped.sourceAddress(),
                    0,
                    List.of(FixtureInternet.ROOT),
                    internet.port(),
                    shipped.allow(),
                    shipped.clientQueriesPerSecond(),
                    shipped.ecs(),
                    shipped.limits(),
                    shipped.hardening(),
                    shipped.cache(),
                    shipped.tcp(),
                    shipped.shutdownSeconds()),
                Metrics.registry("resolver-vs-unbound"),
                InstantSource.system())
            .start();
    startUnbound();
  }

  private void startUnbound() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(UNBOUND))) {
      unboundPort = probe.getLocalPort(); // free for TCP; UDP is checked by unbound's start
    }
    work = Files.createTempDirectory("unbound-vs-ours");
    int p = internet.port();
    String conf =
        String.join(
            "\n",
            "server:",
            "  interface: " + UNBOUND + "@" + unboundPort,
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
            "  control-enable: no",
            stub(".", "127.153.0.2", p),
            stub("example.", "127.153.0.3", p),
            stub("shop.example.", "127.153.0.4", p),
            stub("cdn.example.", "127.153.0.5", p),
            stub("partner.example.", "127.153.0.6", p),
            "");
    Path file = work.resolve("unbound.conf");
    Files.writeString(file, conf);
    unbound =
        new ProcessBuilder("/usr/sbin/unbound", "-d", "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("unbound.out").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> ask(UNBOUND, unboundPort, "www.shop.example.", Type.A).getRcode() == 0);
  }

  private static String stub(String zone, String address, int port) {
    return "stub-zone:\n  name: \"" + zone + "\"\n  stub-addr: " + address + "@" + port;
  }

  @AfterAll
  void stop() throws Exception {
    if (unbound != null) {
      unbound.destroy();
      unbound.waitFor();
    }
    if (ours != null) {
      ours.close();
    }
    if (internet != null) {
      internet.close();
    }
    if (work != null) {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static Message ask(String server, int port, String name, int type) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(server, port));
    // Outside the fixture GSLB's regions: both get the "unknown region" edge, ECS or not.
    client.setLocalAddress(InetAddress.getByName("127.0.0.1"));
    client.setTimeout(Duration.ofSeconds(6));
    return client.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  private static String summary(Message response) {
    return Rcode.string(response.getRcode())
        + " "
        + response.getSection(Section.ANSWER).stream()
            .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
            .sorted()
            .collect(Collectors.joining(", "));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "www.shop.example., A",
    "static.shop.example., A",
    "shop.cdn.example., A",
    "nosuch.shop.example., A",
    "www.shop.example., AAAA",
    "er.shop.example., A",
    "deep.er.shop.example., A",
    "c1.shop.example., A",
    "anything.wild.shop.example., A",
    "www.partner.example., A",
    "big.shop.example., A",
    "nosuch.example., A",
    "shop.example., NS",
  })
  void sameAnswerAsUnbound(String name, String type) throws Exception {
    int t = Type.value(type);
    String theirs = summary(ask(UNBOUND, unboundPort, name, t));
    String mine = summary(ask(RESOLVER, ours.dnsPort(), name, t));
    assertThat(theirs).as("unbound resolved it").doesNotStartWith("SERVFAIL");
    assertThat(mine).isEqualTo(theirs);
  }
}
