package io.shopstack.edge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real curl, for requests a client we did not write should judge. */
public final class Curl {
  /** Status, headers (lower-case names, first value) and body of one exchange. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private Curl() {}

  public static Response run(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-s", "-i", "--max-time", "5"));
    command.addAll(List.of(arguments));
    Process curl = new ProcessBuilder(command).start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int split = output.indexOf("\r\n\r\n");
    String head = split < 0 ? output : output.substring(0, split);
    String body = split < 0 ? "" : output.substring(split + 4);
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
    int status = lines[0].startsWith("HTTP/") ? Integer.parseInt(lines[0].split(" ")[1]) : -1;
    return new Response(status, headers, body);
  }
}
