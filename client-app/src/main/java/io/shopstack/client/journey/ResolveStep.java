package io.shopstack.client.journey;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.GslbExplanation;
import io.shopstack.client.dns.IterationTrace;
import io.shopstack.client.dns.ResolverAdmin;
import io.shopstack.client.dns.StubResolver;
import io.shopstack.client.net.GatewayHint;
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
      List<IterationTrace> traces,
      DnsLookup gslbLookup,
      GslbExplanation gslb,
      StepResult result) {}

  private final ClientConfig config;
  private final StubResolver resolver;
  private final ResolverAdmin admin;
  private final JourneyPrinter out;
  private final List<IterationTrace> traces = new ArrayList<>();

  ResolveStep(ClientConfig config, StubResolver resolver, ResolverAdmin admin, JourneyPrinter out) {
    this.config = config;
    this.resolver = resolver;
    this.admin = admin;
    this.out = out;
  }

  Outcome run() {
    long start = System.nanoTime();
    List<StepResult.Problem> problems = new ArrayList<>();
    out.step(
        1,
        "Resolve " + config.shopHost() + " and " + config.staticHost(),
        "asking the local resolver %s (RD=1, recursion desired)"
            .formatted(JourneyPrinter.endpoint(resolver.server())));

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
            new StepResult.Problem(
                Failure.CHECK,
                config.staticHost()
                    + " has no CNAME into the CDN (answer: "
                    + statics.answers()
                    + ")"));
      }
      edgeAddress = firstAddress(statics, problems);
      if (edgeAddress != null) {
        out.note("edge chosen by GSLB for this client: " + edgeAddress);
      }
    }
    showTrace(shop);
    showTrace(statics);
    DnsLookup gslbLookup = null;
    GslbExplanation gslb = null;
    if (statics != null && statics.hasCname()) {
      String service = statics.cnameChain().get(statics.cnameChain().size() - 1);
      gslbLookup = lookup(service, Type.TXT, problems);
      gslb = gslbLookup == null ? null : explainGslb(gslbLookup, edgeAddress);
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
        traces,
        gslbLookup,
        gslb,
        new StepResult("resolve", summary, problems, Duration.ofNanos(System.nanoTime() - start)));
  }

  private DnsLookup lookup(String name, List<StepResult.Problem> problems) {
    DnsLookup lookup = lookup(name, Type.A, problems);
    if (lookup != null) {
      explainFlags(lookup);
    }
    return lookup;
  }

  private DnsLookup lookup(String name, int type, List<StepResult.Problem> problems) {
    try {
      DnsLookup lookup = resolver.lookup(name, type);
      out.dig(lookup);
      return lookup;
    } catch (IOException e) {
      // Behind a router, the first thing to know is whether that router still answers.
      String problem =
          GatewayHint.toward(config.resolver().socketAddress().getAddress())
              .map(hint -> e.getMessage() + "; " + hint)
              .orElse(e.getMessage());
      out.problem(problem);
      problems.add(new StepResult.Problem(Failure.DNS, problem));
      return null;
    }
  }

  private void showTrace(DnsLookup lookup) {
    if (lookup != null) {
      ResolverTraceView.show(admin, lookup, out).ifPresent(traces::add);
    }
  }

  /**
   * The GSLB's TXT at the service name says how it placed this client now. The A record may be
   * older (cached by the resolver for its TTL), so a different edge is reported, not failed.
   */
  private GslbExplanation explainGslb(DnsLookup txt, String edgeAddress) {
    GslbExplanation gslb = GslbExplanation.from(txt).orElse(null);
    if (gslb == null) {
      out.note("no GSLB explanation in the TXT answer for " + txt.question());
      return null;
    }
    out.note(
        "GSLB placed this client in region %s; %s -> region %s, edge %s"
            .formatted(
                gslb.clientRegion(),
                gslb.reason(),
                gslb.region(),
                String.join(" ", gslb.chosen())));
    if (edgeAddress != null && !gslb.chose(edgeAddress)) {
      out.note(
          "the A record's edge "
              + edgeAddress
              + " is not the GSLB's choice now: the resolver's cached answer predates a change");
    }
    return gslb;
  }

  private void explainFlags(DnsLookup lookup) {
    out.note(
        (lookup.recursionAvailable()
                ? "RA: the resolver recursed for us (its own trace below says whom it asked)"
                : "no RA: this server does not offer recursion")
            + "; "
            + (lookup.authoritative()
                ? "AA: answered with authority"
                : "no AA: the answer is the resolver's (fetched or cached), not the zone owner's"));
  }

  private String firstAddress(DnsLookup lookup, List<StepResult.Problem> problems) {
    if (!lookup.rcode().equals("NOERROR")) {
      String problem =
          lookup.rcode()
              + " for "
              + lookup.question()
              + " from resolver "
              + JourneyPrinter.endpoint(lookup.server());
      out.problem(problem);
      problems.add(new StepResult.Problem(Failure.DNS, problem));
      return null;
    }
    if (lookup.addresses().isEmpty()) {
      String problem =
          "no " + lookup.type() + " record for " + lookup.question() + " in the answer";
      out.problem(problem);
      problems.add(new StepResult.Problem(Failure.DNS, problem));
      return null;
    }
    return lookup.addresses().get(0);
  }
}
