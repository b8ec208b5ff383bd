package io.shopstack.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the table hands each mode: the local address set, the variables, and its own checks. */
class TopologyTest {
  private final Topology topology = Topology.load();

  @Test
  void localModeKeepsTheLastThreeOctetsUnder127() {
    assertThat(Topology.local("172.28.1.20")).isEqualTo("127.28.1.20");
    assertThat(Topology.local("172.29.0.2")).isEqualTo("127.29.0.2");
  }

  @Test
  void theSlbBindsTheVipAndItsDatacenterLegLocally() {
    assertThat(topology.localEnv(topology.instance("slb")))
        .containsEntry("SHOP_INSTANCE", "slb")
        .containsEntry("SHOP_BIND", "127.28.0.80")
        .containsEntry("SHOP_BIND_DC", "127.29.0.2");
    assertThat(topology.localEnv(topology.instance("order-2")))
        .containsEntry("SHOP_BIND", "127.29.0.12")
        .doesNotContainKey("SHOP_BIND_DC")
        .doesNotContainKey("SHOP_DB_URL");
  }

  @Test
  void dockerGivesOurContainersTheWildcardAndStandardPortsButPostgresOnlyItsOwn() {
    assertThat(topology.dockerEnv(topology.instance("dc-cache")))
        .containsEntry("SHOP_BIND", "0.0.0.0")
        .containsEntry("SHOP_HTTP_PORT", "80")
        .containsEntry("SHOP_INSTANCE", "dc-cache")
        .containsEntry("SHOP_ROUTES", "datacenter");
    assertThat(topology.dockerEnv(topology.instance("postgres")))
        .containsOnlyKeys("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB");
  }

  @Test
  void eachRouteGoesToItsRoutersAddressOnTheNetworkTheHostShares() {
    // The phones' gateway is their region's router on their access network ...
    assertThat(topology.dockerEnv(topology.instance("client-north")))
        .containsEntry("SHOP_IP_ROUTES", "default=172.28.1.254");
    // ... the backbone's hosts reach each region through its router's backbone leg ...
    assertThat(topology.ipRoutes(topology.instance("slb")))
        .isEqualTo("172.28.1.0/24=172.28.0.254 172.28.2.0/24=172.28.0.253");
    // ... and an edge answers the other region through its own region's router.
    assertThat(topology.ipRoutes(topology.instance("edge-north")))
        .isEqualTo("172.28.2.0/24=172.28.1.254");
    assertThat(topology.instance("router-north").capabilities()).contains("NET_ADMIN");
    assertThat(topology.instance("slb").capabilities()).containsExactly("NET_ADMIN");
    assertThat(topology.instance("dns-root").capabilities()).isEmpty();
    assertThat(topology.dockerEnv(topology.instance("dns-root")))
        .doesNotContainKey("SHOP_IP_ROUTES");
  }

  @Test
  void aRouteThroughANonRouterOrARouterOnNoSharedNetworkIsRefused() {
    Network backbone = new Network("backbone", "172.28.0.0/24");
    Network north = new Network("north", "172.28.1.0/24");
    Instance router =
        new Instance(
            "router",
            null,
            "shop/router:12",
            Map.of("north", "172.28.1.254"),
            null,
            null,
            null,
            null,
            null,
            null,
            true,
            null,
            null,
            true);
    Instance host = routed("host", Map.of("default", "router"));
    assertThatThrownBy(
            () -> new Topology(List.of(backbone, north), 9901, Map.of(), List.of(router, host)))
        .hasMessageContaining("host shares no network with its router router");
    Instance other = instance("other", List.of());
    Instance viaOther = routed("host", Map.of("default", "other"));
    assertThatThrownBy(
            () -> new Topology(List.of(backbone), 9901, Map.of(), List.of(other, viaOther)))
        .hasMessageContaining("host routes through other, which is no router");
  }

  @Test
  void anUnknownPredecessorOrALoopIsRefused() {
    Instance a = instance("a", List.of("b"));
    Network backbone = new Network("backbone", "172.28.0.0/24");
    assertThatThrownBy(() -> new Topology(List.of(backbone), 9901, Map.of(), List.of(a)))
        .hasMessageContaining("a comes after unknown b");
    Topology loop =
        new Topology(List.of(backbone), 9901, Map.of(), List.of(a, instance("b", List.of("a"))));
    assertThatThrownBy(loop::waves).hasMessageContaining("start order loops");
  }

  private static Instance instance(String name, List<String> after) {
    return new Instance(
        name,
        "slb",
        null,
        Map.of("backbone", "172.28.0.9"),
        null,
        null,
        null,
        null,
        after,
        null,
        null,
        null,
        null,
        null);
  }

  private static Instance routed(String name, Map<String, String> routes) {
    return new Instance(
        name,
        "slb",
        null,
        Map.of("backbone", "172.28.0.9"),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        routes,
        null);
  }
}
