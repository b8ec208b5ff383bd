package io.shopstack.client.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The whole purchase, step by step; the default when no command is given. */
@Command(
    name = "journey",
    mixinStandardHelpOptions = true,
    description = {
      "The whole purchase, step by step (the default).",
      "Resolve www.shop.example and static.shop.example (with the resolver's trace and the"
          + " GSLB's explanation), fetch the product page and its pictures from the edge twice"
          + " (MISS, then HIT), and buy the course through the SLB. Exits with the first"
          + " failure's code."
    })
final class JourneyCommand implements Callable<Integer> {
  @ParentCommand private ClientCommand app;

  @Option(
      names = "--json",
      description = "print the facts as one JSON document (README), the narration to stderr")
  private boolean json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "also write one self-contained HTML page with the sequence diagram to FILE")
  private Path html;

  @Override
  public Integer call() {
    return app.journey(json, html);
  }
}
