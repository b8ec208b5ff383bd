package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.xbill.DNS.Name;

/**
 * Nearest healthy edge, as gdnsd's geoip plugin decides: the client's own region when it has a
 * healthy edge, else the first of its fallback regions (then every other region) that has one; a
 * client in no region is served by the regions with healthy edges in turn. Within the region, edges
 * are drawn at random by weight. An unhealthy edge is never answered while a healthy one exists
 * anywhere; with none anywhere, every edge of the pool is answered (fail open).
 *
 * <p>One instance is one version of the map and pools: a reload builds a new one.
 */
public final class GslbPolicy {
  private final RegionMap regions;
  private final Map<Name, List<Edge>> pools;
  private final int answers;
  private final EdgeHealth health;
  private final AtomicInteger turn = new AtomicInteger();

  /**
   * @param answers how many A records one answer carries at most
   */
  public GslbPolicy(
      RegionMap regions, Map<Name, List<Edge>> pools, int answers, EdgeHealth health) {
    this.regions = regions;
    this.pools = Map.copyOf(pools);
    this.answers = answers;
    this.health = health;
  }

  public boolean serves(Name name) {
    return pools.containsKey(name);
  }

  public Map<Name, List<Edge>> pools() {
    return pools;
  }

  public RegionMap regionMap() {
    return regions;
  }

  EdgeHealth health() {
    return health;
  }

  public Decision decide(Name service, ClientLocation client) {
    return decide(service, client, ThreadLocalRandom.current());
  }

  Decision decide(Name service, ClientLocation client, RandomGenerator random) {
    RegionMap.Located located = regions.locate(client);
    Plan plan = plan(service, located.region());
    Choice choice = choose(plan);
    return new Decision(
        client,
        plan.home(),
        located.scopePrefix(),
        plan.candidates(),
        plan.reason(),
        choice.region(),
        chosen(plan, choice, random));
  }

  /**
   * What every client of one home region is answered from while the edges' health stays as it is:
   * the fast path keeps one per service, home region and health epoch, and draws from it per query.
   *
   * @param home the region, null for clients in none
   * @param choices one region to draw from; for clients in no region, the serving regions in turn;
   *     for a fail-open, the whole pool as it is answered
   */
  record Plan(
      String home,
      List<Decision.Candidate> candidates,
      Decision.Reason reason,
      List<Choice> choices) {}

  /**
   * A region's edges a client may be given (up ones, or the whole pool when failing open), each
   * with its weight when the plan was made (load-aware weights change with the edges' load).
   */
  record Choice(String region, List<Edge> edges, List<Integer> weights) {}

  Plan plan(Name service, Region home) {
    List<Edge> pool = pools.get(service);
    List<String> order = preferenceOrder(home);
    List<Decision.Candidate> candidates = new ArrayList<>();
    for (String region : order) {
      for (Edge edge : pool) {
        if (edge.region().equals(region)) {
          candidates.add(new Decision.Candidate(edge, health.status(edge), health.weight(edge)));
        }
      }
    }
    String homeName = home == null ? null : home.name();
    if (home != null) {
      for (String region : order) {
        List<Edge> up = upIn(candidates, region);
        if (!up.isEmpty()) {
          Decision.Reason reason =
              region.equals(homeName) ? Decision.Reason.HOME : Decision.Reason.FAILOVER;
          return new Plan(homeName, candidates, reason, List.of(choice(candidates, region)));
        }
      }
    } else {
      List<Choice> serving = new ArrayList<>();
      for (String region : order) {
        if (!upIn(candidates, region).isEmpty()) {
          serving.add(choice(candidates, region));
        }
      }
      if (!serving.isEmpty()) {
        return new Plan(null, candidates, Decision.Reason.NO_REGION, List.copyOf(serving));
      }
    }
    return new Plan(
        homeName,
        candidates,
        Decision.Reason.FAIL_OPEN,
        List.of(new Choice("all", pool, pool.stream().map(Edge::weight).toList())));
  }

  private static Choice choice(List<Decision.Candidate> candidates, String region) {
    List<Decision.Candidate> up =
        candidates.stream()
            .filter(c -> c.edge().region().equals(region) && c.status().servesClients())
            .toList();
    return new Choice(
        region,
        up.stream().map(Decision.Candidate::edge).toList(),
        up.stream().map(Decision.Candidate::weight).toList());
  }

