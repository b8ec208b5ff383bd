package io.shopstack.edge;

import io.shopstack.common.server.Transport;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.rules.EdgeRules;
import java.util.Map;

/**
 * Everything one cache instance needs, loaded from {@code edge-cache.yml}. The same file serves the
 * CDN edges and the data-centre cache; they differ in {@code instance}, {@code bind} and which
 * route set {@code routes} selects.
 *
 * @param routes a key of {@code routeSets}, or a literal {@code prefix=host:port,...} list
 * @param shutdownSeconds how long a stopping cache lets requests in flight finish before it cuts
 *     them
 * @param graceSeconds how long past its freshness a stored response may stand in for an origin that
 *     fails or times out, when the origin gave no {@code stale-if-error} (Varnish's grace)
 * @param rules location of the rule file ({@code classpath:NAME} or a path); blank for none
 * @param disk the optional disk tier; off without a directory
 * @param transport {@code auto} (native epoll where it loads, NIO otherwise), {@code epoll} or
 *     {@code nio}
 */
public record EdgeCacheConfig(
    String instance,
    String bind,
    int port,
    int adminPort,
    String routes,
    Map<String, String> routeSets,
    Limits limits,
    int shutdownSeconds,
    int graceSeconds,
    Invalidation invalidation,
    String rules,
    Disk disk,
    String transport) {

  /** The shutdown deadline the shipped edge-cache.yml has. */
  public static final int DEFAULT_SHUTDOWN_SECONDS = 5;

  /**
   * Who may remove stored responses: clients at one of the listed addresses, or anyone who sends
   * the token in {@code X-Purge-Token}. An empty token is never accepted.
   *
   * @param token shared secret; empty or null disables token access
   * @param from comma-separated client addresses (exact, not networks)
   */
  public record Invalidation(String token, String from) {
    public static final Invalidation LOCAL_ONLY = new Invalidation("", "127.0.0.1");

    public Invalidation {
      token = token == null ? "" : token.trim();
      from = from == null ? "" : from.trim();
    }

    public java.util.Set<String> addresses() {
      return java.util.Arrays.stream(from.split(","))
          .map(String::trim)
          .filter(a -> !a.isEmpty())
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
  }

  /**
   * The disk tier: stored responses are also written to files under {@code directory} and read back
   * at start, so a restarted cache answers its hot set without going to the origin.
   *
   * @param directory where the files go; blank or null turns the tier off
   * @param maxBytes bound on the bytes kept on disk; the least recently written go first
   */
  public record Disk(String directory, long maxBytes) {
    public static final Disk OFF = new Disk("", 0);

    public Disk {
      directory = directory == null ? "" : directory.trim();
      if (!directory.isEmpty() && maxBytes < 1) {
        throw new IllegalArgumentException("disk.maxBytes must be positive with a directory");
      }
    }

    public boolean enabled() {
      return !directory.isEmpty();
    }
  }

  /** Sizes and times that keep one slow origin or one greedy client from hurting the rest. */
  public record Limits(
      int maxRequestBodyBytes,
      int maxObjectBytes,
      int maxResponseBytes,
      int maxEntries,
      long maxCacheBytes,
      int connectTimeoutMillis,
      int originTimeoutMillis,
      int clientIdleSeconds,
      int requestHeadMillis,
      int maxClientConnections,
      int maxIdleOriginConnections,
      int originIdleSeconds) {
    public Limits {
      if (maxRequestBodyBytes < 0 || maxObjectBytes < 0 || maxEntries < 1 || maxCacheBytes < 1) {
        throw new IllegalArgumentException("cache limits must be positive");
      }
      if (maxResponseBytes < maxObjectBytes) {
        throw new IllegalArgumentException("maxResponseBytes must be >= maxObjectBytes");
      }
      if (connectTimeoutMillis < 1
          || originTimeoutMillis < 1
          || clientIdleSeconds < 1
          || requestHeadMillis < 1
          || maxClientConnections < 1
          || maxIdleOriginConnections < 0
          || originIdleSeconds < 1) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }
  }

  public EdgeCacheConfig {
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("instance name is required");
    }
    if (port < 0 || port > 65535 || adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException("ports must be 0..65535");
    }
    routeSets = routeSets == null ? Map.of() : Map.copyOf(routeSets);
    if (routes == null || routes.isBlank()) {
      throw new IllegalArgumentException("routes is required (a route set name or a list)");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits is required");
    }
    if (shutdownSeconds < 0) {
      throw new IllegalArgumentException("shutdownSeconds must not be negative");
    }
    if (graceSeconds < 0) {
      throw new IllegalArgumentException("graceSeconds must not be negative");
    }
    invalidation = invalidation == null ? Invalidation.LOCAL_ONLY : invalidation;
    rules = rules == null ? "" : rules.trim();
    disk = disk == null ? Disk.OFF : disk;
    transport = Transport.checkedName(transport);
  }

  /** The transport to run on, {@code auto} resolved against this system. */
  public Transport ioTransport() {
    return Transport.named(transport, instance);
  }

  /** The rule file's rules, or none. */
  public EdgeRules edgeRules() {
    return EdgeRules.load(rules);
  }

  /** The origins this instance forwards to: the named route set, or the literal list. */
  public OriginRoutes originRoutes() {
    return OriginRoutes.parse(routeSets.getOrDefault(routes.trim(), routes));
  }

  public java.time.Duration shutdownDeadline() {
    return java.time.Duration.ofSeconds(shutdownSeconds);
  }
}
