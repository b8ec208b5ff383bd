package io.shopstack.client.journey;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.dns.ResolverAdmin;
import io.shopstack.client.dns.StubResolver;
import io.shopstack.client.http.SocketHttpClient;
import java.io.PrintStream;

/**
 * The purchase journey of DESIGN.md, run for real and explained as it goes: resolve, look at the
 * pictures, buy. Each step runs when what it needs exists, so one broken hop still leaves the
 * others tested and reported; the report says which step failed and why.
 *
 * <pre>{@code
 * JourneyReport report = new Journey(config, System.out).run();
 * }</pre>
 */
public final class Journey {
  private final ClientConfig config;
  private final JourneyPrinter out;
  private final StubResolver resolver;
  private final SocketHttpClient http;
  private final ResolverAdmin resolverAdmin;

  public Journey(ClientConfig config, PrintStream out) {
    this(config, new JourneyPrinter(out));
  }

  /** With the printer to narrate through (coloured on a terminal). */
  public Journey(ClientConfig config, JourneyPrinter out) {
    this.config = config;
    this.out = out;
    this.resolver =
        new StubResolver(
            config.resolver().socketAddress(), config.bindInetAddress(), config.timeouts().dns());
    this.http =
        new SocketHttpClient(
            config.bindInetAddress(), config.timeouts().connect(), config.timeouts().read());
    this.resolverAdmin = new ResolverAdmin(config.resolver().adminAddress(), http);
  }

  /** Every step's result, a failed one with the dig or curl command to check it by hand. */
  private java.util.List<StepResult> checked(
      ResolveStep.Outcome names, StepResult pictures, StepResult purchase) {
    JourneyChecks checks = new JourneyChecks(config);
    return java.util.List.of(names.result(), pictures, purchase).stream()
        .map(step -> checks.explain(step, names.shopAddress(), names.edgeAddress()))
        .toList();
  }

  public JourneyReport run() {
    ResolveStep.Outcome names = new ResolveStep(config, resolver, resolverAdmin, out).run();
    PicturesStep.Outcome pictures =
        new PicturesStep(config, resolver, http, out).run(names.edgeAddress(), names.statics());
    BuyStep.Outcome purchase =
        new BuyStep(config, http, out, null).showingPath().run(3, names.shopAddress());
    if (purchase.exchange() != null && purchase.path() != null) {
      PacketLayers.print(4, purchase.exchange(), purchase.path(), out);
    }
    JourneyReport report =
        new JourneyReport(
            names.shop(),
            names.statics(),
            names.shopAddress(),
            names.edgeAddress(),
            names.traces(),
            names.gslb(),
            pictures.page(),
            pictures.imageLookups(),
            pictures.images(),
            pictures.reload(),
            purchase.exchange(),
            purchase.order(),
            purchase.path(),
            checked(names, pictures.result(), purchase.result()));
    out.summary(report);
    return report;
  }
}
