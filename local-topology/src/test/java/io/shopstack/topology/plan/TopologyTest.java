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
  void anUnknownPredecessorOrALoopIsRefused() {
    Instance a = instance("a", List.of("b"));
    Network internet = new Network("internet", "172.28.0.0/16");
    assertThatThrownBy(() -> new Topology(List.of(internet), 9901, Map.of(), List.of(a)))
        .hasMessageContaining("a comes after unknown b");
    Topology loop =
        new Topology(List.of(internet), 9901, Map.of(), List.of(a, instance("b", List.of("a"))));
    assertThatThrownBy(loop::waves).hasMessageContaining("start order loops");
  }

  private static Instance instance(String name, List<String> after) {
    return new Instance(
        name,
        "slb",
        null,
        Map.of("internet", "172.28.0.9"),
        null,
        null,
        null,
        null,
        after,
        null,
        null,
        null);
  }
}
