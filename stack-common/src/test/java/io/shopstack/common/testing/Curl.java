package io.shopstack.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real curl, for exchanges a client we did not write should judge. Runs {@code curl -sS -i}
 * plus the test's arguments and splits what it printed into status, headers and body.
 */
public final class Curl {
  private static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(10);

  /** One exchange: status, headers (lower-case names, first value), body, and curl's raw output. */
  public record Response(int status, Map<String, String> headers, String body, String raw) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private Curl() {}

  public static Response run(String... arguments) {
    return run(DEFAULT_MAX_TIME, arguments);
  }

  /**
   * @param maxTime curl's own {@code --max-time}; the process gets a little longer before it is
   *     killed
   */
  public static Response run(Duration maxTime, String... arguments) {
    List<String> command =
        new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "" + maxTime.toSeconds()));
    command.addAll(List.of(arguments));
    ExternalCommand.Result result =
        ExternalCommand.run(maxTime.plusSeconds(5), command).assertSuccess();
    return parse(result.output());
  }

  /** POSTs a JSON body to {@code url} for virtual host {@code host}, as a client app would. */
  public static Response postJson(String url, String host, String json) {
    return run(
        "-H",
        "Host: " + host,
        "-H",
        "Content-Type: application/json; charset=utf-8",
        "--data-binary",
        json,
        url);
  }

  static Response parse(String raw) {
    String rest = raw;
    // Interim answers (100 Continue) come first with -i; the final one is what the test judges.
    while (rest.startsWith("HTTP/") && statusOf(rest) / 100 == 1 && rest.contains("\r\n\r\n")) {
      rest = rest.substring(rest.indexOf("\r\n\r\n") + 4);
    }
    int split = rest.indexOf("\r\n\r\n");
    String head = split < 0 ? rest : rest.substring(0, split);
    String body = split < 0 ? "" : rest.substring(split + 4);
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Response(statusOf(rest), Map.copyOf(headers), body, raw);
  }

  private static int statusOf(String response) {
    String[] words = response.split(" ", 3);
    if (!response.startsWith("HTTP/") || words.length < 2) {
      throw new AssertionError("curl printed no HTTP status line:\n" + response);
    }
    return Integer.parseInt(words[1].trim());
  }
}
