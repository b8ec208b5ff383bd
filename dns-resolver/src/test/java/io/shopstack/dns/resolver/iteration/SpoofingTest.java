package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.resolver.ResolverServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Cache poisoning attempts from a real hostile server on loopback ({@link HostileAuthority}): none
 * of its forgeries or smuggled records reaches a client or the cache, and its real answer still
 * wins at the first attempt. The cache is inspected afterwards the way an operator would, with RD=0
 * queries, which the resolver answers from its cache only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpoofingTest {
  private static final String RESOLVER = "127.153.0.53";

  private FixtureInternet internet;
  private HostileAuthority hostile;
  private ResolverServer ours;

  @BeforeAll
  void start() throws Exception {
    internet = new FixtureInternet();
    hostile = new HostileAuthority("127.153.0.10", "127.153.0.11", internet.port());
    ours = internet.shippedResolver("resolver-spoofed", RESOLVER, environment());
  }

  /** The shipped file's defaults ({@code auto}: native epoll here); a subclass runs on NIO. */
  Map<String, String> environment() {
    return Map.of();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {ours, hostile, internet}) {
      if (running != null) {
        running.close();
      }
    }
  }

  private Message ask(Name name, int type, boolean recursionDesired) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, ours.dnsPort()));
    client.setLocalAddress(InetAddress.getByName("127.0.0.1"));
    client.setTimeout(Duration.ofSeconds(6));
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    if (!recursionDesired) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    return client.send(query);
  }

  private static List<String> answer(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
        .toList();
  }

  @Test
  void forgeriesAndSmuggledRecordsAreRefusedAndTheRealAnswerWins() throws Exception {
    Message response = ask(HostileAuthority.WWW, Type.A, true);

    assertThat(hostile.forgeriesSent.get()).isEqualTo(6);
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(response)).containsExactly("www.hostile.example. A 127.28.5.5");
    // Not a retry that happened to miss the forgeries: the first query's real answer won.
    assertThat(hostile.udpQueries.get()).isEqualTo(1);

    // What the cache holds now: the real answer, and nothing the attacker slipped in.
    assertThat(answer(ask(HostileAuthority.WWW, Type.A, false)))
        .containsExactly("www.hostile.example. A 127.28.5.5");
    assertThat(answer(ask(HostileAuthority.WWW, Type.AAAA, false))).isEmpty();
    assertThat(answer(ask(HostileAuthority.UNSOLICITED, Type.A, false))).isEmpty();
    assertThat(answer(ask(Name.fromString("www.shop.example."), Type.A, false))).isEmpty();
    assertThat(answer(ask(Name.fromString("ns.shop.example."), Type.A, false))).isEmpty();
    Message shopCut = ask(Name.fromString("www.shop.example."), Type.NS, false);
    assertThat(shopCut.getSection(Section.AUTHORITY))
        .noneMatch(record -> record.rdataToString().contains("hostile"));

    // shop.example is still asked at its own server, which gives the real address.
    int shopQueries = internet.shop.queries.get();
    assertThat(answer(ask(Name.fromString("www.shop.example."), Type.A, true)))
        .containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(internet.shop.queries.get()).isGreaterThan(shopQueries);
  }

  @Test
  void aTruncatedAnswerIsNotBelievedButAskedAgainOverTcp() throws Exception {
    int tcpBefore = hostile.tcpQueries.get();

    Message response = ask(HostileAuthority.TRUNCATED, Type.A, true);

    assertThat(answer(response)).containsExactly("tc.hostile.example. A 127.28.5.6");
    assertThat(hostile.tcpQueries.get()).isEqualTo(tcpBefore + 1);
    assertThat(answer(ask(HostileAuthority.TRUNCATED, Type.A, false)))
        .containsExactly("tc.hostile.example. A 127.28.5.6");
  }
}
