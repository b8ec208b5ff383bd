package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.resolver.ResolverServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.ARecord;
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
 * The misbehaving authorities that the other tests do not cover, on real sockets with the
 * shipped configuration: a delegation to a server nobody runs, one to a server name that does not
 * exist, a child delegated back to the server that delegates it, an endless chain of ever deeper
 * referrals, and a server that answers SERVFAIL. Each ends in SERVFAIL after a bounded number of
 * queries, and none leaves anything in the cache that a later, healthy answer would not replace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MisbehavingDelegationsTest {
  private static final String RESOLVER = "127.153.0.54";

  private FixtureInternet internet;
  private EndlessReferrals endless;
  private ResolverServer ours;

  @BeforeAll
  void start() throws Exception {
    internet = new FixtureInternet();
    endless = new EndlessReferrals("127.153.0.13", internet.port());
    ours = internet.shippedResolver("resolver-misbehaving", RESOLVER);
    // Root and TLD cuts cached, so that the counts below are the misbehaving zones' own.
    assertThat(ask("www.shop.example.", true).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @AfterAll
  void stop() {
    ours.close();
    endless.close();
    internet.close();
  }

  private Message ask(String name, boolean recursionDesired) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, ours.dnsPort()));
    client.setLocalAddress(InetAddress.getByName("127.0.0.1"));
    client.setTimeout(Duration.ofSeconds(15));
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    if (!recursionDesired) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    return client.send(query);
  }

  @Test
  void aDelegationToAServerNobodyRunsEndsInServfail() throws Exception {
    int before = internet.totalQueries();

    assertThat(ask("www.void.example.", true).getRcode()).isEqualTo(Rcode.SERVFAIL);
    // The TLD is not asked again and again: the dead server is what times out.
    assertThat(internet.totalQueries() - before).isBetween(0, 3);
  }

  @Test
  void aDelegationToAServerNameThatDoesNotExistEndsInServfail() throws Exception {
    int before = internet.totalQueries();

    assertThat(ask("www.ghost.example.", true).getRcode()).isEqualTo(Rcode.SERVFAIL);
    // The referral, the lookup of the server's name (NXDOMAIN from shop.example.), no loop.
    assertThat(internet.totalQueries() - before).isBetween(1, 8);
  }

  @Test
  void aChildDelegatedBackToItsParentsServerEndsInServfail() throws Exception {
    int before = internet.totalQueries();

    assertThat(ask("www.selfloop.example.", true).getRcode()).isEqualTo(Rcode.SERVFAIL);
    // The same referral over and over is no progress: bounded, not maxReferrals times each name.
    assertThat(internet.totalQueries() - before).isBetween(1, 20);
  }

  @Test
  void anEndlessChainOfReferralsEndsInServfailAtTheReferralLimit() throws Exception {
    // 24 labels below endless.example.: more zone cuts than maxReferrals (16) lets it follow.
    StringBuilder deep = new StringBuilder();
    for (char label = 'a'; label < 'a' + 24; label++) {
      deep.append(label).append('.');
    }

    Message response = ask(deep + "endless.example.", true);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    // One query per referral up to the limit (16 seen), not one per label (25).
    assertThat(endless.queries.get()).isBetween(2, 20);
  }

  @Test
  void aServerAnsweringServfailPoisonsNothing() throws Exception {
    internet.partner.failing = true;
    try {
      assertThat(ask("www.partner.example.", true).getRcode()).isEqualTo(Rcode.SERVFAIL);
      Message cached = ask("www.partner.example.", false);
      assertThat(cached.getSection(Section.ANSWER)).isEmpty();
    } finally {
      internet.partner.failing = false;
    }

    Message healthy = ask("www.partner.example.", true);
    assertThat(healthy.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(healthy.getSection(Section.ANSWER))
        .first()
        .isInstanceOfSatisfying(
            ARecord.class,
            a ->
                assertThat(a.getName()).isEqualTo(Name.fromConstantString("www.partner.example.")));
  }
}
