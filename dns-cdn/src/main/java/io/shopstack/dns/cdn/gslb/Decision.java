package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The GSLB's decision for one query and everything it was based on, so it can be explained to
 * whoever asks why they got their edge (a TXT query, the debug log).
 *
 * @param home the client's region, or null when no region holds its subnet
 * @param scopePrefix for how large a client subnet the decision holds (the ECS scope)
 * @param candidates every edge of the pool with its status, in the client's preference order
 * @param region the region whose edges were answered ("all" when failing open)
 */
public record Decision(
    ClientLocation client,
    String home,
    int scopePrefix,
    List<Candidate> candidates,
    Reason reason,
    String region,
    List<Edge> chosen) {

  /** Why the answered region is the one it is. */
  public enum Reason {
    /** The client's own region has a healthy edge. */
    HOME,
    /** The client's region has none: the first region in its fallback order that has one. */
    FAILOVER,
    /** No region holds the client: the regions with a healthy edge take turns. */
    NO_REGION,
    /** No healthy edge anywhere: every edge, since an answer that may fail beats none. */
    FAIL_OPEN
  }

  /**
   * @param weight its weight at the time: the configured one, or what its load made of it
   */
  public record Candidate(Edge edge, EdgeStatus status, int weight) {
    @Override
    public String toString() {
      return edge.region() + ":" + edge.name() + "=" + status.name().toLowerCase();
    }

    /** With its weight, for when load has moved weights away from the configured ones. */
    String withWeight() {
      return this + "(weight " + weight + ")";
    }
  }

  public Decision {
    candidates = List.copyOf(candidates);
    chosen = List.copyOf(chosen);
  }

  /** One line: what the client looked like, where it was placed, what was considered and why. */
  public String explain() {
    return String.join("; ", explanation());
  }

  /**
   * The explanation in three parts (client, candidates, choice): a TXT record carries each as a
   * string of its own, since one string holds at most 255 bytes.
   */
  public List<String> explanation() {
    String who =
        "client "
            + client.address().getHostAddress()
            + "/"
            + client.sourcePrefix()
            + (client.fromClientSubnet() ? " (ecs)" : " (source address)")
            + " region "
            + (home == null ? "none" : home)
            + " scope /"
            + scopePrefix;
    boolean loadWeighted = candidates.stream().anyMatch(c -> c.weight() != c.edge().weight());
    String considered =
        "candidates "
            + candidates.stream()
                .map(c -> loadWeighted ? c.withWeight() : c.toString())
                .collect(Collectors.joining(" "));
    String choice =
        reason.name().toLowerCase().replace('_', '-')
            + " -> "
            + region
            + " "
            + chosen.stream().map(Edge::toString).collect(Collectors.joining(" "));
    return List.of(who, considered, choice);
  }
}
