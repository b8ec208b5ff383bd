package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.resolver.ResolverServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * unbound's {@code unwanted-reply-threshold}: the hostile server's forgeries (those the kernel lets
 * through to the query's connected socket: wrong ID, other name, other type, cut short) count as
 * unwanted replies; past the threshold the caches are emptied, so an answer cached before is asked
 * again. Without a threshold (the default) they are only counted.
 */
class UnwantedReplyThresholdTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final Name SHOP_WWW = Name.fromConstantString("www.shop.example.");

  private FixtureInternet internet;
  private HostileAuthority hostile;
  private ResolverServer ours;

  @BeforeEach
  void start() throws Exception {
    internet = new FixtureInternet();
    hostile = new HostileAuthority("127.153.0.10", "127.153.0.11", internet.port());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {ours, hostile, internet}) {
      if (running != null) {
        running.close();
      }
    }
  }

  private Message ask(Name name) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, ours.dnsPort()));
    client.setLocalAddress(InetAddress.getByName("127.0.0.1"));
    client.setTimeout(Duration.ofSeconds(6));
    return client.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
  }

  private double counter(String name) {
    return ours.registry().get(name).functionCounter().count();
  }

  /** Queries the shop's server received for {@code www.shop.example} while it was asked again. */
  private int shopQueriesFor() throws Exception {
    int before = internet.shop.queries.get();
    assertThat(ask(SHOP_WWW).getRcode()).isEqualTo(Rcode.NOERROR);
    return internet.shop.queries.get() - before;
  }

  @Test
  void pastTheThresholdTheCachesAreEmptied() throws Exception {
    ours =
        internet.shippedResolver(
            "resolver-threshold", RESOLVER, Map.of("SHOP_RESOLVER_UNWANTED_REPLY_THRESHOLD", "3"));
    ask(SHOP_WWW);
    assertThat(shopQueriesFor()).as("cached").isZero();

    assertThat(ask(HostileAuthority.WWW).getRcode()).isEqualTo(Rcode.NOERROR);

    assertThat(counter("resolver_unwanted_replies")).isGreaterThanOrEqualTo(3);
    assertThat(counter("resolver_unwanted_flushes")).isEqualTo(1);
    assertThat(shopQueriesFor()).as("flushed, asked again").isEqualTo(1);
  }

  @Test
  void withoutAThresholdTheyAreOnlyCounted() throws Exception {
    ours = internet.shippedResolver("resolver-no-threshold", RESOLVER);
    ask(SHOP_WWW);

    ask(HostileAuthority.WWW);

    assertThat(counter("resolver_unwanted_replies")).isGreaterThanOrEqualTo(3);
    assertThat(counter("resolver_unwanted_flushes")).isZero();
    assertThat(shopQueriesFor()).isZero();
  }
}
