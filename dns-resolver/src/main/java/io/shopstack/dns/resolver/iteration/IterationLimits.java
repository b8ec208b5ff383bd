package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.edns.Edns;

/**
 * How far one client query may make the resolver go before it gives up with SERVFAIL: time per
 * server and overall, referrals followed, CNAMEs chased, and how deep it may go resolving the
 * addresses of name servers that came without glue (which is where resolution loops hide). {@code
 * ednsPayload}, the size our upstream queries advertise, defaults to {@link Edns#PAYLOAD_SIZE}.
 */
public record IterationLimits(
    int queryTimeoutMs,
    int totalTimeoutMs,
    int maxReferrals,
    int maxCnameChain,
    int maxNameServerDepth,
    Integer ednsPayload) {
  public IterationLimits {
    if (ednsPayload == null) {
      ednsPayload = Edns.PAYLOAD_SIZE;
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
