package io.shopstack.client.journey;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.StubResolver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * Step 1: the app asks its local resolver for the shop and for the static host. The shop's name is
 * a plain A record (the SLB's virtual IP); the static host is an alias into the CDN, whose GSLB
 * picks the edge nearest to this client.
 */
final class ResolveStep {
  record Outcome(
      DnsLookup shop,
      DnsLookup statics,
      String shopAddress,
      String edgeAddress,
      StepResult result) {}

  private final ClientConfig config;
  private final StubResolver resolver;
  private final JourneyPrinter out;

  ResolveStep(ClientConfig config, StubResolver resolver, JourneyPrinter out) {
    this.config = config;
    this.resolver = resolver;
    this.out = out;
  }

  Outcome run() {
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    out.step(
        1,
        "Resolve " + config.shopHost() + " and " + config.staticHost(),
        "asking the local resolver %s (RD=1, recursion desired) from %s"
            .formatted(
                JourneyPrinter.endpoint(resolver.server()), resolver.source().getHostAddress()));

    DnsLookup shop = lookup(config.shopHost(), problems);
    String shopAddress = shop == null ? null : firstAddress(shop, problems);
    if (shopAddress != null) {
      out.note(
          config.shopHost() + " is " + shopAddress + ": the SLB's virtual IP, where orders go");
    }

    DnsLookup statics = lookup(config.staticHost(), problems);
    String edgeAddress = null;
    if (statics != null) {
      if (statics.hasCname()) {
        out.note(
            "CNAME chain "
                + String.join(" -> ", statics.cnameChain())
                + ": the shop delegates its static content to the CDN");
      } else if (statics.rcode().equals("NOERROR")) {
        problems.add(
            config.staticHost() + " has no CNAME into the CDN (answer: " + statics.answers() + ")");
      }
      edgeAddress = firstAddress(statics, problems);
      if (edgeAddress != null) {
        out.note("edge chosen by GSLB for this client: " + edgeAddress);
      }
    }

    String summary =
        "%s -> %s; %s -> %s -> %s"
            .formatted(
                config.shopHost(),
                shopAddress,
                config.staticHost(),
                statics == null
                    ? "?"
                    : String.join(
                        " -> ", statics.cnameChain().subList(1, statics.cnameChain().size())),
                edgeAddress);
    return new Outcome(
        shop,
        statics,
        shopAddress,
        edgeAddress,
        new StepResult("resolve", summary, problems, Duration.ofNanos(System.nanoTime() - start)));
  }

  private DnsLookup lookup(String name, List<String> problems) {
    try {
      DnsLookup lookup = resolver.lookup(name, Type.A);
      out.dig(lookup);
      explainFlags(lookup);
      return lookup;
    } catch (IOException e) {
      out.problem(e.getMessage());
      problems.add(e.getMessage());
      return null;
    }
  }

  private void explainFlags(DnsLookup lookup) {
    out.note(
        (lookup.recursionAvailable()
                ? "RA: the resolver did the iteration (root -> TLD -> authoritative) for us"
                : "no RA: this server does not offer recursion")
            + "; "
            + (lookup.authoritative()
                ? "AA: answered with authority"
                : "no AA: the answer is the resolver's (fetched or cached), not the zone owner's"));
  }

  private String firstAddress(DnsLookup lookup, List<String> problems) {
    if (!lookup.rcode().equals("NOERROR")) {
      String problem =
          lookup.rcode()
              + " for "
              + lookup.question()
              + " from resolver "
              + JourneyPrinter.endpoint(lookup.server());
      out.problem(problem);
      problems.add(problem);
      return null;
    }
    if (lookup.addresses().isEmpty()) {
      String problem =
          "no " + lookup.type() + " record for " + lookup.question() + " in the answer";
      out.problem(problem);
      problems.add(problem);
      return null;
    }
    return lookup.addresses().get(0);
  }
}
