package io.shopstack.edge.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on 127.0.0.1 (the JDK's server, nothing of ours) that counts requests and
 * answers each path the way a test set it up. Unset paths answer 200 with {@code Cache-Control:
 * public, max-age=60}.
 */
public final class OriginFixture implements AutoCloseable {
  static {
    // The JDK server writes head and body apart; with Nagle on, every miss waited for our
    // delayed ACK (40 ms), which made tests of many misses crawl.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** How to answer one path. */
  public record Answer(int status, Map<String, String> headers, byte[] body, long delayMillis) {
    public static Answer cacheable(int maxAgeSeconds, String body) {
      return new Answer(
          200,
          Map.of("Cache-Control", "public, max-age=" + maxAgeSeconds),
          body.getBytes(StandardCharsets.UTF_8),
          0);
    }

    public static Answer withHeaders(Map<String, String> headers, String body) {
      return new Answer(200, headers, body.getBytes(StandardCharsets.UTF_8), 0);
    }

    public static Answer status(int status, Map<String, String> headers, String body) {
      return new Answer(status, headers, body.getBytes(StandardCharsets.UTF_8), 0);
    }

    public Answer delayed(long millis) {
      return new Answer(status, headers, body, millis);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final java.util.Set<InetSocketAddress> connections =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();
  private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private volatile Headers lastHeaders;
  private volatile String lastMethod;
  private volatile byte[] lastBody;

  public OriginFixture(String name) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> answer(name, exchange));
    server.start();
  }

  public OriginFixture answer(String path, Answer answer) {
    answers.put(path, answer);
    return this;
  }

  /**
   * Holds every answer for {@code path} until the returned latch is counted down: an origin fetch
   * that is in flight for exactly as long as a test needs.
   */
  public CountDownLatch hold(String path) {
    CountDownLatch release = new CountDownLatch(1);
    holds.put(path, release);
    return release;
  }

  private void answer(String name, HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      requests.incrementAndGet();
      connections.add(exchange.getRemoteAddress());
      byPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      lastHeaders = exchange.getRequestHeaders();
      lastMethod = exchange.getRequestMethod();
      lastBody = exchange.getRequestBody().readAllBytes();
      Answer answer =
          answers.getOrDefault(path, Answer.cacheable(60, "from " + name + " for " + path));
      CountDownLatch hold = holds.get(path);
      if (hold != null) {
        hold.await();
      }
      if (answer.delayMillis() > 0) {
        Thread.sleep(answer.delayMillis());
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("X-Served-By", name);
      String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
      if (requestId != null) {
        exchange.getResponseHeaders().add("X-Request-Id", requestId);
      }
      boolean echo = "POST".equals(lastMethod);
      byte[] body = echo ? ("posted " + lastBody.length + " bytes").getBytes() : answer.body();
      if (unchanged(exchange.getRequestHeaders(), answer)) {
        notModified.incrementAndGet();
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Like a real origin: 304 when the request's If-None-Match names the answer's ETag, or its
   * If-Modified-Since is the answer's Last-Modified.
   */
  private static boolean unchanged(Headers request, Answer answer) {
    String etag = answer.headers().get("ETag");
    String noneMatch = request.getFirst("If-None-Match");
    if (noneMatch != null) {
      return etag != null && noneMatch.contains(etag);
    }
    String lastModified = answer.headers().get("Last-Modified");
    String since = request.getFirst("If-Modified-Since");
    return since != null && since.equals(lastModified);
  }

  /** How many requests got a 304 because they were conditional and nothing had changed. */
  public int notModified() {
    return notModified.get();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** A route list entry sending {@code prefix} here. */
  public String route(String prefix) {
    return prefix + "=127.0.0.1:" + port();
  }

  /** How many connections the requests so far came on (by client address and port). */
  public int connections() {
    return connections.size();
  }

  public int requests() {
    return requests.get();
  }

  public int requests(String path) {
    AtomicInteger n = byPath.get(path);
    return n == null ? 0 : n.get();
  }

  public Headers lastHeaders() {
    return lastHeaders;
  }

  public String lastMethod() {
    return lastMethod;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
