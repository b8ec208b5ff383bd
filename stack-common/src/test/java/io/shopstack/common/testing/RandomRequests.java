package io.shopstack.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Traffic a scanner on the internet sends: paths nobody serves and methods nobody uses, each made
 * unique with a {@link #MARKER}-prefixed token. A test sends it, scrapes /metrics, and checks the
 * tokens never became labels.
 */
public final class RandomRequests {
  /** Every random path segment and method starts with this. */
  public static final String MARKER = "noise";

  private static final String[] SHAPES = {"/%s", "/%s/%s", "/images/%s/%s?x=%s", "/a/b/c/%s"};

  private RandomRequests() {}

  /**
   * Sends {@code count} requests to {@code 127.0.0.1:port}, each on its own connection, every tenth
   * with a made-up method; returns how many got each status.
   */
  public static Map<Integer, Integer> send(int port, int count) {
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      String token = MARKER + UUID.randomUUID().toString().replace("-", "");
      String path = String.format(SHAPES[i % SHAPES.length], token, token, token);
      String method = i % 10 == 9 ? MARKER.toUpperCase() + i : "GET";
      statuses.merge(exchange(port, method, path), 1, Integer::sum);
    }
    return statuses;
  }

  /**
   * Sends {@code count} random requests to a Spring service and checks that its /metrics grew by a
   * handful of series at most and shows none of the random tokens; returns the page after.
   */
  public static MetricsScrape sendAndCheckMetricsStayBounded(
      String service, int port, int adminPort, int count) {
    String requests = "http_server_requests_seconds_count";
    MetricsScrape before = MetricsScrape.of(adminPort);
    Map<Integer, Integer> statuses = send(port, count);
    MetricsScrape after = MetricsScrape.of(adminPort);
    System.out.printf(
        "%s: statuses %s; http.server.requests series %d -> %d; all series %d -> %d%n",
        service,
        statuses,
        before.samples(requests).size(),
        after.samples(requests).size(),
        before.seriesCount(),
        after.seriesCount());
    assertThat(after.samples(requests).size() - before.samples(requests).size()).isLessThan(20);
    assertThat(after.seriesCount() - before.seriesCount()).isLessThan(100);
    assertThat(after.text()).doesNotContain(MARKER);
    return after;
  }

  private static int exchange(int port, String method, String path) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      in.readAllBytes();
      return Integer.parseInt(statusLine.substring(9, 12));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    }
  }
}
