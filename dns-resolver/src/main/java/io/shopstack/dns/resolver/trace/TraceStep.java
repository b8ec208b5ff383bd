package io.shopstack.dns.resolver.trace;

/**
 * One thing the resolver did while resolving a name: a query to an authoritative server (its
 * address, the zone it was asked as, the question as sent, the response code, what the response
 * meant, the round trip, whether the client's subnet went with it), or a cache hit ({@code server}
 * is {@code "cache"}).
 */
public record TraceStep(
    String server,
    String zone,
    String question,
    String rcode,
    String outcome,
    long rttMillis,
    boolean ecsSent) {
  public static final String CACHE = "cache";

  public static TraceStep cacheHit(String question, String outcome) {
    return new TraceStep(CACHE, "", question, "NOERROR", outcome, 0, false);
  }
}
