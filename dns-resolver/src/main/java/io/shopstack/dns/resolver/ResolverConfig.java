package io.shopstack.dns.resolver;

import io.shopstack.common.server.Transport;
import io.shopstack.dns.resolver.cache.CacheSettings;
import io.shopstack.dns.resolver.ecs.EcsAuthorities;
import io.shopstack.dns.resolver.iteration.Hardening;
import io.shopstack.dns.resolver.iteration.IterationLimits;
import io.shopstack.dns.server.DnsServer;
import java.time.Duration;
import java.util.List;

/**
 * Everything a resolver instance needs, as loaded from {@code dns-resolver.yml}.
 *
 * @param instance name in logs, thread names and metrics
 * @param bind address to serve DNS on (and the admin endpoint)
 * @param port DNS port, UDP and TCP
 * @param sourceAddress address outgoing queries are sent from; blank means {@code bind}
 * @param adminPort port of /health and /metrics on {@code bind}
 * @param rootHints addresses of the root servers iteration starts from
 * @param upstreamPort port every authoritative server listens on
 * @param allow CIDR prefixes of clients that are served; everyone else is REFUSED
 * @param clientQueriesPerSecond queries per second one client address may send before it gets
 *     REFUSED (unbound's ip-ratelimit); absent or 0 means no limit
 * @param hardening 0x20 and QNAME minimisation; absent means {@link Hardening#DEFAULT}
 * @param tcp limits of DNS over TCP for our clients; absent means the transport's defaults
 * @param shutdownSeconds how long a stopping resolver lets TCP connections finish the queries in
 *     progress before it cuts them; absent means {@link #DEFAULT_SHUTDOWN_SECONDS}
 * @param transport {@code auto} (native epoll where its library loads, else NIO; absent means
 *     this), {@code epoll} (fail to start without it) or {@code nio}
 */
public record ResolverConfig(
    String instance,
    String bind,
    int port,
    String sourceAddress,
    int adminPort,
    List<String> rootHints,
    int upstreamPort,
    List<String> allow,
    Integer clientQueriesPerSecond,
    Ecs ecs,
    IterationLimits limits,
    Hardening hardening,
    CacheSettings cache,
    Tcp tcp,
    Integer shutdownSeconds,
    String transport) {

  /** The default shutdown deadline, as the shipped dns-resolver.yml has it. */
  public static final int DEFAULT_SHUTDOWN_SECONDS = 5;

  /**
   * DNS over TCP as clients get it: idle time between queries, time for one query to arrive whole,
   * connections per client address and in all (the same knobs as the authoritative servers').
   */
  public record Tcp(int idleSeconds, int querySeconds, int connectionsPerClient, int connections) {
    public static final Tcp DEFAULT =
        new Tcp(
            DnsServer.Settings.DEFAULT_TCP_IDLE_SECONDS,
            DnsServer.Settings.DEFAULT_TCP_QUERY_SECONDS,
            DnsServer.Settings.DEFAULT_TCP_CONNECTIONS_PER_CLIENT,
            DnsServer.Settings.DEFAULT_TCP_CONNECTIONS);
  }

  /**
   * EDNS Client Subnet (RFC 7871): whether to pass client locations on, how much of them (a /24 for
   * IPv4 and a /56 for IPv6 are what the RFC recommends for privacy), and to whom: only the
   * authorities for {@code zones} or at {@code servers} (RFC 7871 section 11.1); absent lists are
   * empty, and then nobody gets a location.
   */
  public record Ecs(
      boolean enabled, int ipv4Prefix, int ipv6Prefix, List<String> zones, List<String> servers) {
    public Ecs {
      if (ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128) {
        throw new IllegalArgumentException("ECS prefixes out of range: " + this);
      }
      zones = zones == null ? List.of() : List.copyOf(zones);
      servers = servers == null ? List.of() : List.copyOf(servers);
    }

    /** The authorities that may receive a client's subnet: none when ECS is off. */
    public EcsAuthorities authorities() {
      return enabled ? new EcsAuthorities(zones, servers) : EcsAuthorities.none();
    }
  }

  public ResolverConfig {
    transport = Transport.checkedName(transport);
    if (instance == null || bind == null || ecs == null || limits == null || cache == null) {
      throw new IllegalArgumentException(
          "instance, bind, ecs, limits and cache must be configured");
    }
    if (rootHints == null || rootHints.isEmpty()) {
      throw new IllegalArgumentException("rootHints: at least one root server address needed");
    }
    rootHints = List.copyOf(rootHints);
    allow = allow == null ? List.of() : List.copyOf(allow);
    clientQueriesPerSecond = clientQueriesPerSecond == null ? 0 : clientQueriesPerSecond;
    tcp = tcp == null ? Tcp.DEFAULT : tcp;
    hardening = hardening == null ? Hardening.DEFAULT : hardening;
    shutdownSeconds = shutdownSeconds == null ? DEFAULT_SHUTDOWN_SECONDS : shutdownSeconds;
    if (shutdownSeconds < 0) {
      throw new IllegalArgumentException("shutdownSeconds must be >= 0: " + shutdownSeconds);
    }
  }

  public Duration shutdownDeadline() {
    return Duration.ofSeconds(shutdownSeconds);
  }

  /** The I/O transport to run on, {@code auto} resolved against this system. */
  public Transport ioTransport() {
    return Transport.named(transport, instance);
  }

  /** The address outgoing queries leave from. */
  public String effectiveSourceAddress() {
    return sourceAddress == null || sourceAddress.isBlank() ? bind : sourceAddress;
  }
}
