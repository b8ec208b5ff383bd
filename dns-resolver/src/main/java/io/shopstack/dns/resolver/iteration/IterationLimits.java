package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.edns.Edns;

/**
 * How far one client query may make the resolver go before it gives up with SERVFAIL: time per
 * server and overall, referrals followed, CNAMEs chased, and how deep it may go resolving the
 * addresses of name servers that came without glue (which is where resolution loops hide). {@code
 * ednsPayload}, the size our upstream queries advertise, defaults to {@link Edns#PAYLOAD_SIZE}.
 * {@code maxOutstandingQueries} bounds the upstream queries in flight at once, all clients together
 * (default {@link #DEFAULT_OUTSTANDING_QUERIES}): each is a socket, and a flood of names that never
 * resolve must not open sockets without end.
 */
public record IterationLimits(
    int queryTimeoutMs,
    int totalTimeoutMs,
    int maxReferrals,
    int maxCnameChain,
    int maxNameServerDepth,
    Integer ednsPayload,
    Integer maxOutstandingQueries) {
  /** As unbound's num-queries-per-thread (1024 with libevent), counted in upstream queries. */
  public static final int DEFAULT_OUTSTANDING_QUERIES = 1024;

  public IterationLimits {
    if (ednsPayload == null) {
      ednsPayload = Edns.PAYLOAD_SIZE;
    }
    if (maxOutstandingQueries == null) {
      maxOutstandingQueries = DEFAULT_OUTSTANDING_QUERIES;
    }
    if (maxOutstandingQueries < 1) {
      throw new IllegalArgumentException("maxOutstandingQueries must be at least 1: " + this);
    }
    if (queryTimeoutMs < 1 || totalTimeoutMs < queryTimeoutMs) {
      throw new IllegalArgumentException("need 0 < queryTimeoutMs <= totalTimeoutMs: " + this);
    }
    if (maxReferrals < 1 || maxCnameChain < 0 || maxNameServerDepth < 0) {
      throw new IllegalArgumentException("iteration limits must not be negative: " + this);
    }
    if (ednsPayload < 512 || ednsPayload > 65535) {
      throw new IllegalArgumentException("ednsPayload must be 512..65535: " + this);
    }
  }
}
