package io.shopstack.slb;

import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BalancingPolicies;
import io.shopstack.slb.health.HealthCheck;
import io.shopstack.slb.proxy.ProxyProtocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One frontend of the SLB with its own backend pool, HAProxy's {@code listen} section: the
 * addresses its clients connect to, the backends it spreads them over, and how (balance, PROXY
 * protocol, checks, maxconn). A key left out takes the value of the same key at the top of {@code
 * slb.yml}, as HAProxy's {@code defaults} section; a file without {@code frontends} is one
 * frontend, {@value SlbConfig#DEFAULT_FRONTEND}, made of the top-level keys.
 *
 * @param name how the runtime API ({@code name/host:port}), the admin port ({@code
 *     /backends/name/host:port/drain}), the metrics ({@code frontend="name"}) and the logs name it
 * @param listen the addresses its clients connect to; no other frontend may bind the same one
 * @param backends {@code host:port} with optional {@code weight=N maxconn=N init-state=up|down}
 * @param balance {@code roundrobin}, {@code leastconn} or {@code maglev}
 * @param proxyProtocol {@code none}, {@code v1} or {@code v2} toward this frontend's backends
 * @param healthCheck the active check of its backends
 * @param maxConnections its clients served at once over its listen addresses; 0 means no limit
 */
public record FrontendConfig(
    String name,
    List<String> listen,
    List<String> backends,
    String balance,
    String proxyProtocol,
    HealthCheck healthCheck,
    Integer maxConnections) {

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
  }

  /** This frontend with every key it left out taken from the top of the file (resolved there). */
  FrontendConfig inheriting(
      String defaultBalance,
      String defaultProxyProtocol,
      HealthCheck defaultHealthCheck,
      int defaultMaxConnections) {
    String chosenBalance = balance == null || balance.isBlank() ? defaultBalance : balance.trim();
    BalancingPolicies.of(chosenBalance); // fails early on an unknown name
    return new FrontendConfig(
        name,
        listen,
        backends,
        chosenBalance,
        proxyProtocol == null
            ? defaultProxyProtocol
            : ProxyProtocol.of(proxyProtocol).name().toLowerCase(Locale.ROOT),
        healthCheck == null ? defaultHealthCheck : healthCheck,
        maxConnections == null ? defaultMaxConnections : maxConnections);
  }

  public ProxyProtocol proxyProtocolVersion() {
    return ProxyProtocol.of(proxyProtocol);
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
