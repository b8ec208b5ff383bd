package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.resolver.ResolverServer;
import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

/**
 * Our answers against unbound's (the Debian package), both resolving through the same fixture
 * authorities on loopback. unbound follows referrals to port 53 only, so it is given each fixture
 * zone as a stub zone (address@port); ours iterates from the root hint. Compared: response code and
 * the answer section (names, types, data; not TTLs, which differ by seconds). Fails, never skips,
 * where unbound is not installed: docker/setup.sh installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswersEqualUnboundTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final String UNBOUND = "127.153.0.54";

  private FixtureInternet internet;
  private ResolverServer ours;
  private UnboundPeer unbound;

  @BeforeAll
  void start() throws Exception {
    assertThat(new File(UnboundPeer.UNBOUND).canExecute())
        .as("unbound is installed (docker/setup.sh installs it)")
        .isTrue();
    internet = new FixtureInternet();
    ours = internet.shippedResolver("resolver-vs-unbound", RESOLVER);
    startUnbound();
  }

  private void startUnbound() throws Exception {
    String[] servers = {"127.153.0.2", "127.153.0.3", "127.153.0.4", "127.153.0.5", "127.153.0.6"};
    String[] zones = {".", "example.", "shop.example.", "cdn.example.", "partner.example."};
    Map<String, String> stubs = new java.util.LinkedHashMap<>();
    for (int i = 0; i < zones.length; i++) {
      stubs.put(zones[i], servers[i]);
    }
    unbound = new UnboundPeer(UNBOUND, stubs, internet.port());
  }

  @AfterAll
  void stop() throws Exception {
    if (unbound != null) {
      unbound.close();
    }
    if (ours != null) {
      ours.close();
    }
    if (internet != null) {
      internet.close();
    }
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
    "www.shop.example., ANY",
  })
  void sameAnswerAsUnbound(String name, String type) throws Exception {
    int t = Type.value(type);
    String theirs = UnboundPeer.summary(unbound.ask(name, t));
    String mine = UnboundPeer.summary(UnboundPeer.ask(RESOLVER, ours.dnsPort(), name, t));
    assertThat(theirs).as("unbound resolved it").doesNotStartWith("SERVFAIL");
    assertThat(mine).isEqualTo(theirs);
  }
}
