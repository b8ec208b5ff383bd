package io.shopstack.slb.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Weighted round robin and least connections, picking among real Backend objects. */
class BalancingPoliciesTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.28.1.10", 40000);

  private static Backend backend(String host, int weight) {
    return new Backend(new BackendSpec(new InetSocketAddress(host, 8080), weight));
  }

  private static List<String> firstPicks(BalancingPolicy policy, List<Backend> pool, int n) {
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picks.add(policy.order(pool, CLIENT).get(0).name());
    }
    return picks;
  }

  @Test
  void weightedRoundRobinInterleavesInProportionToTheWeights() {
    List<Backend> pool = List.of(backend("127.29.0.11", 3), backend("127.29.0.12", 1));

    List<String> picks = firstPicks(new RoundRobin(), pool, 8);

    String a = "127.29.0.11:8080";
    String b = "127.29.0.12:8080";
    // 3:1, and the light one is not starved into a burst at the end of each round.
    assertThat(picks).containsExactly(a, a, b, a, a, a, b, a);
  }

  @Test
  void weightedRoundRobinFollowsBackendsLeavingAndComingBack() {
    Backend heavy = backend("127.29.0.11", 3);
    Backend light = backend("127.29.0.12", 1);
    Backend third = backend("127.29.0.13", 1);
    RoundRobin policy = new RoundRobin();
    String a = heavy.name();
    String b = light.name();
    String c = third.name();

    assertThat(firstPicks(policy, List.of(heavy, light), 3)).containsExactly(a, a, b);
    // The light one is down: everything goes to the heavy one.
    assertThat(firstPicks(policy, List.of(heavy), 3)).containsExactly(a, a, a);
    // Back, it starts from no credit and takes its share at once: 3:1 again, interleaved.
    assertThat(firstPicks(policy, List.of(heavy, light), 8))
        .containsExactly(a, a, b, a, a, a, b, a);
    // A new backend joins: 3:1:1 over the next five picks, the others keeping their credit.
    List<String> withThird = firstPicks(policy, List.of(heavy, light, third), 10);
    assertThat(withThird).filteredOn(a::equals).hasSize(6);
    assertThat(withThird).filteredOn(b::equals).hasSize(2);
    assertThat(withThird).filteredOn(c::equals).hasSize(2);
  }

  @Test
  void weightedRoundRobinStillOffersEveryBackendForFailover() {
    List<Backend> pool = List.of(backend("127.29.0.11", 5), backend("127.29.0.12", 1));

    assertThat(new RoundRobin().order(pool, CLIENT)).containsExactlyInAnyOrderElementsOf(pool);
  }

  @Test
  void weightZeroTakesNoNewConnectionsButStaysInThePool() {
    BackendPool pool =
        BackendPool.of(
            List.of(
                new BackendSpec(new InetSocketAddress("127.29.0.11", 8080), 0),
                new BackendSpec(new InetSocketAddress("127.29.0.12", 8080), 1)),
            new RoundRobin());

    assertThat(pool.backends()).hasSize(2);
    assertThat(pool.candidates(CLIENT))
        .extracting(Backend::name)
        .containsExactly("127.29.0.12:8080");
  }

  @Test
  void leastConnectionsPicksTheLeastLoadedRelativeToWeight() {
    Backend busy = backend("127.29.0.11", 1);
    Backend idle = backend("127.29.0.12", 1);
    Backend heavy = backend("127.29.0.13", 4);
    for (int i = 0; i < 3; i++) {
      busy.connectionOpened();
    }
    for (int i = 0; i < 4; i++) {
      heavy.connectionOpened(); // 4 connections at weight 4 count as 1
    }
    idle.connectionOpened();
    idle.connectionOpened();

    List<Backend> order = new LeastConnections().order(List.of(busy, idle, heavy), CLIENT);

    assertThat(order).containsExactly(heavy, idle, busy);
  }

  @Test
  void leastConnectionsRotatesAmongEquallyLoadedBackends() {
    List<Backend> pool = List.of(backend("127.29.0.11", 1), backend("127.29.0.12", 1));

    Map<String, Integer> counts = new TreeMap<>();
    firstPicks(new LeastConnections(), pool, 10).forEach(n -> counts.merge(n, 1, Integer::sum));

    assertThat(counts).containsEntry("127.29.0.11:8080", 5).containsEntry("127.29.0.12:8080", 5);
  }

  @Test
  void policiesAreNamedAsInHaproxy() {
    assertThat(BalancingPolicies.of("roundrobin")).isInstanceOf(RoundRobin.class);
    assertThat(BalancingPolicies.of("LeastConn")).isInstanceOf(LeastConnections.class);
    assertThat(BalancingPolicies.of("maglev")).isInstanceOf(MaglevHashing.class);
    assertThatThrownBy(() -> BalancingPolicies.of("random")).hasMessageContaining("'random'");
  }
}
