package io.shopstack.dns.resolver.iteration;

import java.util.List;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;

/**
 * The outcome of resolving one client question: the answer section (the whole CNAME chain, then the
 * records), the authority section (SOA for negative answers, NS for a cache-only referral), and the
 * ECS scope the answer is valid for. {@code upstreamQueries} is 0 when it came from the cache.
 */
public record Resolved(
    int rcode,
    List<RRset> answer,
    List<RRset> authority,
    int ecsScope,
    int upstreamQueries,
    String failure) {
  static Resolved servFail(String why, int upstreamQueries) {
    return new Resolved(Rcode.SERVFAIL, List.of(), List.of(), 0, upstreamQueries, why);
  }
}
