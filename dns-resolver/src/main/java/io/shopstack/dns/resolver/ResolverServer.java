package io.shopstack.dns.resolver;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.resolver.cache.RecordCache;
import io.shopstack.dns.resolver.control.CacheControl;
import io.shopstack.dns.resolver.delegation.DelegationCache;
import io.shopstack.dns.resolver.iteration.IterativeResolver;
import io.shopstack.dns.resolver.iteration.UnwantedReplies;
import io.shopstack.dns.resolver.iteration.UpstreamClient;
import io.shopstack.dns.resolver.serving.AllowList;
import io.shopstack.dns.resolver.serving.ClientRateLimit;
import io.shopstack.dns.resolver.serving.RecursiveQueryHandler;
import io.shopstack.dns.resolver.serving.ResolverMetrics;
import io.shopstack.dns.server.DnsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The phone's local DNS resolver, step 1 of the journey: a recursive, caching resolver on the
 * shared DNS transport, plus its admin endpoint. Built from a {@link ResolverConfig}; {@link
 * #start()} binds, {@link #close()} releases everything.
 */
public final class ResolverServer implements AutoCloseable {
  private final ResolverConfig config;
  private final PrometheusMeterRegistry registry;
  private final InstantSource clock;
  private final ServerLifecycle lifecycle;
  private DnsServer dns;
  private AdminServer admin;

  public ResolverServer(ResolverConfig config) {
    this(config, Metrics.registry(config.instance()), InstantSource.system());
  }

  public ResolverServer(
      ResolverConfig config, PrometheusMeterRegistry registry, InstantSource clock) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.lifecycle =
        new ServerLifecycle(config.instance(), config.shutdownDeadline(), config.ioTransport());
  }

  /**
   * Opens DNS on UDP+TCP and the admin endpoint; returns once clients can query. If anything cannot
   * be opened (a port in use), whatever was opened is closed again, the resolver's threads too, and
   * the {@code ServerStartException} names the address.
   */
  public ResolverServer start() throws InterruptedException {
    lifecycle.start(this::open);
    return this;
  }

  private void open(ServerLifecycle server) throws InterruptedException {
    InetAddress bind = address(config.bind());
    List<InetAddress> rootHints = config.rootHints().stream().map(ResolverServer::address).toList();
    RecordCache records = new RecordCache(config.cache(), clock);
    DelegationCache delegations = new DelegationCache(config.cache(), rootHints, clock);
    Gauge.builder("resolver_cache_records", records, RecordCache::size).register(registry);
    Gauge.builder("resolver_cache_bytes", records, RecordCache::bytes).register(registry);
    Gauge.builder("resolver_cache_delegations", delegations, DelegationCache::size)
        .register(registry);

    // Upstream TCP responses are handled here, off both Netty's event loops and dnsjava's selector.
    // Closed last: TCP connections draining at the stop still get the answers these threads make.
    ExecutorService resolverThreads =
        Executors.newFixedThreadPool(2, new DefaultThreadFactory(config.instance() + "-resolve"));
    server.track(
        () -> {
          resolverThreads.shutdownNow();
          resolverThreads.awaitTermination(1, TimeUnit.SECONDS);
        });
    UnwantedReplies unwanted =
        new UnwantedReplies(
            config.hardening().unwantedReplyThreshold(),
            () -> {
              records.flushAll();
              delegations.flushAll();
            });
    FunctionCounter.builder("resolver_unwanted_flushes", unwanted, UnwantedReplies::flushes)
        .register(registry);
    // One thread sends every upstream query and reads every UDP answer: the work per datagram is
    // small, and the resolution continues on it without a hand-over.
    UpstreamClient upstream =
        new UpstreamClient(
            server.eventLoops("upstream", 1),
            server.transport(),
            address(config.effectiveSourceAddress()),
            config.upstreamPort(),
            config.limits().maxOutstandingQueries(),
            unwanted,
            resolverThreads);
    FunctionCounter.builder("resolver_unwanted_replies", upstream, UpstreamClient::unwantedReplies)
        .register(registry);
    FunctionCounter.builder(
            "resolver_upstream_refused_for_capacity", upstream, UpstreamClient::refusedForCapacity)
        .register(registry);
    Gauge.builder("resolver_upstream_outstanding", upstream, UpstreamClient::outstanding)
        .register(registry);
    IterativeResolver resolver =
        new IterativeResolver(
            records,
            delegations,
            upstream,
            config.limits(),
            config.ecs().authorities(),
            config.hardening(),
            clock);
    FunctionCounter.builder(
            "resolver_upstream_queries", resolver, IterativeResolver::upstreamQueries)
        .register(registry);
    FunctionCounter.builder("resolver_prefetches", resolver, IterativeResolver::prefetches)
        .register(registry);
    FunctionCounter.builder("resolver_stale_answers", resolver, IterativeResolver::staleAnswers)
        .register(registry);
    RecursiveQueryHandler handler =
        new RecursiveQueryHandler(
            resolver,
            new AllowList(config.allow()),
            new ClientRateLimit(config.clientQueriesPerSecond(), clock),
            new ResolverMetrics(registry),
            config.ecs().enabled() ? config.ecs().ipv4Prefix() : 0,
            config.ecs().enabled() ? config.ecs().ipv6Prefix() : 0,
            Duration.ofMillis(config.limits().totalTimeoutMs()));
    dns =
        new DnsServer(
                new DnsServer.Settings(
                    config.instance(),
                    new InetSocketAddress(bind, config.port()),
                    Edns.PAYLOAD_SIZE,
                    config.tcp().idleSeconds(),
                    config.tcp().connectionsPerClient(),
                    config.tcp().connections(),
                    config.tcp().querySeconds()),
                handler,
                registry)
            .open(server);
    admin =
        new AdminServer(
                config.instance(),
                new InetSocketAddress(bind, config.adminPort()),
                registry,
                Health::healthy,
                new CacheControl(records, delegations).actions(),
                Map.of("/trace", resolver.traces().page()))
            .start(server);
  }

  /** The DNS port (UDP and TCP), useful when the config asked for port 0. */
  public int dnsPort() {
    return dns.port();
  }

  public int adminPort() {
    return admin.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops answering: idle TCP connections are closed at once, busy ones after their answers (until
   * the shutdown deadline), then every thread and socket of the instance ends. Safe to call twice.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal.trim());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + literal, e);
    }
  }
}
