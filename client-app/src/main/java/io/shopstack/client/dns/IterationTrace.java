package io.shopstack.client.dns;

import java.util.List;

/**
 * The resolver's own account of how it last resolved a name (its admin {@code GET /trace}): every
 * query it sent to an authoritative server, or that the cache answered. The client only reads it;
 * the field names are the resolver's.
 *
 * @param finishedAtMillis when the resolver finished that iteration, by the resolver's clock
 */
public record IterationTrace(
    String name, String type, String rcode, long finishedAtMillis, List<Hop> steps) {
  public IterationTrace {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /**
   * One query of the iteration.
   *
   * @param server the authoritative server's address, or {@code cache}
   * @param zone the zone it was asked as ({@code .} is the root, {@code example.} the TLD)
   * @param question the question as sent (minimised names show here)
   * @param outcome what the response meant: a referral, a CNAME, an answer, a failure
   * @param ecsSent whether the client's subnet went with the query
   */
  public record Hop(
      String server,
      String zone,
      String question,
      String rcode,
      String outcome,
      long rttMillis,
      boolean ecsSent) {}

  /** The zones asked, in order, without repeats: {@code [., example., shop.example., ...]}. */
  public List<String> zonesAsked() {
    return steps.stream()
        .filter(step -> !step.server().equals("cache"))
        .map(Hop::zone)
        .distinct()
        .toList();
  }
}
