package io.shopstack.client.journey;

import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.IterationTrace;
import io.shopstack.client.dns.ResolverAdmin;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Asks the resolver how it found an answer and prints what it says. A resolver without the endpoint
 * is not a failure (the answer is what counts), so a missing trace is said, not counted.
 */
public final class ResolverTraceView {
  private ResolverTraceView() {}

  public static Optional<IterationTrace> show(
      ResolverAdmin admin, DnsLookup lookup, JourneyPrinter out) {
    String url = admin.traceUrl(lookup.question(), lookup.type());
    Optional<IterationTrace> trace;
    try {
      trace = admin.trace(lookup.question(), lookup.type());
    } catch (IOException e) {
      out.note("no trace from the resolver's admin endpoint: " + e.getMessage());
      return Optional.empty();
    }
    trace.ifPresentOrElse(
        t -> {
          out.trace(t, url);
          out.note(
              t.zonesAsked().isEmpty()
                  ? "answered from the resolver's cache: no server was asked"
                  : "zones asked: " + String.join(" -> ", t.zonesAsked()));
          if (!endsWithOurAnswer(t, lookup)) {
            out.note(
                "this is the resolver's last iteration for the name, not the one behind this"
                    + " answer "
                    + lookup.addresses()
                    + ": that came from its cache (another client's subnet may have iterated"
                    + " since)");
          }
        },
        () -> out.note("the resolver has no iteration recorded for " + url));
    return trace;
  }

  /**
   * Whether an answer step of the trace names one of the addresses this lookup got. A trace with no
   * answer step, or a lookup with no addresses, cannot be compared: taken as matching.
   */
  static boolean endsWithOurAnswer(IterationTrace trace, DnsLookup lookup) {
    List<String> answers =
        trace.steps().stream()
            .filter(step -> !step.server().equals("cache"))
            .map(IterationTrace.Hop::outcome)
            .filter(outcome -> outcome.startsWith("answer "))
            .toList();
    return answers.isEmpty()
        || lookup.addresses().isEmpty()
        || answers.stream()
            .map(outcome -> List.of(outcome.split("[ ,]+")))
            .anyMatch(words -> lookup.addresses().stream().anyMatch(words::contains));
  }
}
