package io.shopstack.client.journey;

import io.shopstack.client.dns.DigFormat;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.http.HttpEventListener;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes the journey as it happens, in the forms network people already read: dig output for DNS,
 * "local -> remote" for TCP connections, status lines and the headers each hop adds for HTTP. Every
 * line is flushed at once, so a step that hangs shows where it hangs.
 */
final class JourneyPrinter {
  /** The headers that tell which hop answered and whether a cache did. */
  static final List<String> HOP_HEADERS =
      List.of("X-Cache", "Age", "Via", "X-Served-By", "Cache-Control");

  private final PrintStream out;

  JourneyPrinter(PrintStream out) {
    this.out = out;
  }

  void step(int number, String title, String purpose) {
    line("");
    line("[%d] %s".formatted(number, title));
    line("    " + purpose);
  }

  void dig(DnsLookup lookup) {
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

  void note(String text) {
    line("    -> " + text);
  }

  void problem(String text) {
    line("    !! " + text);
  }

  void request(HttpRequest request, String url) {
    line("");
    line("  %s %s   (X-Request-Id: %s)".formatted(request.method(), url, request.requestId()));
  }

  /** Prints the connection the moment it is up, before any response is awaited. */
  HttpEventListener connectionPrinter() {
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

  void response(HttpExchange exchange, List<String> headers) {
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
          "  %-7s %-9s %s  (%s)"
              .formatted(
                  step.ok() ? "OK" : "FAILED", step.name(), step.summary(), millis(step.took())));
      step.problems().forEach(p -> line("          - " + p));
    }
    line(report.success() ? "journey OK" : "journey FAILED");
  }

  static String endpoint(InetSocketAddress address) {
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
