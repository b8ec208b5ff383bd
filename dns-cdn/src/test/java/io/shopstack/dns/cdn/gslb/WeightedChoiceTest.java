package io.shopstack.dns.cdn.gslb;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.net.AddressBlock;
import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** Within a region edges share clients by weight; fallbacks are tried in the configured order. */
class WeightedChoiceTest {
  private static final Name SHOP = Name.fromConstantString("shop.cdn.example.");

  private static Edge edge(String name, String region, String address, int weight)
      throws Exception {
    return new Edge(
        name,
        region,
        InetAddress.getByName(address),
        weight,
        URI.create("http://" + address + ":9901/health"));
  }

  private static Region region(String name, String subnet, String... fallback) {
    return new Region(name, List.of(AddressBlock.parse(subnet)), List.of(fallback));
  }

  private final RegionMap map =
      new RegionMap(
          List.of(
              region("north", "127.28.1.0/24", "east", "south"),
              region("south", "127.28.2.0/24"),
              region("east", "127.28.3.0/24")));

  private static ClientLocation north() throws Exception {
    return ClientLocation.ofSource(InetAddress.getByName("127.28.1.10"));
  }

  @Test
  void edgesShareTheirRegionsClientsByWeight() throws Exception {
    Edge heavy = edge("n1", "north", "127.28.1.20", 3);
    Edge light = edge("n2", "north", "127.28.1.21", 1);
    GslbPolicy policy =
        new GslbPolicy(map, Map.of(SHOP, List.of(heavy, light)), 1, EdgeHealth.ALL_UP);
    SplittableRandom random = new SplittableRandom(7);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      Decision d = policy.decide(SHOP, north(), random);
      assertThat(d.chosen()).hasSize(1);
      counts.merge(d.chosen().get(0).name(), 1, Integer::sum);
    }
    // 3:1 expected (3000:1000); a fixed seed, so the figures are the same every run.
    assertThat(counts.get("n1")).isBetween(2800, 3200);
    assertThat(counts.get("n2")).isBetween(800, 1200);
  }

  /** Three north edges of unequal weights, two records per answer. */
  private GslbPolicy twoOfThreeNorthEdges() throws Exception {
    List<Edge> pool =
        List.of(
            edge("n1", "north", "127.28.1.20", 1),
            edge("n2", "north", "127.28.1.21", 5),
            edge("n3", "north", "127.28.1.22", 2));
    return new GslbPolicy(map, Map.of(SHOP, pool), 2, EdgeHealth.ALL_UP);
  }

  @Test
  void severalRecordsPerAnswerAreDistinctEdges() throws Exception {
    GslbPolicy policy = twoOfThreeNorthEdges();
    for (int i = 0; i < 100; i++) {
      assertThat(policy.decide(SHOP, north()).chosen()).hasSize(2).doesNotHaveDuplicates();
    }
  }

  /**
   * The fast path draws into a scratch array it keeps between queries: with the same random numbers
   * it must draw what the full path draws, query after query.
   */
  @Test
  void theScratchDrawOfTheFastPathDrawsWhatTheFullPathDraws() throws Exception {
    GslbPolicy policy = twoOfThreeNorthEdges();
    GslbPolicy.Plan plan = policy.plan(SHOP, map.region("north"));
    SplittableRandom full = new SplittableRandom(11);
    SplittableRandom fast = new SplittableRandom(11);
    Edge[] into = new Edge[3];
    int[] weights = new int[3];
    for (int i = 0; i < 500; i++) {
      GslbPolicy.Choice choice = policy.choose(plan);
      List<Edge> expected = policy.chosen(plan, choice, full);
      int count = policy.chosen(plan, choice, fast, into, weights);
      assertThat(Arrays.asList(into).subList(0, count)).as("query %d", i).isEqualTo(expected);
    }
  }

  @Test
  void fallbacksAreTriedInTheirOrderAndADownEdgeIsNeverAnsweredWhileOneIsUp() throws Exception {
    Edge n1 = edge("n1", "north", "127.28.1.20", 1);
    Edge s1 = edge("s1", "south", "127.28.2.20", 1);
    Edge e1 = edge("e1", "east", "127.28.3.20", 1);
    Map<Name, List<Edge>> pools = Map.of(SHOP, List.of(n1, s1, e1));
    GslbPolicy eastDown =
        new GslbPolicy(map, pools, 1, e -> e == s1 ? EdgeStatus.UP : EdgeStatus.DOWN);
    Decision d = eastDown.decide(SHOP, north());
    assertThat(d.chosen()).containsExactly(s1);
    assertThat(d.explain()).contains("candidates north:n1=down east:e1=down south:s1=up");

    GslbPolicy northDrained =
        new GslbPolicy(map, pools, 1, e -> e == n1 ? EdgeStatus.DRAINED : EdgeStatus.UP);
    assertThat(northDrained.decide(SHOP, north()).chosen()).containsExactly(e1);
  }
}
