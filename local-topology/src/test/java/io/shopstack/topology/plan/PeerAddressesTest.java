package io.shopstack.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.cdn.CdnDnsConfig;
import io.shopstack.dns.cdn.gslb.GslbSettings.EdgeSettings;
import io.shopstack.dns.resolver.ResolverConfig;
import io.shopstack.edge.EdgeCacheConfig;
import io.shopstack.edge.origin.OriginRoutes.Route;
import io.shopstack.slb.SlbConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The services' YAML files name their peers (the SLB's backends, the caches' origins, the
 * resolver's root, GSLB's edges) with {@code ${SHOP_NET}} templates; read with each mode's
 * variables from the table, those must be the table's addresses, or the two would drift.
 */
class PeerAddressesTest {
  private final Topology topology = Topology.load();

  /** A mode: its variables for an instance, and where an address of the table is in it. */
  private record Mode(String name, UnaryOperator<String> address, boolean local) {}

  private static final List<Mode> MODES =
      List.of(new Mode("local", Topology::local, true), new Mode("docker", a -> a, false));

  private <T> T config(Class<T> type, String instance, Mode mode) {
    Instance i = topology.instance(instance);
    Map<String, String> vars = mode.local() ? topology.localEnv(i) : topology.dockerEnv(i);
    return ConfigLoader.load(type, "classpath:" + i.module() + ".yml", vars);
  }

  private String at(String instance, String network, Mode mode) {
    return mode.address().apply(topology.instance(instance).addresses().get(network));
  }

  @Test
  void theSlbBalancesOverTheOrderInstances() {
    for (Mode mode : MODES) {
      assertThat(config(SlbConfig.class, "slb", mode).backendAddresses())
          .as(mode.name())
          .extracting(InetSocketAddress::getHostString)
          .containsExactly(at("order-1", "datacenter", mode), at("order-2", "datacenter", mode));
    }
  }

  @Test
  void dcCacheFetchesPagesThroughTheSlbsDatacenterLegAndEdgesFromDcCacheAndObjectStore() {
    for (Mode mode : MODES) {
      assertThat(origins(config(EdgeCacheConfig.class, "dc-cache", mode)))
          .as(mode.name())
          .containsExactly(Map.entry("/products/", at("slb", "datacenter", mode)));
      for (String edge : List.of("edge-north", "edge-south")) {
        assertThat(origins(config(EdgeCacheConfig.class, edge, mode)))
            .as(mode.name() + " " + edge)
            .containsExactly(
                Map.entry("/products/", at("dc-cache", "backbone", mode)),
                Map.entry("/images/", at("object-store", "backbone", mode)));
      }
    }
  }

  @Test
  void theResolverStartsAtTheRootAndGslbAnswersWithEachRegionsEdge() {
    for (Mode mode : MODES) {
      assertThat(config(ResolverConfig.class, "dns-resolver", mode).rootHints())
          .as(mode.name())
          .containsExactly(at("dns-root", "backbone", mode));
      // Each GSLB edge is named after its instance and sits at that instance's address.
      List<EdgeSettings> edges = config(CdnDnsConfig.class, "dns-cdn", mode).gslb().edges();
      assertThat(edges)
          .as(mode.name())
          .extracting(EdgeSettings::name, EdgeSettings::address)
          .containsExactly(
              tuple("edge-north", at("edge-north", "north", mode)),
              tuple("edge-south", at("edge-south", "south", mode)));
    }
  }

  private static List<Map.Entry<String, String>> origins(EdgeCacheConfig config) {
    return config.originRoutes().routes().stream()
        .map((Route r) -> Map.entry(r.prefix(), r.origin().address().getHostString()))
        .toList();
  }
}
