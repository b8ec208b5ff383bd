package io.shopstack.dns.resolver.trace;

import java.util.List;

/**
 * How one client question was resolved, step by step, as the client app prints it: "asked the root,
 * referred to example., asked the TLD, ... got the CDN's edge".
 */
public record ResolutionTrace(
    String name, String type, String rcode, long finishedAtMillis, List<TraceStep> steps) {
  public ResolutionTrace {
    steps = List.copyOf(steps);
  }
}
