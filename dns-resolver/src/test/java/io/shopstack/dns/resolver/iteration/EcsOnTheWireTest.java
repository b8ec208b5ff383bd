package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.dns.resolver.ResolverServer;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Issue 8's "done when": a packet capture shows the client's subnet only in queries to the CDN's
 * server. tcpdump captures every query the resolver, with its shipped configuration, sends on the
 * loopback while a phone in the north resolves static.shop.example through the journey's tree of
 * authoritative servers; the test reads the captured packets, not anything the resolver or the
 * servers report about themselves. Needs root for tcpdump (CI runs as root) and fails without it.
 */
class EcsOnTheWireTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final String NORTH_PHONE = "127.1.1.10";
  // FixtureInternet's addresses of the example. and shop.example. servers, and of the CDN's.
  private static final String TLD_SERVER = "127.153.0.3";
  private static final String SHOP_SERVER = "127.153.0.4";
  private static final String CDN_SERVER = "127.153.0.5";

  private FixtureInternet internet;
  private ResolverServer resolver;

  @BeforeEach
  void start() throws Exception {
    internet = new FixtureInternet();
    resolver = internet.shippedResolver("resolver-capture", RESOLVER);
  }

  @AfterEach
  void stop() {
    resolver.close();
    internet.close();
  }

  @Test
  void clientSubnetIsOnTheWireOnlyInQueriesToTheCdnsServer(@TempDir Path directory)
      throws Exception {
    List<LoopbackCapture.Datagram> captured;
    try (LoopbackCapture capture =
        LoopbackCapture.start(
            directory,
            "udp and src host "
                + RESOLVER
                + " and dst net 127.153.0.0/24 and dst port "
                + internet.port())) {
      Message response = askFromTheNorth("static.shop.example.");

      assertThat(response.getSection(Section.ANSWER))
          .extracting(Record::rdataToString)
          .contains(FixtureInternet.NORTH_EDGE);
      // The kernel hands packets to tcpdump on its own schedule: wait until it wrote them all.
      int received = internet.totalQueries();
      await().atMost(Duration.ofSeconds(10)).until(() -> capture.udpDatagrams().size() >= received);
      captured = capture.udpDatagrams();
    }

    // Every query the authorities received went over UDP and is in the capture.
    assertThat(captured).hasSize(internet.totalQueries());
    List<String> toCdn = new ArrayList<>();
    List<String> toOthers = new ArrayList<>();
    for (LoopbackCapture.Datagram datagram : captured) {
      Message query = new Message(datagram.payload());
      ClientSubnetOption ecs = ClientSubnet.optionIn(query);
      String seen =
          datagram.destination().getHostAddress()
              + " "
              + query.getQuestion().getName()
              + " "
              + Type.string(query.getQuestion().getType())
              + (query.getOPT() == null ? " no-EDNS" : " EDNS")
              + (ecs == null
                  ? " no-ECS"
                  : " ECS "
                      + ecs.getAddress().getHostAddress()
                      + "/"
                      + ecs.getSourcePrefixLength());
      (datagram.destination().equals(InetAddress.getByName(CDN_SERVER)) ? toCdn : toOthers)
          .add(seen);
    }
    assertThat(toCdn)
        .isNotEmpty()
        .allSatisfy(seen -> assertThat(seen).endsWith(" EDNS ECS 127.1.1.0/24"));
    assertThat(toOthers)
        .allSatisfy(seen -> assertThat(seen).endsWith(" EDNS no-ECS"))
        .anySatisfy(seen -> assertThat(seen).startsWith(FixtureInternet.ROOT + " "))
        .anySatisfy(seen -> assertThat(seen).startsWith(TLD_SERVER + " "))
        .anySatisfy(seen -> assertThat(seen).startsWith(SHOP_SERVER + " "));
  }

  private Message askFromTheNorth(String name) throws IOException {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, resolver.dnsPort()));
    client.setLocalAddress(InetAddress.getByName(NORTH_PHONE));
    client.setTimeout(Duration.ofSeconds(6));
    return client.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }
}
