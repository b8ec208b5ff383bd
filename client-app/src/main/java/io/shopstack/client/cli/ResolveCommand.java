package io.shopstack.client.cli;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.IterationTrace;
import io.shopstack.client.dns.ResolverAdmin;
import io.shopstack.client.dns.StubResolver;
import io.shopstack.client.http.SocketHttpClient;
import io.shopstack.client.journey.JourneyJson;
import io.shopstack.client.journey.JourneyPrinter;
import io.shopstack.client.journey.ResolverTraceView;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xbill.DNS.Type;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Like dig through the configured local resolver, plus the resolver's account of the iteration. */
@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description = {
      "Like dig through the local resolver, with its iteration trace.",
      "Ask the configured local resolver (RD=1) from the phone's address and print the answer"
          + " as dig does, then the resolver's trace of how it found it (root, TLD, shop, CNAME,"
          + " CDN) from its admin endpoint. Exit 0 when the name has records of TYPE, 3"
          + " otherwise."
    })
final class ResolveCommand implements Callable<Integer> {
  @ParentCommand private ClientCommand app;
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "the name to resolve")
  private String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "TYPE",
      defaultValue = "A",
      description = "record type (default: ${DEFAULT-VALUE})")
  private String type;

  @Option(names = "--no-trace", description = "do not ask the resolver for its trace")
  private boolean noTrace;

  @Option(
      names = "--json",
      description =
          "print the facts as one JSON document (lookup, trace; README), the narration to stderr")
  private boolean json;

  @Override
  public Integer call() {
    int qtype = Type.value(type.toUpperCase(Locale.ROOT));
    if (qtype < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown record type: " + type);
    }
    ClientConfig config = app.config();
    JourneyPrinter out = json ? new JourneyPrinter(app.err()) : app.printer();
    CommandJson result = new CommandJson();
    StubResolver resolver =
        new StubResolver(
            config.resolver().socketAddress(), config.bindInetAddress(), config.timeouts().dns());
    DnsLookup lookup;
    try {
      lookup = resolver.lookup(name, qtype);
    } catch (IOException e) {
      out.problem(e.getMessage());
      out.check(
          "dig @%s -p %d %s %s"
              .formatted(config.resolver().address(), config.resolver().port(), name, type));
      result.error(e.getMessage());
      result.document().putNull("lookup");
      result.document().putNull("trace");
      return result.finish(json, app.out(), Failure.DNS.exitCode());
    }
    out.dig(lookup);
    result.document().set("lookup", JourneyJson.lookup(lookup));
    Optional<IterationTrace> trace = noTrace ? Optional.empty() : showTrace(config, lookup, out);
    result.document().set("trace", trace.map(JourneyJson::tree).orElse(null));
    boolean found = lookup.rcode().equals("NOERROR") && !lookup.answers().isEmpty();
    if (!found) {
      result.error(lookup.rcode() + ", no " + type + " record for " + name);
    }
    return result.finish(json, app.out(), found ? Failure.OK : Failure.DNS.exitCode());
  }

  private Optional<IterationTrace> showTrace(
      ClientConfig config, DnsLookup lookup, JourneyPrinter out) {
    SocketHttpClient http =
        new SocketHttpClient(
            config.bindInetAddress(), config.timeouts().connect(), config.timeouts().read());
    return ResolverTraceView.show(
        new ResolverAdmin(config.resolver().adminAddress(), http), lookup, out);
  }
}
