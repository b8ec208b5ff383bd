package io.shopstack.slb;

import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BalancingPolicies;
import io.shopstack.slb.health.HealthCheck;
import io.shopstack.slb.proxy.ProxyHeader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One frontend of the SLB with its own backend pool, HAProxy's {@code listen} section: the
 * addresses its clients connect to, the backends it spreads them over, and how (balance, PROXY
 * protocol, checks, maxconn, timeouts, access log). A key left out takes the value of the same key
 * at the top of {@code slb.yml}, as HAProxy's {@code defaults} section; a file without {@code
 * frontends} is one frontend, {@value SlbConfig#DEFAULT_FRONTEND}, made of the top-level keys.
 *
 * @param name how the runtime API ({@code name/host:port}), the admin port ({@code
 *     /backends/name/host:port/drain}), the metrics ({@code frontend="name"}) and the logs name it
 * @param listen the addresses its clients connect to; no other frontend may bind the same one
 * @param backends {@code host:port} with optional {@code weight=N maxconn=N maxqueue=N
 *     init-state=up|down}
 * @param balance {@code roundrobin}, {@code leastconn} or {@code maglev}
 * @param proxyProtocol {@code none}, {@code v1} or {@code v2} toward this frontend's backends, v2
 *     optionally with {@code crc32c} and {@code unique-id} ({@link ProxyHeader})
 * @param healthCheck the active check of its backends
 * @param maxConnections its clients served at once over its listen addresses; 0 means no limit
 * @param connectTimeoutMillis how long one of its backends may take to accept
 * @param idleTimeoutSeconds its splices' {@code timeout tunnel}
 * @param firstByteTimeoutSeconds how long its clients may stay silent after connecting
 * @param queueTimeoutMillis how long its clients may wait for a backend slot
 * @param accessLog one line per client connection of this frontend
 */
public record FrontendConfig(
    String name,
    List<String> listen,
    List<String> backends,
    String balance,
    String proxyProtocol,
    HealthCheck healthCheck,
    Integer maxConnections,
    Integer connectTimeoutMillis,
    Integer idleTimeoutSeconds,
    Integer firstByteTimeoutSeconds,
    Integer queueTimeoutMillis,
    Boolean accessLog) {

  /** What a frontend takes for each key it leaves out: the top of the file, resolved there. */
  record Defaults(
      String balance,
      String proxyProtocol,
      HealthCheck healthCheck,
      int maxConnections,
      int connectTimeoutMillis,
      int idleTimeoutSeconds,
      int firstByteTimeoutSeconds,
      int queueTimeoutMillis,
      boolean accessLog) {}

  // A name goes into paths, runtime API words and metric tags: no slash, space or quote.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  public FrontendConfig {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "slb: a frontend needs a name of letters, digits, '_', '.' or '-', got '" + name + "'");
    }
    if (listen == null || listen.isEmpty()) {
      throw new IllegalArgumentException(
          "slb: frontend " + name + " needs at least one listen address");
    }
    if (backends == null || backends.isEmpty()) {
      throw new IllegalArgumentException("slb: frontend " + name + " needs at least one backend");
    }
    listen = List.copyOf(listen);
    backends = List.copyOf(backends);
    if (maxConnections != null && maxConnections < 0) {
      throw new IllegalArgumentException(
          "slb: maxConnections of frontend " + name + " must not be negative");
    }
    positive(connectTimeoutMillis, "connectTimeoutMillis", name);
    positive(idleTimeoutSeconds, "idleTimeoutSeconds", name);
    positive(firstByteTimeoutSeconds, "firstByteTimeoutSeconds", name);
    positive(queueTimeoutMillis, "queueTimeoutMillis", name);
  }

  private static void positive(Integer value, String key, String frontend) {
    if (value != null && value <= 0) {
      throw new IllegalArgumentException(
          "slb: " + key + " of frontend " + frontend + " must be positive");
    }
  }

  /** A frontend that sets only where it listens and its backends; the rest comes from the top. */
  static FrontendConfig takingEveryDefault(
      String name, List<String> listen, List<String> backends) {
    return new FrontendConfig(
        name, listen, backends, null, null, null, null, null, null, null, null, null);
  }

  /** This frontend with every key it left out taken from {@code defaults}. */
  FrontendConfig inheriting(Defaults defaults) {
    String chosenBalance =
        balance == null || balance.isBlank() ? defaults.balance() : balance.trim();
    BalancingPolicies.of(chosenBalance); // fails early on an unknown name
    return new FrontendConfig(
        name,
        listen,
        backends,
        chosenBalance,
        proxyProtocol == null ? defaults.proxyProtocol() : ProxyHeader.of(proxyProtocol).label(),
        healthCheck == null ? defaults.healthCheck() : healthCheck,
        maxConnections == null ? defaults.maxConnections() : maxConnections,
        connectTimeoutMillis == null ? defaults.connectTimeoutMillis() : connectTimeoutMillis,
        idleTimeoutSeconds == null ? defaults.idleTimeoutSeconds() : idleTimeoutSeconds,
        firstByteTimeoutSeconds == null
            ? defaults.firstByteTimeoutSeconds()
            : firstByteTimeoutSeconds,
        queueTimeoutMillis == null ? defaults.queueTimeoutMillis() : queueTimeoutMillis,
        accessLog == null ? defaults.accessLog() : accessLog);
  }

  public Duration connectTimeout() {
    return Duration.ofMillis(connectTimeoutMillis);
  }

  public Duration queueTimeout() {
    return Duration.ofMillis(queueTimeoutMillis);
  }

  public ProxyHeader proxyHeader() {
    return ProxyHeader.of(proxyProtocol);
  }

  /** The addresses to bind, duplicates collapsed (see {@link ListenAddresses}). */
  public List<InetSocketAddress> listenAddresses() {
    return ListenAddresses.collapse(listen.stream().map(SlbConfig::address).toList());
  }

  /** Each backend as written, parsed (see {@link SlbConfig#backendSpec(String)}). */
  public List<BackendSpec> backendSpecs() {
    return backends.stream().map(SlbConfig::backendSpec).toList();
  }
}
