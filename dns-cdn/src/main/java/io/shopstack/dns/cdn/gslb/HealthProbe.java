package io.shopstack.dns.cdn.gslb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP check of an edge's {@code /health}, as HAProxy's {@code httpchk} does it: a fresh
 * connection, {@code GET}, pass on a 2xx status line within the timeout. A new connection each time
 * so a check also proves the edge still accepts connections, not only that an old one is alive.
 */
final class HealthProbe {
  private HealthProbe() {}

  /** Null when the edge passed, else why it failed (for the log and the explanation). */
  static String check(URI health, int timeoutMillis) {
    int port = health.getPort() < 0 ? 80 : health.getPort();
    String path =
        health.getRawPath() == null || health.getRawPath().isEmpty() ? "/" : health.getRawPath();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(health.getHost(), port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + health.getHost()
                  + ":"
                  + port
                  + "\r\nUser-Agent: dns-cdn-health\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = statusLine(socket.getInputStream());
      // "HTTP/1.1 200 OK": the code is the second word.
      String[] words = status.split(" ", 3);
      if (words.length >= 2 && words[0].startsWith("HTTP/") && words[1].startsWith("2")) {
        return null;
      }
      return "status " + status;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1 && b != '\n' && line.length() < 200) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
