package io.shopstack.client.journey;

import io.shopstack.client.dns.DigFormat;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.IterationTrace;
import io.shopstack.client.http.HttpEventListener;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes the journey as it happens, in the forms network people already read: dig output for DNS,
 * "local -> remote" for TCP connections, status lines and the headers each hop adds for HTTP. Every
 * line is flushed at once, so a step that hangs shows where it hangs.
 */
public final class JourneyPrinter {
  /** The headers that tell which hop answered and whether a cache did. */
  public static final List<String> HOP_HEADERS =
      List.of("X-Cache", "X-Cache-Origin", "Age", "Via", "X-Served-By", "Cache-Control");

  private static final String BOLD = "1";
  private static final String RED = "31";
  private static final String GREEN = "32";
  private static final String YELLOW = "33";

  private final PrintStream out;
  private final boolean colour;

  /** Plain text, for pipes, logs and tests. */
  public JourneyPrinter(PrintStream out) {
    this(out, false);
  }

  /**
   * @param colour whether to mark steps, problems and verdicts with ANSI colours (only on a
   *     terminal that wants them: see {@code Terminal})
   */
  public JourneyPrinter(PrintStream out, boolean colour) {
    this.out = out;
    this.colour = colour;
  }

  public void step(int number, String title, String purpose) {
    line("");
    line(paint(BOLD, "[%d] %s".formatted(number, title)));
    line("    " + purpose);
  }

  public void dig(DnsLookup lookup) {
    line("");
    line(
        "  $ dig @%s -p %d %s %s"
            .formatted(
                lookup.server().getAddress().getHostAddress(),
                lookup.server().getPort(),
                lookup.question(),
                lookup.type()));
    DigFormat.format(lookup).lines().forEach(l -> line("  " + l));
  }

  /** The resolver's own trace, one line per query it sent (or cache hit), in order. */
  public void trace(IterationTrace trace, String url) {
    line("");
    line("  $ curl '%s'   (the resolver's own account)".formatted(url));
    line(
        "  %s %s: %s, iteration finished %s"
            .formatted(
                trace.name(),
                trace.type(),
                trace.rcode(),
                Instant.ofEpochMilli(trace.finishedAtMillis())));
    line(
        "    %-15s %-16s %-30s %-8s %6s  %s"
            .formatted("server", "zone", "question", "rcode", "rtt", "outcome"));
    for (IterationTrace.Hop hop : trace.steps()) {
      line(
          "    %-15s %-16s %-30s %-8s %6s  %s%s"
              .formatted(
                  hop.server(),
                  hop.zone().isEmpty() ? "-" : hop.zone(),
                  hop.question(),
                  hop.rcode(),
                  hop.rttMillis() + " ms",
                  hop.outcome(),
                  hop.ecsSent() ? "  [ECS sent]" : ""));
    }
  }

  public void note(String text) {
    line("    -> " + text);
  }

  /** A command the user can run to check by hand, e.g. {@code check: dig @...}. */
  public void check(String command) {
    line("    " + paint(YELLOW, "check: " + command));
  }

  public void problem(String text) {
    line(paint(RED, "    !! " + text));
  }

  public void request(HttpRequest request, String url) {
    line("");
    line("  %s %s   (X-Request-Id: %s)".formatted(request.method(), url, request.requestId()));
  }

  /** Prints the connection the moment it is up, before any response is awaited. */
  public HttpEventListener connectionPrinter() {
    return new HttpEventListener() {
      @Override
      public void connecting(InetSocketAddress remote) {
        line("    TCP connect to " + endpoint(remote) + " ...");
      }

      @Override
      public void connected(InetSocketAddress local, InetSocketAddress remote, Duration took) {
        line(
            "    TCP %s -> %s established in %s"
                .formatted(endpoint(local), endpoint(remote), millis(took)));
      }

      @Override
      public void requestSent(HttpRequest request) {
        line("    > " + request.requestLine() + "  Host: " + request.host());
      }
    };
  }

  public void response(HttpExchange exchange, List<String> headers) {
    line(
        "    < %s   first byte %s, total %s, %d bytes"
            .formatted(
                exchange.response().statusLine(),
                millis(exchange.firstByte()),
                millis(exchange.total()),
                exchange.response().body().length));
    StringJoiner shown = new StringJoiner("  |  ", "    < ", "");
    for (String name : headers) {
      String value = exchange.header(name);
      shown.add(name + ": " + (value == null ? "-" : value));
    }
    line(shown.toString());
  }

  void summary(JourneyReport report) {
    line("");
    line("Summary");
    for (StepResult step : report.steps()) {
      line(
          "  %s %-9s %s  (%s)"
              .formatted(
                  step.ok() ? paint(GREEN, "%-7s".formatted("OK")) : paint(RED, "FAILED "),
                  step.name(),
                  step.summary(),
                  millis(step.took())));
      step.problems().forEach(p -> line(paint(RED, "          - " + p.text())));
      if (step.check() != null) {
        line("          " + paint(YELLOW, "check: " + step.check()));
      }
    }
    line(
        report.success()
            ? paint(BOLD + ";" + GREEN, "journey OK")
            : paint(BOLD + ";" + RED, "journey FAILED"));
  }

  /** The text in an ANSI colour when colour is on; as it is otherwise. */
  private String paint(String code, String text) {
    return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }

  public static String endpoint(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private void line(String text) {
    out.println(text);
    out.flush();
  }
}
