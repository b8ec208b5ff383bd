package io.shopstack.client;

import java.util.Map;

/**
 * What the app's standard output is attached to, decided once at start: on an interactive terminal
 * the app may colour its output and redraw a progress bar in place; anywhere else (a pipe, a file,
 * the compose demo's log, a test) it prints plain lines.
 *
 * @param interactive stdout is a terminal that understands a carriage return
 * @param colour ANSI colours are wanted: a terminal, no {@code NO_COLOR}, not {@code TERM=dumb}
 */
public record Terminal(boolean interactive, boolean colour) {
  /** Plain text: what every test and pipe gets. */
  public static final Terminal PLAIN = new Terminal(false, false);

  /**
   * @param environment the process environment ({@code NO_COLOR}, {@code TERM})
   * @param console whether the JVM has a console (stdin and stdout are a terminal)
   */
  public static Terminal detect(Map<String, String> environment, boolean console) {
    String term = environment.getOrDefault("TERM", "");
    boolean interactive = console && !term.equals("dumb");
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    boolean noColor = !environment.getOrDefault("NO_COLOR", "").isEmpty();
    return new Terminal(interactive, interactive && !noColor);
  }
}