  /**
   * What a client of each region (and of none) is answered now, per service name, one line each:
   * the admin's view of every decision the map and the edges' health make at this moment.
   */
  public String report() {
    StringBuilder out = new StringBuilder();
    List<Region> homes = new ArrayList<>(regions.regions());
    homes.add(null);
    pools.forEach(
        (service, pool) -> {
          for (Region home : homes) {
            Plan plan = plan(service, home);
            out.append(service)
                .append(" clients of ")
                .append(home == null ? "no region" : home.name())
                .append(": ")
                .append(plan.reason().name().toLowerCase().replace('_', '-'))
                .append(" -> ");
            for (Choice choice : plan.choices()) {
              out.append(choice.region()).append(' ');
              for (int i = 0; i < choice.edges().size(); i++) {
                out.append(choice.edges().get(i))
                    .append(" weight ")
                    .append(choice.weights().get(i))
                    .append(' ');
              }
            }
            out.append("; candidates ")
                .append(
                    String.join(
                        " ", plan.candidates().stream().map(Decision.Candidate::toString).toList()))
                .append('\n');
          }
        });
    return out.toString();
  }

  /** The region this query is answered from: the only one, or the serving regions in turn. */
  Choice choose(Plan plan) {
    List<Choice> choices = plan.choices();
    return choices.size() == 1
        ? choices.get(0)
        : choices.get(Math.floorMod(turn.getAndIncrement(), choices.size()));
  }

  /** The edges answered: drawn by weight, or every edge of the pool when failing open. */
  List<Edge> chosen(Plan plan, Choice choice, RandomGenerator random) {
    return plan.reason() == Decision.Reason.FAIL_OPEN ? choice.edges() : draw(choice, random);
  }

  /** The client's region, its fallbacks in order, then every other region in map order. */
  private List<String> preferenceOrder(Region home) {
    Set<String> order = new LinkedHashSet<>();
    if (home != null) {
      order.add(home.name());
      order.addAll(home.fallback());
    }
    regions.regions().forEach(r -> order.add(r.name()));
    return List.copyOf(order);
  }

  private static List<Edge> upIn(List<Decision.Candidate> candidates, String region) {
    return candidates.stream()
        .filter(c -> c.edge().region().equals(region) && c.status().servesClients())
        .map(Decision.Candidate::edge)
        .toList();
  }

  /** Up to {@code answers} edges drawn without replacement, each with odds by its weight. */
  private List<Edge> draw(Choice choice, RandomGenerator random) {
    List<Edge> up = choice.edges();
    if (up.size() <= answers && up.size() <= 1) {
      return up;
    }
    Edge[] drawn = new Edge[Math.min(answers, up.size())];
    int count = draw(choice, random, drawn, new int[up.size()]);
    return Arrays.asList(drawn).subList(0, count);
  }

  /**
   * {@link #chosen}'s edges written into {@code into} (room for {@code answers} or every edge of
   * the choice, whichever is fewer), their count returned; {@code weights} is scratch with room for
   * every edge. The fast path's form: nothing allocated per query.
   */
  int chosen(Plan plan, Choice choice, RandomGenerator random, Edge[] into, int[] weights) {
    List<Edge> up = choice.edges();
    if (plan.reason() == Decision.Reason.FAIL_OPEN || (up.size() <= answers && up.size() <= 1)) {
      for (int i = 0; i < up.size(); i++) {
        into[i] = up.get(i);
      }
      return up.size();
    }
    return draw(choice, random, into, weights);
  }

  /**
   * Draws without replacement: each round picks among the edges left with odds by weight, in the
   * choice's order; {@code weights} holds what is left (-1 once drawn).
   */
  private int draw(Choice choice, RandomGenerator random, Edge[] into, int[] weights) {
    List<Edge> up = choice.edges();
    int total = 0;
    for (int i = 0; i < up.size(); i++) {
      weights[i] = choice.weights().get(i);
      total += weights[i];
    }
    int count = 0;
    int wanted = Math.min(answers, up.size());
    while (count < wanted) {
      int ticket = random.nextInt(total);
      for (int i = 0; i < up.size(); i++) {
        if (weights[i] < 0) {
          continue;
        }
        ticket -= weights[i];
        if (ticket < 0) {
          into[count++] = up.get(i);
          total -= weights[i];
          weights[i] = -1;
          break;
        }
      }
    }
    return count;
  }
}
