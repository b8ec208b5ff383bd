package io.shopstack.dns.resolver.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import io.shopstack.dns.resolver.ResolverServer;
import io.shopstack.dns.resolver.iteration.FixtureInternet;
import io.shopstack.dns.resolver.iteration.UnboundPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * unbound-control's flush, flush_zone and dump_cache on the admin port, driven with curl as an
 * operator would, over the fixture tree on real sockets: what a flush removes is asked upstream
 * again, what it leaves is still answered from the cache.
 */
class CacheControlTest {
  private static final String RESOLVER = "127.153.0.53";

  private FixtureInternet internet;
  private ResolverServer resolver;

  @BeforeEach
  void start() throws Exception {
    internet = new FixtureInternet();
    resolver = internet.shippedResolver("resolver-control", RESOLVER);
  }

  @AfterEach
  void stop() {
    if (resolver != null) {
      resolver.close();
    }
    if (internet != null) {
      internet.close();
    }
  }

  private String ask(String name) throws Exception {
    return UnboundPeer.summary(UnboundPeer.ask(RESOLVER, resolver.dnsPort(), name, Type.A));
  }

  private Curl.Response post(String command) {
    return Curl.run(
        "-X", "POST", "http://" + RESOLVER + ":" + resolver.adminPort() + "/" + command);
  }

  /** Upstream queries the fixture servers received while {@code name} was asked. */
  private int upstreamFor(String name) throws Exception {
    int before = internet.totalQueries();
    ask(name);
    return internet.totalQueries() - before;
  }

  @Test
  void flushForgetsOneNameOnly() throws Exception {
    assertThat(ask("www.shop.example.")).isEqualTo("NOERROR www.shop.example. A 127.28.0.80");
    ask("shop.cdn.example.");
    assertThat(upstreamFor("www.shop.example.")).as("cached").isZero();

    Curl.Response flushed = post("flush?name=www.shop.example");
    assertThat(flushed.status()).isEqualTo(200);
    assertThat(flushed.body()).startsWith("ok removed 1 entries");

    assertThat(upstreamFor("www.shop.example."))
        .as("asked again, straight from the cached zone cut")
        .isEqualTo(1);
    assertThat(upstreamFor("shop.cdn.example.")).as("another name stays cached").isZero();
  }

  @Test
  void flushZoneForgetsEverythingBelowAndTheZoneCut() throws Exception {
    ask("www.shop.example.");
    ask("nosuch.shop.example.");
    ask("shop.cdn.example.");

    Curl.Response flushed = post("flush_zone?name=shop.example.");
    assertThat(flushed.status()).isEqualTo(200);
    assertThat(flushed.body()).contains("and 1 zone cuts");

    assertThat(upstreamFor("nosuch.shop.example.")).as("negative answers go too").isPositive();
    assertThat(upstreamFor("shop.cdn.example.")).as("another zone stays cached").isZero();
    assertThat(ask("www.shop.example.")).isEqualTo("NOERROR www.shop.example. A 127.28.0.80");
  }

  @Test
  void dumpCacheListsRecordsAndNegativeAnswers() throws Exception {
    ask("www.shop.example.");
    ask("nosuch.shop.example.");

    Curl.Response dump = post("dump_cache");

    assertThat(dump.status()).isEqualTo(200);
    assertThat(dump.body())
        .containsPattern("(?m)^www\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.28\\.0\\.80$")
        .containsPattern("(?m)^; NXDOMAIN nosuch\\.shop\\.example\\. A ttl \\d+$");
  }

  @Test
  void aFlushNeedsAValidNameAndPost() {
    assertThat(post("flush").status()).isEqualTo(400);
    assertThat(post("flush_zone?name=a..b").status()).isEqualTo(400);
    assertThat(
            Curl.run("http://" + RESOLVER + ":" + resolver.adminPort() + "/flush?name=x").status())
        .isEqualTo(405);
  }
}
