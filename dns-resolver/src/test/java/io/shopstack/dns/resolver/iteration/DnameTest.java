package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.resolver.ResolverServer;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNAME (RFC 6672) through a real authoritative server we did not write: NSD serves {@code
 * moved.example.}, whose DNAMEs rename subtrees into the fixture's shop and CDN zones, into itself
 * and into a loop. Our answers are checked record by record and compared with unbound's over the
 * same servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnameTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final String UNBOUND = "127.153.0.54";
  private static final String NSD = "127.153.0.9";

  private FixtureInternet internet;
  private NsdAuthority moved;
  private ResolverServer ours;
  private UnboundPeer unbound;

  @BeforeAll
  void start() throws Exception {
    internet = new FixtureInternet();
    moved = new NsdAuthority("moved.example.", NSD, internet.port());
    ours = internet.shippedResolver("resolver-dname", RESOLVER);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {unbound, ours, moved, internet}) {
      if (running != null) {
        running.close();
      }
    }
  }

  private Message ask(String name, int type) throws Exception {
    return UnboundPeer.ask(RESOLVER, ours.dnsPort(), name, type);
  }

  private static List<String> answer(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .map(
            r ->
                r.getName()
                    + " "
                    + r.getTTL()
                    + " "
                    + Type.string(r.getType())
                    + " "
                    + r.rdataToString())
        .toList();
  }

  private double upstreamQueries() {
    return ours.registry()
        .get("resolver_upstream_queries")
        .meter()
        .measure()
        .iterator()
        .next()
        .getValue();
  }

  @Test
  void substitutionLeadsIntoAnotherZoneAndTheClientGetsDnameAndItsCname() throws Exception {
    Message response = ask("www.shop.moved.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER).stream().map(Record::getType).toList())
        .containsExactly(Type.DNAME, Type.CNAME, Type.A);
    assertThat(answer(response).get(0))
        .matches("shop\\.moved\\.example\\. \\d+ DNAME shop\\.example\\.");
    assertThat(answer(response).get(1))
        .matches("www\\.shop\\.moved\\.example\\. \\d+ CNAME www\\.shop\\.example\\.");
    assertThat(answer(response).get(2)).matches("www\\.shop\\.example\\. \\d+ A 127\\.28\\.0\\.80");
    // The CNAME is made from the DNAME, so it lives exactly as long (RFC 6672 3.4).
    List<Record> records = response.getSection(Section.ANSWER);
    assertThat(records.get(1).getTTL()).isEqualTo(records.get(0).getTTL());
  }

  @Test
  void aCachedDnameRenamesOtherNamesBelowItWithoutAskingAnyone() throws Exception {
    ask("www.shop.moved.example.", Type.A); // caches the DNAME
    ask("c2.shop.example.", Type.A); // caches where the renamed name leads
    double before = upstreamQueries();

    Message response = ask("c2.shop.moved.example.", Type.A);

    assertThat(upstreamQueries()).isEqualTo(before);
    assertThat(
            response.getSection(Section.ANSWER).stream()
                .map(r -> r.getName() + " " + Type.string(r.getType()))
                .toList())
        .containsExactly(
            "shop.moved.example. DNAME",
            "c2.shop.moved.example. CNAME",
            "c2.shop.example. CNAME",
            "www.shop.example. A");
  }

  @Test
  void aLoopOfDnamesEndsInServfailAfterFewQueries() throws Exception {
    double before = upstreamQueries();

    Message response = ask("x.loop.moved.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(upstreamQueries() - before).isBetween(1.0, 10.0);
  }

  @Test
  void aNameTooLongToRewriteIsYxdomainWithTheDname() throws Exception {
    String name = "x".repeat(60) + ".long.moved.example.";

    Message fromAuthority = ask(name, Type.A);
    Message fromCache = ask(name, Type.A);

    for (Message response : List.of(fromAuthority, fromCache)) {
      assertThat(response.getRcode()).isEqualTo(Rcode.YXDOMAIN);
      assertThat(response.getSection(Section.ANSWER).stream().map(Record::getType).toList())
          .containsExactly(Type.DNAME);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "www.shop.moved.example., A",
    "static.shop.moved.example., A",
    "c1.shop.moved.example., A",
    "nosuch.shop.moved.example., A",
    "shop.cdn.moved.example., A",
    "www.inside.moved.example., A",
    "nosuch.inside.moved.example., A",
    "www.shop.moved.example., CNAME",
    "shop.moved.example., DNAME",
    "shop.moved.example., A",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.long.moved.example., A",
  })
  void sameAnswerAsUnbound(String name, String type) throws Exception {
    startUnbound();
    int t = Type.value(type);
    String theirs = UnboundPeer.summary(unbound.ask(name, t));
    String mine = UnboundPeer.summary(ask(name, t));
    assertThat(theirs).as("unbound resolved it").doesNotStartWith("SERVFAIL");
    assertThat(mine).isEqualTo(theirs);
  }

  private void startUnbound() throws Exception {
    assertThat(new File(UnboundPeer.UNBOUND).canExecute())
        .as("unbound is installed (docker/setup.sh installs it)")
        .isTrue();
    if (unbound == null) {
      Map<String, String> stubs = new LinkedHashMap<>();
      stubs.put(".", FixtureInternet.ROOT);
      stubs.put("example.", "127.153.0.3");
      stubs.put("shop.example.", "127.153.0.4");
      stubs.put("cdn.example.", "127.153.0.5");
      stubs.put("moved.example.", NSD);
      unbound = new UnboundPeer(UNBOUND, stubs, internet.port());
    }
  }
}
