package io.shopstack.dns.cdn.gslb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One read of an edge's Prometheus {@code /metrics} page for the load it reports: the sum of every
 * sample of one metric (whatever its labels), as a fresh {@code GET} within the timeout. Bounded: a
 * page larger than {@link #MAX_BYTES} is not read further.
 */
final class MetricsProbe {
  static final int MAX_BYTES = 1 << 20;

  private MetricsProbe() {}

  /** What a read found: the load, or why there is none (unreachable, no such metric). */
  record Reading(double load, String failure) {
    boolean ok() {
      return failure == null;
    }
  }

  static Reading read(URI metrics, String metric, int timeoutMillis) {
    int port = metrics.getPort() < 0 ? 80 : metrics.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(metrics.getHost(), port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + metrics.getRawPath()
                  + " HTTP/1.1\r\nHost: "
                  + metrics.getHost()
                  + ":"
                  + port
                  + "\r\nUser-Agent: dns-cdn-load\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String page = readAll(socket.getInputStream());
      int body = page.indexOf("\r\n\r\n");
      if (!page.startsWith("HTTP/1.1 200") && !page.startsWith("HTTP/1.0 200") || body < 0) {
        return new Reading(0, "status " + page.lines().findFirst().orElse("(none)"));
      }
      return sum(page.substring(body + 4), metric);
    } catch (IOException e) {
      return new Reading(0, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The sum over the samples of {@code metric} in a Prometheus text page. */
  static Reading sum(String page, String metric) {
    double total = 0;
    boolean found = false;
    for (String line : page.split("\n")) {
      if (!line.startsWith(metric)) {
        continue;
      }
      String rest = line.substring(metric.length());
      if (!rest.startsWith(" ") && !rest.startsWith("{")) {
        continue; // another metric whose name begins the same
      }
      String[] words = rest.substring(rest.lastIndexOf('}') + 1).trim().split("\\s+");
      try {
        total += Double.parseDouble(words[0]);
        found = true;
      } catch (NumberFormatException e) {
        return new Reading(0, "unreadable sample: " + line);
      }
    }
    return found ? new Reading(total, null) : new Reading(0, "no " + metric + " on the page");
  }

  private static String readAll(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
