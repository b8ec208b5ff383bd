package io.shopstack.dns.resolver.iteration;

import io.shopstack.common.admin.Metrics;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.resolver.ResolverConfig;
import io.shopstack.dns.resolver.ResolverServer;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The DNS tree of the journey in miniature, on real sockets: root, example., shop.example.,
 * cdn.example. (with a GSLB for shop.cdn.example) and a glueless partner.example., each on its own
 * loopback address and all on one port, as the resolver expects of authoritative servers.
 */
public final class FixtureInternet implements AutoCloseable {
  static final String ROOT = "127.153.0.2";
  static final String NORTH_EDGE = "127.28.1.20";
  static final String SOUTH_EDGE = "127.28.2.20";
  static final String UNKNOWN_REGION_EDGE = "127.28.0.99";

  final FixtureAuthority root;
  final FixtureAuthority example;
  final FixtureAuthority shop;
  final FixtureAuthority cdn;
  final FixtureAuthority partner;

  /** twin.example's two servers: the first one listed never answers. */
  final FixtureAuthority twinDead;

  final FixtureAuthority twinAlive;

  public FixtureInternet() throws Exception {
    // The first server picks a free port; the others share it on their own addresses.
    root = new FixtureAuthority(".", ROOT, 0, null);
    int port = root.port();
    example = new FixtureAuthority("example.", "127.153.0.3", port, null);
    shop = new FixtureAuthority("shop.example.", "127.153.0.4", port, null);
    cdn =
        new FixtureAuthority(
            "cdn.example.",
            "127.153.0.5",
            port,
            new FixtureAuthority.Gslb(
                Name.fromString("shop.cdn.example."),
                Map.of(
                    AddressBlock.parse("127.1.1.0/24"), InetAddress.getByName(NORTH_EDGE),
                    AddressBlock.parse("127.1.2.0/24"), InetAddress.getByName(SOUTH_EDGE))));
    partner = new FixtureAuthority("partner.example.", "127.153.0.6", port, null);
    twinAlive = new FixtureAuthority("twin.example.", "127.153.0.7", port, null);
    twinDead = new FixtureAuthority("twin.example.", "127.153.0.8", port, null);
    twinDead.unansweredToCome.set(Integer.MAX_VALUE);
  }

  /** Our resolver with the shipped configuration on {@code address}, from this tree's root. */
  public ResolverServer shippedResolver(String instance, String address) throws Exception {
    return shippedResolver(instance, address, Map.of());
  }

  /** The same with some of the shipped file's environment overrides set. */
  public ResolverServer shippedResolver(String instance, String address, Map<String, String> env)
      throws Exception {
    Map<String, String> variables = new java.util.HashMap<>(env);
    variables.put("SHOP_INSTANCE", instance);
    variables.put("SHOP_BIND", address);
    ResolverConfig shipped =
        ConfigLoader.load(ResolverConfig.class, "classpath:dns-resolver.yml", variables);
    return new ResolverServer(
            new ResolverConfig(
                shipped.instance(),
                shipped.bind(),
                0,
                shipped.sourceAddress(),
                0,
                List.of(ROOT),
                port(),
                shipped.allow(),
                shipped.clientQueriesPerSecond(),
                shipped.ecs(),
                shipped.limits(),
                shipped.hardening(),
                shipped.cache(),
                shipped.tcp(),
                shipped.shutdownSeconds(),
                shipped.transport()),
            Metrics.registry(instance),
            InstantSource.system())
        .start();
  }

  int port() {
    return root.port();
  }

  public int totalQueries() {
    return all().stream().mapToInt(server -> server.queries.get()).sum();
  }

  List<FixtureAuthority> all() {
    return List.of(root, example, shop, cdn, partner);
  }

  @Override
  public void close() {
    all().forEach(FixtureAuthority::close);
    twinAlive.close();
    twinDead.close();
  }
}
