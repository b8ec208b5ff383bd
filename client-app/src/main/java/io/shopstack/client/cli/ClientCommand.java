package io.shopstack.client.cli;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.Terminal;
import io.shopstack.client.diagram.JourneyPage;
import io.shopstack.client.journey.Journey;
import io.shopstack.client.journey.JourneyJson;
import io.shopstack.client.journey.JourneyPrinter;
import io.shopstack.client.journey.JourneyReport;
import io.shopstack.common.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The phone app's command line. Without a subcommand it runs the journey (what the compose demo
 * runs); the subcommands do one thing of the journey each, for poking at the stack by hand.
 * Configuration comes from {@code client-app.yml} and the {@code SHOP_*} variables, as for every
 * service; exit codes are {@link Failure}'s.
 */
@Command(
    name = "client-app",
    mixinStandardHelpOptions = true,
    version = "shop-stack client-app 0.1",
    description = {
      "The phone app of shop-stack.",
      "Resolves through the local DNS resolver, looks at the pictures on the CDN edge and buys"
          + " the course through the SLB, printing what each server said. Without a command it"
          + " runs the whole journey."
    },
    subcommands = {
      JourneyCommand.class,
      ResolveCommand.class,
      GetCommand.class,
      OrderCommand.class,
      LoadCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:everything worked",
      "1:an error of the app itself",
      "2:wrong command line or configuration",
      "3:DNS: no answer from the resolver, or the name did not resolve",
      "4:TCP: no connection to the server",
      "5:HTTP: no complete response, or not the status expected",
      "6:the servers answered, but not what the journey checks (e.g. a reload that is no HIT)"
    })
public final class ClientCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "configuration file (default: $SHOP_CONFIG, else the built-in client-app.yml)")
  private String configFile;

  @Option(
      names = "--json",
      description =
          "journey: print the facts as one JSON document (README), the narration to stderr")
  private boolean json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "journey: also write one self-contained HTML page with the sequence diagram to FILE")
  private Path html;

  private final Map<String, String> variables;
  private final Terminal terminal;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param variables what {@code ${VAR}} placeholders of the configuration expand from (the
   *     environment, for {@code main})
   * @param terminal what stdout is: colours and a progress bar only on an interactive terminal
   * @param out where the journey and the commands print
   * @param err where the narration goes when the output is JSON
   */
  public ClientCommand(
      Map<String, String> variables, Terminal terminal, PrintStream out, PrintStream err) {
    this.variables = Map.copyOf(variables);
    this.terminal = terminal;
    this.out = out;
    this.err = err;
  }

  /** Runs one command line with plain output and returns its exit code; never throws or exits. */
  public static int execute(
      Map<String, String> variables, PrintStream out, PrintStream err, String... args) {
    return execute(variables, Terminal.PLAIN, out, err, args);
  }

  /** Runs one command line and returns its exit code; never throws, never exits. */
  public static int execute(
      Map<String, String> variables,
      Terminal terminal,
      PrintStream out,
      PrintStream err,
      String... args) {
    CommandLine commandLine = new CommandLine(new ClientCommand(variables, terminal, out, err));
    commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // A bad configuration file or value is the user's to fix, like a bad option.
          if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("client-app: " + e.getMessage());
            return Failure.USAGE;
          }
          cmd.getErr().println("client-app: internal error: " + e);
          return Failure.INTERNAL;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    return journey(json, html);
  }

  /**
   * Runs the journey; as JSON, stdout holds only the document, so a script can parse it. The HTML
   * page is drawn from that same document.
   */
  int journey(boolean asJson, Path htmlFile) {
    PrintStream narration = asJson ? err : out;
    JourneyReport report =
        new Journey(config(), new JourneyPrinter(narration, terminal.colour() && !asJson)).run();
    String document = JourneyJson.of(report);
    if (asJson) {
      out.println(document);
      out.flush();
    }
    if (htmlFile != null) {
      try {
        JourneyPage.write(document, htmlFile);
        narration.println("journey page written to " + htmlFile.toAbsolutePath());
      } catch (IOException e) {
        narration.println("client-app: cannot write the journey page " + htmlFile + ": " + e);
        return report.exitCode() == Failure.OK ? Failure.INTERNAL : report.exitCode();
      }
      narration.flush();
    }
    return report.exitCode();
  }

  ClientConfig config() {
    String location =
        configFile != null
            ? configFile
            : variables.getOrDefault("SHOP_CONFIG", "classpath:client-app.yml");
    return ConfigLoader.load(ClientConfig.class, location, variables);
  }

  PrintStream out() {
    return out;
  }

  /** How commands narrate: coloured only on a terminal that wants it. */
  JourneyPrinter printer() {
    return new JourneyPrinter(out, terminal.colour());
  }

  PrintStream err() {
    return err;
  }

  Terminal terminal() {
    return terminal;
  }
}
